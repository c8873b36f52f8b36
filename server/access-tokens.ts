/**
 * Bearer tokens: 32 random bytes, base64url. Only their SHA-256 is stored, so the tokens
 * table is useless to whoever reads it. Expiry and revocation are checked on every request
 * (DICOMweb study routes may rely on a check made up to a few seconds before; logout clears
 * it at once, and expiry is still checked every time: see access-grant-cache.ts).
 */
import { createHash, randomBytes } from 'node:crypto'
import { ACCESS_TOKEN_TTL_SECONDS } from '../shared/auth-contract.ts'
import type { Queryable } from './database.ts'

/**
 * Short-lived: a stolen access token is good for minutes. The workstation keeps working past
 * it with the refresh token (refresh-tokens.ts), which logout and reuse detection revoke.
 */
export const DEFAULT_TOKEN_TTL_SECONDS = ACCESS_TOKEN_TTL_SECONDS

export interface IssuedToken {
  token: string
  expiresAt: Date
}

/** Why a presented token was refused, or the user it belongs to. */
export type TokenCheck = { ok: true; userId: string; expiresAt: Date } | { ok: false; reason: 'unknown' | 'revoked' | 'expired' }

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

/** Creates and stores a token for the user. A zero or negative ttl gives an already expired token (for tests). */
export async function issueAccessToken(
  db: Queryable,
  userId: string,
  ttlSeconds: number = DEFAULT_TOKEN_TTL_SECONDS,
  now: Date = new Date(),
  /** The login the token belongs to (see refresh-tokens.ts); revoking the family revokes the token. */
  familyId: string | null = null,
): Promise<IssuedToken> {
  const token = randomBytes(32).toString('base64url')
  const expiresAt = new Date(now.getTime() + ttlSeconds * 1000)
  await db.query('insert into access_tokens (token_hash, user_id, expires_at, family_id) values ($1, $2, $3, $4)', [
    hashToken(token),
    userId,
    expiresAt,
    familyId,
  ])
  return { token, expiresAt }
}

/** Looks a presented token up; revocation wins over expiry so a logged-out token never reads as merely expired. */
export async function checkAccessToken(db: Queryable, token: string, now: Date = new Date()): Promise<TokenCheck> {
  const { rows } = await db.query<{ user_id: string; expires_at: Date; revoked: boolean }>(
    'select user_id, expires_at, revoked from access_tokens where token_hash = $1',
    [hashToken(token)],
  )
  const row = rows[0]
  if (!row) return { ok: false, reason: 'unknown' }
  if (row.revoked) return { ok: false, reason: 'revoked' }
  if (row.expires_at.getTime() <= now.getTime()) return { ok: false, reason: 'expired' }
  return { ok: true, userId: row.user_id, expiresAt: row.expires_at }
}

export async function revokeAccessToken(db: Queryable, token: string): Promise<void> {
  await db.query('update access_tokens set revoked = true where token_hash = $1', [hashToken(token)])
}

/** The family (login) a token belongs to, or null for a token issued without one. */
export async function accessTokenFamily(db: Queryable, token: string): Promise<string | null> {
  const { rows } = await db.query<{ family_id: string | null }>('select family_id from access_tokens where token_hash = $1', [
    hashToken(token),
  ])
  return rows[0]?.family_id ?? null
}

/** Revokes every access token of a login; answers their hashes so remembered grants can be forgotten. */
export async function revokeAccessTokenFamily(db: Queryable, familyId: string): Promise<string[]> {
  const { rows } = await db.query<{ token_hash: string }>(
    'update access_tokens set revoked = true where family_id = $1 returning token_hash',
    [familyId],
  )
  return rows.map((r) => r.token_hash)
}

/** The token from an `Authorization: Bearer <token>` header, or undefined when there is none. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+([A-Za-z0-9_-]{20,200})\s*$/i.exec(authorization ?? '')
  return match?.[1]
}
