/**
 * Throttling of failed log-ins, per user name and per client address, kept in the database so a
 * restart does not reset it. The user-name key is the same whether the user exists or not, so
 * lock-outs do not reveal which names exist. A lock refuses every attempt, even with the right
 * password, until it ends; a successful log-in clears the user name's count (not the address's:
 * one valid account must not launder an address that is guessing others' passwords).
 */
import type { Queryable } from './database.ts'

export interface ThrottleRule {
  /** Failures within the window that lock the key. */
  maxFailures: number
  windowSeconds: number
  lockSeconds: number
}

/** Five wrong passwords lock a user name for 15 minutes: slow enough to make guessing useless, short enough for a reader who mistyped. */
export const USER_THROTTLE: ThrottleRule = { maxFailures: 5, windowSeconds: 15 * 60, lockSeconds: 15 * 60 }
/** An address gets more room: several readers may sit behind one clinic's NAT. */
export const ADDRESS_THROTTLE: ThrottleRule = { maxFailures: 30, windowSeconds: 15 * 60, lockSeconds: 15 * 60 }

export function userKey(username: string): string {
  return `user:${username.trim().toLowerCase()}`
}

export function addressKey(address: string): string {
  return `addr:${address}`
}

/** Seconds until the key is unlocked, or 0 when it is not locked. */
export async function lockedForSeconds(db: Queryable, key: string, now: Date): Promise<number> {
  const { rows } = await db.query<{ locked_until: Date | null }>('select locked_until from login_throttle where key = $1', [key])
  const until = rows[0]?.locked_until
  if (!until || until.getTime() <= now.getTime()) return 0
  return Math.ceil((until.getTime() - now.getTime()) / 1000)
}

/** Counts a failure; answers the seconds the key is now locked for (0 when not locked). */
export async function recordFailure(db: Queryable, key: string, rule: ThrottleRule, now: Date): Promise<number> {
  const windowStart = new Date(now.getTime() - rule.windowSeconds * 1000)
  const { rows } = await db.query<{ failures: number }>(
    `insert into login_throttle (key, failures, window_started_at) values ($1, 1, $2)
     on conflict (key) do update set
       failures = case when login_throttle.window_started_at <= $3 then 1 else login_throttle.failures + 1 end,
       window_started_at = case when login_throttle.window_started_at <= $3 then $2 else login_throttle.window_started_at end
     returning failures`,
    [key, now, windowStart],
  )
  const failures = rows[0]?.failures ?? 1
  if (failures < rule.maxFailures) return 0
  const until = new Date(now.getTime() + rule.lockSeconds * 1000)
  // a new lock starts a new window: the next failure after it counts from one again
  await db.query('update login_throttle set locked_until = $2, failures = 0, window_started_at = $3 where key = $1', [key, until, now])
  return rule.lockSeconds
}

export async function clearFailures(db: Queryable, key: string): Promise<void> {
  await db.query('delete from login_throttle where key = $1', [key])
}
