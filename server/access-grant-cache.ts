/**
 * A few seconds' memory of "this token may read this study", so a workstation fetching a
 * study's hundreds of instances does not repeat the token and study-access queries (about
 * 2.5 ms of database work) for every one. Only grants are remembered, never refusals.
 *
 * How stale a remembered grant can be:
 * - token expiry: never; the expiry instant is kept and compared with the clock on every use.
 * - logout: never; the route forgets the token's grants (forgetToken).
 * - assignment changes announced through WorklistChanges.notify (the admin routes do): never
 *   for the readers named (forgetUsers).
 * - anything else changed in the database behind the server's back (a new study that changes
 *   which studies are priors, a user's role, an assignment written without notify): at most
 *   ttlMs after the database was read.
 * A forget also voids every lookup still in flight (see begin), so a grant read from the
 * database just before a logout or an assignment change is never stored after it.
 */
import type { StudyAccess } from './study-access.ts'

/** Long enough to cover a study's burst of instance requests; short enough that an unnoticed change soon shows. */
export const ACCESS_GRANT_TTL_MS = 5_000

/** Bounds memory if many tokens read many studies within one TTL; far above a reading room's needs. */
const MAX_GRANTS = 10_000

export interface AccessGrant {
  /** SHA-256 of the bearer token (hashToken), never the token itself. */
  tokenHash: string
  userId: string
  studyInstanceUid: string
  tokenExpiresAt: Date
  access: StudyAccess
}

/** Taken before reading the database for a decision; remember() stores the decision only if nothing was forgotten since. */
export interface GrantLookup {
  readonly startedAt: number
  readonly epoch: number
}

interface Entry {
  grant: AccessGrant
  expiresAt: number
}

export class AccessGrantCache {
  readonly #entries = new Map<string, Entry>()
  readonly #ttlMs: number
  readonly #clock: () => number
  #epoch = 0

  /** `clock` in milliseconds, monotonic; the default is the process's (not the server's injectable ctx.now). */
  constructor(ttlMs: number = ACCESS_GRANT_TTL_MS, clock: () => number = () => performance.now()) {
    this.#ttlMs = ttlMs
    this.#clock = clock
  }

  /** The remembered grant of this token for this study, if still fresh. */
  get(tokenHash: string, studyInstanceUid: string): AccessGrant | undefined {
    const key = keyOf(tokenHash, studyInstanceUid)
    const entry = this.#entries.get(key)
    if (!entry) return undefined
    if (this.#clock() >= entry.expiresAt) {
      this.#entries.delete(key)
      return undefined
    }
    return entry.grant
  }

  /** Call before reading the database for a decision to remember. */
  begin(): GrantLookup {
    return { startedAt: this.#clock(), epoch: this.#epoch }
  }

  /** Stores a grant read since `lookup` began, unless a forget came in between. Its TTL counts from the lookup's start. */
  remember(lookup: GrantLookup, grant: AccessGrant): void {
    if (lookup.epoch !== this.#epoch) return
    const expiresAt = lookup.startedAt + this.#ttlMs
    if (this.#clock() >= expiresAt) return
    if (this.#entries.size >= MAX_GRANTS) this.#makeRoom()
    const key = keyOf(grant.tokenHash, grant.studyInstanceUid)
    this.#entries.delete(key) // re-inserted last, so the oldest entries stay first for #makeRoom
    this.#entries.set(key, { grant, expiresAt })
  }

  /** Forgets every grant of a token (on logout). */
  forgetToken(tokenHash: string): void {
    this.#forget((grant) => grant.tokenHash === tokenHash)
  }

  /** Forgets every grant of these users (their assignments changed). */
  forgetUsers(userIds: Iterable<string>): void {
    const users = new Set(userIds)
    this.#forget((grant) => users.has(grant.userId))
  }

  /** Grants held now (for tests and diagnostics). */
  get size(): number {
    return this.#entries.size
  }

  #forget(matches: (grant: AccessGrant) => boolean): void {
    this.#epoch++
    for (const [key, entry] of this.#entries) if (matches(entry.grant)) this.#entries.delete(key)
  }

  /** Drops expired grants, then the oldest, until there is room for one more. */
  #makeRoom(): void {
    const now = this.#clock()
    for (const [key, entry] of this.#entries) if (now >= entry.expiresAt) this.#entries.delete(key)
    for (const key of this.#entries.keys()) {
      if (this.#entries.size < MAX_GRANTS) break
      this.#entries.delete(key)
    }
  }
}

function keyOf(tokenHash: string, studyInstanceUid: string): string {
  return `${tokenHash} ${studyInstanceUid}`
}
