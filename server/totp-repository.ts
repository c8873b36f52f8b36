/**
 * A user's TOTP secret, pending enrolment and recovery codes. Recovery codes are stored as
 * SHA-256: they are about 49 random bits each and used once, so a fast hash is enough and a leaked table is useless.
 */
import { createHash, randomBytes } from 'node:crypto'
import { RECOVERY_CODE_COUNT } from '../shared/auth-contract.ts'
import type { Queryable } from './database.ts'

export interface TotpState {
  secret: string | null
  pendingSecret: string | null
  lastStep: number | null
}

export async function totpState(db: Queryable, userId: string): Promise<TotpState> {
  const { rows } = await db.query<{ totp_secret: string | null; totp_pending_secret: string | null; totp_last_step: string | number | null }>(
    'select totp_secret, totp_pending_secret, totp_last_step from users where id = $1',
    [userId],
  )
  const row = rows[0]
  return {
    secret: row?.totp_secret ?? null,
    pendingSecret: row?.totp_pending_secret ?? null,
    lastStep: row?.totp_last_step == null ? null : Number(row.totp_last_step),
  }
}

export async function setPendingTotpSecret(db: Queryable, userId: string, secret: string): Promise<void> {
  await db.query('update users set totp_pending_secret = $2 where id = $1', [userId, secret])
}

/** Makes the pending secret the user's, with `step` used; replaces any recovery codes with new ones (answered in clear, once). */
export async function enableTotp(db: Queryable, userId: string, secret: string, step: number): Promise<string[]> {
  await db.query('update users set totp_secret = $2, totp_pending_secret = null, totp_last_step = $3 where id = $1', [userId, secret, step])
  await db.query('delete from recovery_codes where user_id = $1', [userId])
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => newRecoveryCode())
  for (const code of codes) {
    await db.query('insert into recovery_codes (user_id, code_hash) values ($1, $2)', [userId, hashRecoveryCode(code)])
  }
  return codes
}

/** Records a step as used; false when it (or a later one) already was, e.g. by a concurrent login. */
export async function useTotpStep(db: Queryable, userId: string, step: number): Promise<boolean> {
  const { rows } = await db.query(
    'update users set totp_last_step = $2 where id = $1 and (totp_last_step is null or totp_last_step < $2) returning id',
    [userId, step],
  )
  return rows.length === 1
}

/** Uses up a recovery code; false when it is not one of the user's unused codes. */
export async function useRecoveryCode(db: Queryable, userId: string, code: string, now: Date): Promise<boolean> {
  const { rows } = await db.query(
    'update recovery_codes set used_at = $3 where user_id = $1 and code_hash = $2 and used_at is null returning user_id',
    [userId, hashRecoveryCode(code), now],
  )
  return rows.length === 1
}

/** xxxxx-xxxxx in an alphabet without look-alikes (no 0/O, 1/l/I): easy to read off paper. */
function newRecoveryCode(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789'
  const bytes = randomBytes(10)
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length])
  return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`
}

/** Codes are compared without case, spaces or hyphens, as people type them back. */
export function hashRecoveryCode(code: string): string {
  const normal = code.toLowerCase().replace(/[\s-]/g, '')
  return createHash('sha256').update(normal, 'utf8').digest('hex')
}
