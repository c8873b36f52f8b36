/**
 * Refresh tokens, rotated on every use. All tokens of one login share a family id; presenting a
 * refresh token that was already exchanged means two parties hold it (one of them a thief), so
 * the whole family — refresh and access tokens — is revoked and both must sign in again
 * (OAuth 2.0 Security BCP, refresh token rotation). Stored as SHA-256 like access tokens.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import type { Queryable } from './database.ts'
import { hashToken } from './access-tokens.ts'

export interface IssuedRefreshToken {
  token: string
  familyId: string
  expiresAt: Date
}

export type RefreshCheck =
  | { ok: true; userId: string; familyId: string }
  | { ok: false; reason: 'unknown' | 'revoked' | 'expired' }
  /** An already rotated token came back: its family is now revoked. */
  | { ok: false; reason: 'reused'; familyId: string }

export function newFamilyId(): string {
  return randomUUID()
}

export async function issueRefreshToken(
  db: Queryable,
  userId: string,
  familyId: string,
  ttlSeconds: number,
  now: Date,
): Promise<IssuedRefreshToken> {
  const token = randomBytes(32).toString('base64url')
  const expiresAt = new Date(now.getTime() + ttlSeconds * 1000)
  await db.query('insert into refresh_tokens (token_hash, family_id, user_id, expires_at, created_at) values ($1, $2, $3, $4, $5)', [
    hashToken(token),
    familyId,
    userId,
    expiresAt,
    now,
  ])
  return { token, familyId, expiresAt }
}

/**
 * Uses a refresh token up: on success it is marked rotated (the caller issues the next pair in
 * the same transaction). A rotated token presented again revokes its family.
 */
export async function consumeRefreshToken(db: Queryable, token: string, now: Date): Promise<RefreshCheck> {
  // the row lock makes two simultaneous uses of one token count as a reuse, not as two rotations
  const { rows } = await db.query<{ user_id: string; family_id: string; expires_at: Date; rotated_at: Date | null; revoked: boolean }>(
    'select user_id, family_id, expires_at, rotated_at, revoked from refresh_tokens where token_hash = $1 for update',
    [hashToken(token)],
  )
  const row = rows[0]
  if (!row) return { ok: false, reason: 'unknown' }
  if (row.revoked) return { ok: false, reason: 'revoked' }
  if (row.rotated_at) {
    await revokeRefreshFamily(db, row.family_id)
    return { ok: false, reason: 'reused', familyId: row.family_id }
  }
  if (row.expires_at.getTime() <= now.getTime()) return { ok: false, reason: 'expired' }
  await db.query('update refresh_tokens set rotated_at = $2 where token_hash = $1', [hashToken(token), now])
  return { ok: true, userId: row.user_id, familyId: row.family_id }
}

export async function revokeRefreshFamily(db: Queryable, familyId: string): Promise<void> {
  await db.query('update refresh_tokens set revoked = true where family_id = $1', [familyId])
}
