import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { DesktopBridge, StoredCredentials } from '../../../shared/desktop-bridge.ts'
import type { ReadingServerClient } from '../api/reading-server-client.ts'
import { LoginLocked, SecondFactorRequired } from '../api/reading-server-client.ts'
import { RequestError } from '../api/request-error.ts'
import { createSessionStore } from './session-store.ts'

const user = { id: 'u1', username: 'reader1', displayName: 'Reader One', role: 'reader' as const }
const NOW = Date.parse('2026-11-21T12:00:00Z')

function fakeDesktop(stored: StoredCredentials | null = null, saveFails = false) {
  const saved = new Map<string, StoredCredentials>()
  const desktop: DesktopBridge = {
    app: { info: async () => ({ version: 't', shell: 'browser', builtInServerUrl: 'http://127.0.0.1:8642' }) },
    credentials: {
      load: async () => stored,
      save: async (url, creds) => {
        if (saveFails) throw new Error('no keychain')
        saved.set(url, creds)
      },
      clear: async (url) => void saved.delete(url),
    },
    cache: { key: async () => ({ key: 'k', persistent: false }) },
  }
  return { desktop, saved }
}

function fakeClient(overrides: Partial<ReadingServerClient> = {}): ReadingServerClient {
  let token: string | null = null
  return {
    serverUrl: 'http://127.0.0.1:8642',
    dicomwebRoot: 'http://127.0.0.1:8642/dicomweb',
    login: async () => ({ accessToken: 't'.repeat(40), expiresAt: '2026-11-21T20:00:00.000Z', user }),
    logout: async () => undefined,
    me: async () => user,
    worklist: async () => ({ assignments: [], serverTime: '2026-11-21T12:00:00.000Z', version: 'v1', cachePolicy: { retentionDays: 7 } }),
    worklistChanges: async () => null,
    refresh: async () => {
      throw new RequestError('unauthenticated', 'no refresh token', 401)
    },
    startTotpEnrolment: async () => ({ secret: 'JBSWY3DPEHPK3PXP', otpauthUri: 'otpauth://totp/x:reader1?secret=JBSWY3DPEHPK3PXP' }),
    changePassword: async () => undefined,
    confirmTotpEnrolment: async () => ({ recoveryCodes: Array.from({ length: 10 }, (_, i) => `code-${i}-xxxx`) }),
    setToken: (t) => void (token = t),
    getToken: () => token,
    ...overrides,
  }
}

