import { describe, expect, it } from 'vitest'
import { createReadingServerClient, LoginLocked, normaliseServerUrl, SecondFactorRequired } from './reading-server-client.ts'
import { RequestError } from './request-error.ts'

const user = { id: 'u1', username: 'reader1', displayName: '読影 太郎', role: 'reader' }

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
}

describe('reading server client', () => {
  it('normalises the server URL and refuses non-http ones', () => {
    expect(normaliseServerUrl(' http://127.0.0.1:8642/ ')).toBe('http://127.0.0.1:8642')
    expect(() => normaliseServerUrl('file:///etc/passwd')).toThrow(RequestError)
    expect(() => normaliseServerUrl('not a url')).toThrow(RequestError)
  })

  it('speaks plain http only to this computer', () => {
    expect(normaliseServerUrl('http://localhost:8642')).toBe('http://localhost:8642')
    expect(normaliseServerUrl('http://127.0.0.2:8642')).toBe('http://127.0.0.2:8642')
    expect(normaliseServerUrl('http://[::1]:8642')).toBe('http://[::1]:8642')
    expect(normaliseServerUrl('https://reading.example.jp')).toBe('https://reading.example.jp')
    expect(() => normaliseServerUrl('http://reading.example.jp')).toThrow(/refusing plain http/)
    expect(() => normaliseServerUrl('http://192.168.1.10:8642')).toThrow(/refusing plain http/)
    expect(() => normaliseServerUrl('http://127.0.0.1.evil.example')).toThrow(/refusing plain http/)
  })

  it('logs in and then sends the bearer token', async () => {
    const seen: Array<{ url: string; auth: string | null }> = []
    const fetchFn: typeof fetch = async (input, init) => {
      const url = String(input)
      seen.push({ url, auth: new Headers(init?.headers).get('authorization') })
      if (url.endsWith('/auth/login')) return json(200, { accessToken: 'a'.repeat(43), expiresAt: '2030-01-01T00:00:00.000Z', user })
      return json(200, user)
    }
    const client = createReadingServerClient('http://127.0.0.1:8642', fetchFn)
    const session = await client.login('reader1', 'pw')
    client.setToken(session.accessToken)
    expect(await client.me()).toEqual(user)
    expect(seen[0]).toEqual({ url: 'http://127.0.0.1:8642/api/v1/auth/login', auth: null })
    expect(seen[1]?.auth).toBe(`Bearer ${'a'.repeat(43)}`)
  })

  it.each([
    [401, { error: 'invalid-credentials', message: 'wrong' }, 'invalid-credentials'],
    [401, { error: 'token-expired', message: 'expired' }, 'token-expired'],
    [401, { error: 'unauthenticated', message: 'no token' }, 'unauthenticated'],
    [403, { error: 'forbidden', message: 'not yours' }, 'forbidden'],
    [500, 'oops', 'server-error'],
  ])('maps HTTP %i to a failure the UI can explain', async (status, body, failure) => {
    const client = createReadingServerClient('https://s', async () => json(status, body))
    await expect(client.me()).rejects.toMatchObject({ failure })
  })

  it('says the server is unreachable when the connection fails', async () => {
    const client = createReadingServerClient('http://127.0.0.1:9', async () => {
      throw new TypeError('fetch failed')
    })
    await expect(client.worklist()).rejects.toMatchObject({ failure: 'unreachable', message: expect.stringContaining('http://127.0.0.1:9') })
  })

  it('rejects an answer that does not match the contract', async () => {
    const client = createReadingServerClient('https://s', async () => json(200, { assignments: 'nope' }))
    await expect(client.worklist()).rejects.toMatchObject({ failure: 'bad-response' })
  })

  // sec-auth (issue 7): the two-step login, the lock-out, refresh
  it('sends the second factor with the login, and names the refusals the login form must tell apart', async () => {
    const bodies: unknown[] = []
    let answer = json(401, { error: 'totp-required', message: 'code please' })
    const client = createReadingServerClient('https://s', async (_input, init) => {
      bodies.push(JSON.parse(String(init?.body)))
      return answer
    })
    await expect(client.login('reader1', 'pw')).rejects.toBeInstanceOf(SecondFactorRequired)
    answer = new Response(JSON.stringify({ error: 'too-many-attempts', message: 'locked', retryAfterSeconds: 600 }), {
      status: 429,
      headers: { 'content-type': 'application/json', 'retry-after': '600' },
    })
    const locked = await client.login('reader1', 'pw', { totpCode: '123456' }).catch((e: unknown) => e)
    expect(locked).toBeInstanceOf(LoginLocked)
    expect(locked).toMatchObject({ retryAfterSeconds: 600, status: 429 })
    answer = json(401, { error: 'invalid-credentials', message: 'wrong' })
    await expect(client.login('reader1', 'pw', { recoveryCode: 'abcde-fghjk' })).rejects.toMatchObject({ failure: 'invalid-credentials' })
    expect(bodies).toEqual([
      { username: 'reader1', password: 'pw' },
      { username: 'reader1', password: 'pw', totpCode: '123456' },
      { username: 'reader1', password: 'pw', recoveryCode: 'abcde-fghjk' },
    ])
  })

  it('exchanges a refresh token for new tokens', async () => {
    const fresh = { accessToken: 'b'.repeat(43), expiresAt: '2030-01-01T00:15:00.000Z', refreshToken: 'c'.repeat(43), user }
    let seen: { url: string; body: unknown } | undefined
    const client = createReadingServerClient('https://s', async (input, init) => {
      seen = { url: String(input), body: JSON.parse(String(init?.body)) }
      return json(200, fresh)
    })
    expect(await client.refresh('r'.repeat(43))).toEqual(fresh)
    expect(seen).toEqual({ url: 'https://s/api/v1/auth/refresh', body: { refreshToken: 'r'.repeat(43) } })
  })

  it('changes the password: 204 is done, a wrong current password and a lock are told apart', async () => {
    let answer = new Response(null, { status: 204 })
    const client = createReadingServerClient('https://s', async () => answer)
    await expect(client.changePassword('old', 'new-password-long')).resolves.toBeUndefined()
    answer = json(401, { error: 'invalid-credentials', message: 'wrong' })
    await expect(client.changePassword('old', 'new-password-long')).rejects.toMatchObject({ failure: 'invalid-credentials' })
    answer = json(429, { error: 'too-many-attempts', message: 'locked', retryAfterSeconds: 120 })
    await expect(client.changePassword('old', 'new-password-long')).rejects.toMatchObject({ retryAfterSeconds: 120 })
  })
})
