import { describe, expect, it } from 'vitest'
import { parseRetryAfter } from './retry-after.ts'

describe('Retry-After', () => {
  const now = Date.parse('2026-11-22T10:00:00Z')

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('3', now)).toBe(3000)
    expect(parseRetryAfter(' 0 ', now)).toBe(0)
  })

  it('reads an HTTP-date against the local clock, or against the server\'s Date when it sent one', () => {
    expect(parseRetryAfter('Sun, 22 Nov 2026 10:00:05 GMT', now)).toBe(5000)
    // the workstation's clock is 2 minutes fast: the server's own Date says 5 s are meant
    expect(parseRetryAfter('Sun, 22 Nov 2026 10:00:05 GMT', now + 120_000, 'Sun, 22 Nov 2026 10:00:00 GMT')).toBe(5000)
    expect(parseRetryAfter('Sun, 22 Nov 2026 09:59:00 GMT', now)).toBe(0)
  })

  it('ignores what is neither', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined()
    expect(parseRetryAfter('', now)).toBeUndefined()
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter('-5', now)).toBeUndefined()
    expect(parseRetryAfter('1.5', now)).toBeUndefined()
    expect(parseRetryAfter('Sunday, 22-Nov-26 10:00:02 GMT', now)).toBe(2000)
  })
})