describe('session store', () => {
  beforeEach(() => {
    vi.stubGlobal('localStorage', undefined)
  })

  it('proposes the built-in server and shows the login form when nothing is remembered', async () => {
    const store = createSessionStore({ desktop: fakeDesktop().desktop, createClient: () => fakeClient(), now: () => NOW })
    await store.getState().start()
    expect(store.getState()).toMatchObject({ status: 'logged-out', defaultServerUrl: 'http://127.0.0.1:8642', problem: null })
  })

  it('logs in, remembers the token and logs out again', async () => {
    const { desktop, saved } = fakeDesktop()
    const store = createSessionStore({ desktop, createClient: () => fakeClient(), now: () => NOW })
    await store.getState().login('http://127.0.0.1:8642', 'reader1', 'pw')
    expect(store.getState()).toMatchObject({ status: 'logged-in', user })
    expect(store.getState().client?.getToken()).toBe('t'.repeat(40))
    expect(saved.get('http://127.0.0.1:8642')?.username).toBe('reader1')
    await store.getState().logout()
    expect(store.getState()).toMatchObject({ status: 'logged-out', user: null, client: null })
    expect(saved.size).toBe(0)
  })

  it('still logs in when the desktop cannot store credentials securely', async () => {
    const store = createSessionStore({ desktop: fakeDesktop(null, true).desktop, createClient: () => fakeClient(), now: () => NOW })
    await store.getState().login('http://127.0.0.1:8642', 'reader1', 'pw')
    expect(store.getState().status).toBe('logged-in')
  })

  it('explains a wrong password and an unreachable server', async () => {
    const wrong = createSessionStore({
      desktop: fakeDesktop().desktop,
      createClient: () => fakeClient({ login: async () => Promise.reject(new RequestError('invalid-credentials', 'wrong', 401)) }),
    })
    await wrong.getState().login('http://s', 'reader1', 'bad')
    expect(wrong.getState()).toMatchObject({ status: 'logged-out', problem: { kind: 'invalid-credentials' } })

    const down = createSessionStore({
      desktop: fakeDesktop().desktop,
      createClient: () => fakeClient({ login: async () => Promise.reject(new RequestError('unreachable', 'cannot reach http://s')) }),
    })
    await down.getState().login('http://s', 'reader1', 'pw')
    expect(down.getState().problem).toEqual({ kind: 'unreachable', detail: 'cannot reach http://s' })
  })

  it('resumes a remembered session that has not expired, and ignores an expired one', async () => {
    const valid = { username: 'reader1', accessToken: 'x'.repeat(40), expiresAt: '2026-11-21T13:00:00.000Z' }
    const resumed = createSessionStore({ desktop: fakeDesktop(valid).desktop, createClient: () => fakeClient(), now: () => NOW })
    await resumed.getState().start()
    expect(resumed.getState().status).toBe('logged-in')

    const me = vi.fn(async () => user)
    const expired = { ...valid, expiresAt: '2026-11-21T11:00:00.000Z' }
    const stale = createSessionStore({ desktop: fakeDesktop(expired).desktop, createClient: () => fakeClient({ me }), now: () => NOW })
    await stale.getState().start()
    expect(stale.getState().status).toBe('logged-out')
    expect(me).not.toHaveBeenCalled()
  })

  it('ends the session with a reason when the server says the token expired', async () => {
    const store = createSessionStore({ desktop: fakeDesktop().desktop, createClient: () => fakeClient(), now: () => NOW })
    await store.getState().login('http://127.0.0.1:8642', 'reader1', 'pw')
    store.getState().expire()
    expect(store.getState()).toMatchObject({ status: 'logged-out', problem: { kind: 'token-expired' } })
  })

  describe('short-lived tokens (issue 7)', () => {
    const session = (n: number, expiresAt: number) => ({
      accessToken: `access-${n}-`.padEnd(40, 'a'),
      expiresAt: new Date(expiresAt).toISOString(),
      refreshToken: `refresh-${n}-`.padEnd(40, 'r'),
      user,
      totpEnabled: false,
    })

    it('refreshes a minute before the access token expires, with the latest refresh token, and tells token holders', async () => {
      vi.useFakeTimers({ now: NOW })
      try {
        const refresh = vi.fn(async (token: string) => session(Number(/refresh-(\d+)/.exec(token)?.[1]) + 1, Date.now() + 15 * 60_000))
        const store = createSessionStore({
          desktop: fakeDesktop().desktop,
          createClient: () => fakeClient({ login: async () => session(1, NOW + 15 * 60_000), refresh }),
        })
        await store.getState().login('http://127.0.0.1:8642', 'reader1', 'pw')
        await vi.advanceTimersByTimeAsync(13 * 60_000)
        expect(refresh).not.toHaveBeenCalled()
        await vi.advanceTimersByTimeAsync(60_000)
        expect(refresh).toHaveBeenCalledWith(session(1, 0).refreshToken)
        expect(store.getState().client?.getToken()).toBe(session(2, 0).accessToken)
        expect(store.getState().tokenVersion).toBe(1)
        await vi.advanceTimersByTimeAsync(14 * 60_000)
        expect(refresh).toHaveBeenLastCalledWith(session(2, 0).refreshToken)
        expect(store.getState()).toMatchObject({ status: 'logged-in', tokenVersion: 2 })
      } finally {
        vi.useRealTimers()
      }
    })

    it('refreshes once for simultaneous expiries; a refused refresh ends the session; an unreachable server is tried again', async () => {
      let answer: () => Promise<ReturnType<typeof session>> = async () => session(2, NOW + 15 * 60_000)
      const refresh = vi.fn(() => answer())
      const store = createSessionStore({
        desktop: fakeDesktop().desktop,
        createClient: () => fakeClient({ login: async () => session(1, NOW + 15 * 60_000), refresh }),
        now: () => NOW,
      })
      await store.getState().login('http://127.0.0.1:8642', 'reader1', 'pw')
      await Promise.all([store.getState().tokenExpired(), store.getState().tokenExpired()])
      expect(refresh).toHaveBeenCalledTimes(1)
      expect(store.getState().status).toBe('logged-in')

      answer = async () => Promise.reject(new RequestError('unreachable', 'down'))
      await store.getState().tokenExpired()
      expect(store.getState().status).toBe('logged-in')

      answer = async () => Promise.reject(new RequestError('unauthenticated', 'revoked', 401))
      await store.getState().tokenExpired()
      expect(store.getState()).toMatchObject({ status: 'logged-out', problem: { kind: 'token-expired' } })
      store.getState().logout()
    })

    it('asks for the second factor after the password, then logs in with the code', async () => {
      const login = vi.fn(async (_u: string, _p: string, second?: unknown) => {
        if (!second) throw new SecondFactorRequired('code please')
        return { ...session(1, NOW + 15 * 60_000), totpEnabled: true }
      })
      const store = createSessionStore({ desktop: fakeDesktop().desktop, createClient: () => fakeClient({ login }), now: () => NOW })
      await store.getState().login('http://127.0.0.1:8642', 'reader1', 'pw')
      expect(store.getState()).toMatchObject({ status: 'logged-out', secondFactorRequired: true, problem: null })
      await store.getState().login('http://127.0.0.1:8642', 'reader1', 'pw', { totpCode: '123456' })
      expect(store.getState()).toMatchObject({ status: 'logged-in', secondFactorRequired: false, totpEnabled: true })
      expect(login).toHaveBeenLastCalledWith('reader1', 'pw', { totpCode: '123456' })
      await store.getState().logout()
    })

    it('says how long a lock-out lasts', async () => {
      const store = createSessionStore({
        desktop: fakeDesktop().desktop,
        createClient: () => fakeClient({ login: async () => Promise.reject(new LoginLocked('locked', 840)) }),
        now: () => NOW,
      })
      await store.getState().login('http://127.0.0.1:8642', 'reader1', 'pw')
      expect(store.getState().problem).toEqual({ kind: 'locked', detail: '14' })
    })

    it('re-authenticates as the same user for the session lock, taking the new tokens', async () => {
      let wrong = false
      const login = vi.fn(async () => {
        if (wrong) throw new RequestError('invalid-credentials', 'no', 401)
        return session(login.mock.calls.length, NOW + 15 * 60_000)
      })
      const store = createSessionStore({ desktop: fakeDesktop().desktop, createClient: () => fakeClient({ login }), now: () => NOW })
      await store.getState().login('http://127.0.0.1:8642', 'reader1', 'pw')
      wrong = true
      expect(await store.getState().reauthenticate('bad')).toMatchObject({ kind: 'invalid-credentials' })
      wrong = false
      expect(await store.getState().reauthenticate('pw')).toBe('ok')
      expect(store.getState().client?.getToken()).toBe(session(3, 0).accessToken)
      expect(store.getState().tokenVersion).toBe(1)
      await store.getState().logout()
    })
  })
})
