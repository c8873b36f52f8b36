import { describe, expect, it } from 'vitest'
import { base32Decode, base32Encode, generateTotpSecret, hotp, matchTotp, otpauthUri, totpCode } from './totp.ts'

// RFC 6238 appendix B uses the ASCII secret "12345678901234567890" for SHA-1.
const RFC_SECRET = base32Encode(Buffer.from('12345678901234567890', 'ascii'))

describe('TOTP (RFC 6238)', () => {
  it('round-trips base32', () => {
    const bytes = Buffer.from([0, 1, 2, 250, 251, 255, 7])
    expect(base32Decode(base32Encode(bytes))).toEqual(bytes)
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI')
    expect(base32Decode('mzxw 6ytb oi==').toString()).toBe('foobar')
  })

  it('matches the RFC 4226 HOTP test values', () => {
    const secret = Buffer.from('12345678901234567890', 'ascii')
    expect([0, 1, 2, 9].map((c) => hotp(secret, c))).toEqual(['755224', '287082', '359152', '520489'])
  })

  it('matches the RFC 6238 SHA-1 test vectors (8 digits)', () => {
    const vectors: Array<[number, string]> = [
      [59, '94287082'],
      [1111111109, '07081804'],
      [1111111111, '14050471'],
      [1234567890, '89005924'],
      [2000000000, '69279037'],
    ]
    for (const [seconds, code] of vectors) expect(totpCode(RFC_SECRET, new Date(seconds * 1000), 8)).toBe(code)
  })

  it('accepts one step either side, not two, and never a step already used', () => {
    const secret = generateTotpSecret()
    const now = new Date('2026-11-22T03:00:10Z')
    const step = Math.floor(now.getTime() / 30000)
    const at = (offsetSteps: number) => totpCode(secret, new Date(now.getTime() + offsetSteps * 30000))
    expect(matchTotp(secret, at(0), now, null)).toBe(step)
    expect(matchTotp(secret, at(-1), now, null)).toBe(step - 1)
    expect(matchTotp(secret, at(1), now, null)).toBe(step + 1)
    expect(matchTotp(secret, at(-2), now, null)).toBeUndefined()
    expect(matchTotp(secret, at(2), now, null)).toBeUndefined()
    expect(matchTotp(secret, at(0), now, step)).toBeUndefined()
    expect(matchTotp(secret, at(-1), now, step - 1)).toBeUndefined()
    expect(matchTotp(secret, at(1), now, step)).toBe(step + 1)
    expect(matchTotp(secret, '12345', now, null)).toBeUndefined()
    expect(matchTotp(secret, 'abcdef', now, null)).toBeUndefined()
  })

  it('makes 160-bit secrets and an otpauth URI apps understand', () => {
    const secret = generateTotpSecret()
    expect(secret).toMatch(/^[A-Z2-7]{32}$/)
    const uri = new URL(otpauthUri(secret, 'Reading Workstation', 'reader1'))
    expect(uri.protocol).toBe('otpauth:')
    expect(uri.host).toBe('totp')
    expect(decodeURIComponent(uri.pathname)).toBe('/Reading Workstation:reader1')
    expect(uri.searchParams.get('secret')).toBe(secret)
    expect(uri.searchParams.get('digits')).toBe('6')
    expect(uri.searchParams.get('period')).toBe('30')
  })
})
