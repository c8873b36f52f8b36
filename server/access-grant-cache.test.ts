import { describe, expect, it } from 'vitest'
import { AccessGrantCache, type AccessGrant } from './access-grant-cache.ts'

function grant(tokenHash: string, userId: string, studyInstanceUid: string): AccessGrant {
  return {
    tokenHash,
    userId,
    studyInstanceUid,
    tokenExpiresAt: new Date('2026-04-01T08:00:00Z'),
    access: { studyInstanceUid, patientDisplayPolicy: 'named', anonymisedPrefix: '' },
  }
}

function cacheWithClock(ttlMs = 5_000) {
  const clock = { ms: 1_000 }
  return { clock, cache: new AccessGrantCache(ttlMs, () => clock.ms) }
}

describe('access grant cache', () => {
  it('keeps a grant for its token and study only, until the TTL counted from the lookup start', () => {
    const { clock, cache } = cacheWithClock()
    const lookup = cache.begin()
    clock.ms += 1_000 // the database took a second
    cache.remember(lookup, grant('t1', 'u1', '1.2.3'))
    expect(cache.get('t1', '1.2.3')?.userId).toBe('u1')
    expect(cache.get('t1', '1.2.4')).toBeUndefined()
    expect(cache.get('t2', '1.2.3')).toBeUndefined()
    clock.ms += 3_999
    expect(cache.get('t1', '1.2.3')).toBeDefined()
    clock.ms += 1
    expect(cache.get('t1', '1.2.3')).toBeUndefined()
    expect(cache.size).toBe(0)
  })

  it("forgets a token's grants, and only that token's", () => {
    const { cache } = cacheWithClock()
    const lookup = cache.begin()
    cache.remember(lookup, grant('t1', 'u1', '1.2.3'))
    cache.remember(lookup, grant('t1', 'u1', '1.2.4'))
    cache.remember(lookup, grant('t2', 'u1', '1.2.3'))
    cache.forgetToken('t1')
    expect(cache.get('t1', '1.2.3')).toBeUndefined()
    expect(cache.get('t1', '1.2.4')).toBeUndefined()
    expect(cache.get('t2', '1.2.3')).toBeDefined()
  })

  it("forgets the grants of users whose assignments changed, whatever their token", () => {
    const { cache } = cacheWithClock()
    const lookup = cache.begin()
    cache.remember(lookup, grant('t1', 'u1', '1.2.3'))
    cache.remember(lookup, grant('t2', 'u1', '1.2.3'))
    cache.remember(lookup, grant('t3', 'u2', '1.2.3'))
    cache.forgetUsers(['u1'])
    expect(cache.get('t1', '1.2.3')).toBeUndefined()
    expect(cache.get('t2', '1.2.3')).toBeUndefined()
    expect(cache.get('t3', '1.2.3')).toBeDefined()
  })

  it('does not store a decision read before a forget that came while it was being read', () => {
    const { cache } = cacheWithClock()
    const beforeLogout = cache.begin()
    cache.forgetToken('t1')
    cache.remember(beforeLogout, grant('t1', 'u1', '1.2.3'))
    expect(cache.get('t1', '1.2.3')).toBeUndefined()
    const beforeChange = cache.begin()
    cache.forgetUsers(['someone-else'])
    cache.remember(beforeChange, grant('t1', 'u1', '1.2.3'))
    expect(cache.get('t1', '1.2.3')).toBeUndefined()
    const after = cache.begin()
    cache.remember(after, grant('t1', 'u1', '1.2.3'))
    expect(cache.get('t1', '1.2.3')).toBeDefined()
  })

  it('does not store a decision whose lookup took longer than the TTL', () => {
    const { clock, cache } = cacheWithClock()
    const lookup = cache.begin()
    clock.ms += 5_000
    cache.remember(lookup, grant('t1', 'u1', '1.2.3'))
    expect(cache.size).toBe(0)
  })

  it('stays bounded, dropping expired grants and then the oldest', () => {
    const { clock, cache } = cacheWithClock()
    const early = cache.begin()
    for (let i = 0; i < 6_000; i++) cache.remember(early, grant(`old${i}`, 'u1', '1.2.3'))
    clock.ms += 2_000
    const late = cache.begin()
    for (let i = 0; i < 6_000; i++) cache.remember(late, grant(`new${i}`, 'u1', '1.2.3'))
    expect(cache.size).toBeLessThanOrEqual(10_000)
    expect(cache.get('new5999', '1.2.3')).toBeDefined()
    expect(cache.get('old0', '1.2.3')).toBeUndefined()
    clock.ms += 3_500 // the early ones have expired: the next insert sweeps them out
    cache.remember(cache.begin(), grant('newest', 'u1', '1.2.3'))
    expect(cache.size).toBeLessThanOrEqual(6_001)
  })
})
