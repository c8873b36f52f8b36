import { describe, expect, it } from 'vitest'
import { isValidServerUrl, isValidStoredCredentials } from './desktop-bridge.ts'

describe('desktop bridge argument validation', () => {
  it.each(['http://127.0.0.1:8642', 'https://reading.example.jp/api', 'http://[::1]:8042'])('accepts %s', (url) => {
    expect(isValidServerUrl(url)).toBe(true)
  })
  it.each(['javascript:alert(1)', 'file:///etc', 'http://user:pw@host', 'ftp://x', '', 42, null])('refuses %s', (url) => {
    expect(isValidServerUrl(url)).toBe(false)
  })
  it('validates stored credentials', () => {
    expect(isValidStoredCredentials({ username: 'a', accessToken: 'b', expiresAt: '2030-01-01T00:00:00Z' })).toBe(true)
    expect(isValidStoredCredentials({ username: 'a', accessToken: 'b', expiresAt: 'later' })).toBe(false)
    expect(isValidStoredCredentials({ username: 'a' })).toBe(false)
    expect(isValidStoredCredentials('x')).toBe(false)
  })
})
