import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearerToken, checkAccessToken, hashToken, issueAccessToken, revokeAccessToken } from './access-tokens.ts'
import { openReadingDatabase, type ReadingDatabase } from './database.ts'
import { createUser } from './user-repository.ts'
import { DB_TEMPLATE_DIR } from './test-database-template.ts'


let db: ReadingDatabase
let userId: string

beforeAll(async () => {
  db = await openReadingDatabase(null, { templateDir: DB_TEMPLATE_DIR })
  userId = (await createUser(db, { username: 'u1', displayName: 'U', role: 'reader', passwordHash: 'unused' })).id
})

afterAll(async () => {
  await db.close()
})

describe('access tokens', () => {
  it('issues 32-byte base64url tokens and stores only their hash', async () => {
    const { token } = await issueAccessToken(db, userId)
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const { rows } = await db.query<{ token_hash: string }>('select token_hash from access_tokens')
    expect(rows.map((r) => r.token_hash)).toContain(hashToken(token))
    expect(rows.map((r) => r.token_hash)).not.toContain(token)
  })

  it('accepts a token until its expiry instant and refuses it from then on', async () => {
    const issuedAt = new Date('2026-04-01T00:00:00Z')
    const { token, expiresAt } = await issueAccessToken(db, userId, 60, issuedAt)
    expect(expiresAt.toISOString()).toBe('2026-04-01T00:01:00.000Z')
    expect(await checkAccessToken(db, token, new Date('2026-04-01T00:00:59.999Z'))).toEqual({ ok: true, userId, expiresAt })
    expect(await checkAccessToken(db, token, expiresAt)).toEqual({ ok: false, reason: 'expired' })
  })

  it('defaults to a fifteen-minute lifetime', async () => {
    const now = new Date('2026-04-01T09:00:00Z')
    const { expiresAt } = await issueAccessToken(db, userId, undefined, now)
    expect(expiresAt.getTime() - now.getTime()).toBe(15 * 60 * 1000)
  })

  it('reports revocation before expiry, and unknown tokens as unknown', async () => {
    const { token } = await issueAccessToken(db, userId, -1)
    expect(await checkAccessToken(db, token)).toEqual({ ok: false, reason: 'expired' })
    await revokeAccessToken(db, token)
    expect(await checkAccessToken(db, token)).toEqual({ ok: false, reason: 'revoked' })
    expect(await checkAccessToken(db, 'A'.repeat(43))).toEqual({ ok: false, reason: 'unknown' })
  })

  it('reads bearer tokens from Authorization headers', () => {
    const token = 'abcDEF0123456789_-abcdef'
    expect(bearerToken(`Bearer ${token}`)).toBe(token)
    expect(bearerToken(`bearer  ${token} `)).toBe(token)
    expect(bearerToken(undefined)).toBeUndefined()
    expect(bearerToken(`Basic ${token}`)).toBeUndefined()
    expect(bearerToken('Bearer short')).toBeUndefined()
    expect(bearerToken(`Bearer ${token} extra`)).toBeUndefined()
  })
})
