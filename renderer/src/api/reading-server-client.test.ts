import { describe, expect, it } from 'vitest'
import { createReadingServerClient, normaliseServerUrl } from './reading-server-client.ts'
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
})
