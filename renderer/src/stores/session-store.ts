/** Who is logged in to which reading server; the only holder of the API client and its token. */
import { create } from 'zustand'
import type { User } from '../../../shared/api-contract.ts'
import type { DesktopBridge } from '../../../shared/desktop-bridge.ts'
import { RequestError } from '../api/request-error.ts'
import type { ReadingServerClient } from '../api/reading-server-client.ts'

export interface SessionProblem {
  kind: 'invalid-credentials' | 'unreachable' | 'token-expired' | 'other'
  detail: string
}

export interface SessionState {
  status: 'starting' | 'logged-out' | 'logging-in' | 'logged-in'
  /** The server URL the login form proposes. */
  defaultServerUrl: string
  user: User | null
  client: ReadingServerClient | null
  problem: SessionProblem | null
  start(): Promise<void>
  login(serverUrl: string, username: string, password: string): Promise<void>
  logout(): Promise<void>
  /** Ends the session because the server refused the token; the login form says why. */
  expire(): void
}

export interface SessionDeps {
  desktop: DesktopBridge
  createClient: (serverUrl: string) => ReadingServerClient
  now?: () => number
}

function problemFrom(error: unknown): SessionProblem {
  if (error instanceof RequestError) {
    if (error.failure === 'invalid-credentials' || error.failure === 'unreachable' || error.failure === 'token-expired') {
      return { kind: error.failure, detail: error.message }
    }
    return { kind: 'other', detail: error.message }
  }
  return { kind: 'other', detail: error instanceof Error ? error.message : String(error) }
}

const LAST_SERVER_KEY = 'reading-workstation.last-server'

export function createSessionStore({ desktop, createClient, now = Date.now }: SessionDeps) {
  return create<SessionState>((set, get) => ({
    status: 'starting',
    defaultServerUrl: '',
    user: null,
    client: null,
    problem: null,

    async start() {
      const info = await desktop.app.info()
      const lastServer = globalThis.localStorage?.getItem(LAST_SERVER_KEY)
      const serverUrl = lastServer || info.builtInServerUrl || 'http://127.0.0.1:8642'
      set({ defaultServerUrl: serverUrl })
      try {
        const stored = await desktop.credentials.load(serverUrl)
        if (stored && Date.parse(stored.expiresAt) > now()) {
          const client = createClient(serverUrl)
          client.setToken(stored.accessToken)
          const user = await client.me()
          set({ status: 'logged-in', client, user, problem: null })
          return
        }
      } catch (error) {
        // a stale or revoked token, or the server is down: fall through to the login form
        if (error instanceof RequestError && error.failure === 'unreachable') set({ problem: problemFrom(error) })
      }
      set({ status: 'logged-out' })
    },

    async login(serverUrl, username, password) {
      if (get().status === 'logging-in') return
      set({ status: 'logging-in', problem: null })
      try {
        const client = createClient(serverUrl)
        const session = await client.login(username, password)
        client.setToken(session.accessToken)
        // remembering the session is a convenience: where the OS has no secure storage the
        // shell refuses it, and the reader simply logs in again next time
        await desktop.credentials
          .save(client.serverUrl, { username, accessToken: session.accessToken, expiresAt: session.expiresAt })
          .catch(() => undefined)
        globalThis.localStorage?.setItem(LAST_SERVER_KEY, client.serverUrl)
        set({ status: 'logged-in', client, user: session.user, defaultServerUrl: client.serverUrl })
      } catch (error) {
        set({ status: 'logged-out', problem: problemFrom(error) })
      }
    },

    async logout() {
      const { client } = get()
      set({ status: 'logged-out', client: null, user: null, problem: null })
      if (!client) return
      await desktop.credentials.clear(client.serverUrl)
      // revoking is best effort: the token is already forgotten here
      await client.logout().catch(() => undefined)
    },

    expire() {
      const { client } = get()
      if (client) void desktop.credentials.clear(client.serverUrl)
      set({ status: 'logged-out', client: null, user: null, problem: { kind: 'token-expired', detail: '' } })
    },
  }))
}
