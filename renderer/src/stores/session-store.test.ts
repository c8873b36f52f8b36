import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { DesktopBridge, StoredCredentials } from '../../../shared/desktop-bridge.ts'
import type { ReadingServerClient } from '../api/reading-server-client.ts'
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
})
