/**
 * Who is logged in to which reading server; the only holder of the API client and its tokens.
 * Access tokens are short-lived (15 minutes): the store refreshes them a minute before they
 * expire, and again whenever a request finds one expired (the sync worker reports it), so the
 * reader never notices. Only when the refresh token is refused does the session end.
 */
import { create } from 'zustand'
import type { LoginResponse, User } from '../../../shared/api-contract.ts'
import type { TotpConfirmResponse, TotpEnrolment } from '../../../shared/auth-contract.ts'
import type { DesktopBridge } from '../../../shared/desktop-bridge.ts'
import { RequestError } from '../api/request-error.ts'
import { LoginLocked, SecondFactorRequired, type ReadingServerClient, type SecondFactor } from '../api/reading-server-client.ts'

export interface SessionProblem {
  kind: 'invalid-credentials' | 'unreachable' | 'token-expired' | 'locked' | 'other'
  /** For 'locked': the minutes until a log-in may be tried again. */
  detail: string
}

export interface SessionState {
  status: 'starting' | 'logged-out' | 'logging-in' | 'logged-in'
  /** The server URL the login form proposes. */
  defaultServerUrl: string
  user: User | null
  client: ReadingServerClient | null
  problem: SessionProblem | null
  /** The password was right and the user has TOTP: the login form asks for the code. */
  secondFactorRequired: boolean
  /** The signed-in user has TOTP enrolled. */
  totpEnabled: boolean
  /** Counts token changes after login (refreshes, re-authentication): holders of a copy (the sync worker) take the new one. */
  tokenVersion: number
  start(): Promise<void>
  login(serverUrl: string, username: string, password: string, second?: SecondFactor): Promise<void>
  /** Back from the code step to the password step. */
  cancelSecondFactor(): void
  logout(): Promise<void>
  /** Ends the session because the server refused the token; the login form says why. */
  expire(): void
  /**
   * A new access token from the refresh token; false when there is none or the server refused it
   * (then the session has ended), or the server could not be reached (tried again soon).
   */
  refreshSession(): Promise<boolean>
  /** A token was found expired: refresh, or end the session when that is impossible. */
  tokenExpired(): Promise<void>
  /** Proves again who is at the keyboard (session lock) by logging in anew as the same user. */
  reauthenticate(password: string, second?: SecondFactor): Promise<'ok' | 'second-factor' | SessionProblem>
  startTotpEnrolment(password: string): Promise<TotpEnrolment>
  confirmTotpEnrolment(code: string): Promise<TotpConfirmResponse>
  changePassword(currentPassword: string, newPassword: string): Promise<void>
}

export interface SessionDeps {
  desktop: DesktopBridge
  createClient: (serverUrl: string) => ReadingServerClient
  now?: () => number
}

function problemFrom(error: unknown): SessionProblem {
  if (error instanceof LoginLocked) return { kind: 'locked', detail: String(Math.max(1, Math.ceil(error.retryAfterSeconds / 60))) }
  if (error instanceof RequestError) {
    if (error.failure === 'invalid-credentials' || error.failure === 'unreachable' || error.failure === 'token-expired') {
      return { kind: error.failure, detail: error.message }
    }
    return { kind: 'other', detail: error.message }
  }
  return { kind: 'other', detail: error instanceof Error ? error.message : String(error) }
}

const LAST_SERVER_KEY = 'reading-workstation.last-server'
/** Refresh this long before the access token expires, so a slow answer still comes in time. */
const REFRESH_MARGIN_MS = 60_000
/** When the server could not be reached for a refresh, try again after this long. */
const REFRESH_RETRY_MS = 15_000

export function createSessionStore({ desktop, createClient, now = Date.now }: SessionDeps) {
  /** Kept out of the state: nothing outside the store needs to read it. */
  let refreshToken: string | null = null
  let refreshTimer: ReturnType<typeof setTimeout> | undefined
  let refreshing: Promise<boolean> | null = null

  const clearRefresh = () => {
    clearTimeout(refreshTimer)
    refreshTimer = undefined
    refreshToken = null
    refreshing = null
  }

  return create<SessionState>((set, get) => {
    const scheduleRefresh = (delayMs: number) => {
      clearTimeout(refreshTimer)
      if (!refreshToken) return
      refreshTimer = setTimeout(() => void get().refreshSession(), Math.max(1_000, delayMs))
    }

    /** Takes a login or refresh answer into the client and the store. */
    const adopt = (client: ReadingServerClient, session: LoginResponse) => {
      client.setToken(session.accessToken)
      refreshToken = session.refreshToken ?? null
      scheduleRefresh(Date.parse(session.expiresAt) - now() - REFRESH_MARGIN_MS)
      // remembering the session is a convenience: where the OS has no secure storage the
      // shell refuses it, and the reader simply logs in again next time
      void desktop.credentials
        .save(client.serverUrl, { username: session.user.username, accessToken: session.accessToken, expiresAt: session.expiresAt })
        .catch(() => undefined)
    }

    return {
      status: 'starting',
      defaultServerUrl: '',
      user: null,
      client: null,
      problem: null,
      secondFactorRequired: false,
      totpEnabled: false,
      tokenVersion: 0,

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

      async login(serverUrl, username, password, second) {
        if (get().status === 'logging-in') return
        set({ status: 'logging-in', problem: null })
        try {
          const client = createClient(serverUrl)
          const session = await client.login(username, password, second)
          adopt(client, session)
          globalThis.localStorage?.setItem(LAST_SERVER_KEY, client.serverUrl)
          set({
            status: 'logged-in',
            client,
            user: session.user,
            defaultServerUrl: client.serverUrl,
            secondFactorRequired: false,
            totpEnabled: session.totpEnabled ?? false,
          })
        } catch (error) {
          if (error instanceof SecondFactorRequired) {
            set({ status: 'logged-out', secondFactorRequired: true, problem: null })
            return
          }
          set({ status: 'logged-out', problem: problemFrom(error) })
        }
      },

      cancelSecondFactor() {
        set({ secondFactorRequired: false, problem: null })
      },

      async logout() {
        const { client } = get()
        clearRefresh()
        set({ status: 'logged-out', client: null, user: null, problem: null, secondFactorRequired: false, totpEnabled: false })
        if (!client) return
        await desktop.credentials.clear(client.serverUrl)
        // revoking is best effort: the token is already forgotten here (the server revokes the refresh token with it)
        await client.logout().catch(() => undefined)
      },

      expire() {
        const { client } = get()
        clearRefresh()
        if (client) void desktop.credentials.clear(client.serverUrl)
        set({ status: 'logged-out', client: null, user: null, problem: { kind: 'token-expired', detail: '' }, secondFactorRequired: false })
      },

      refreshSession() {
        // one refresh at a time: a refresh token works once, a second use would revoke the session
        if (refreshing) return refreshing
        const { client } = get()
        const token = refreshToken
        if (!client || !token) return Promise.resolve(false)
        refreshing = client
          .refresh(token)
          .then((session) => {
            if (get().client !== client) return false
            adopt(client, session)
            set((state) => ({ tokenVersion: state.tokenVersion + 1, user: session.user }))
            return true
          })
          .catch((error: unknown) => {
            if (get().client !== client) return false
            if (error instanceof RequestError && (error.failure === 'unreachable' || error.failure === 'timeout' || error.failure === 'server-error')) {
              scheduleRefresh(REFRESH_RETRY_MS)
              return false
            }
            get().expire()
            return false
          })
          .finally(() => {
            refreshing = null
          })
        return refreshing
      },

      async tokenExpired() {
        if (!(await get().refreshSession()) && get().status === 'logged-in' && !refreshTimer) get().expire()
      },

      async reauthenticate(password, second) {
        const { client, user } = get()
        if (!client || !user) return { kind: 'other', detail: 'not logged in' }
        try {
          const session = await client.login(user.username, password, second)
          if (session.user.id !== user.id) return { kind: 'invalid-credentials', detail: '' }
          // the new login's tokens replace the old; the old login's refresh token simply expires unused
          adopt(client, session)
          set((state) => ({ tokenVersion: state.tokenVersion + 1, totpEnabled: session.totpEnabled ?? state.totpEnabled }))
          return 'ok'
        } catch (error) {
          if (error instanceof SecondFactorRequired) return 'second-factor'
          return problemFrom(error)
        }
      },

      startTotpEnrolment(password) {
        const { client } = get()
        if (!client) return Promise.reject(new Error('not logged in'))
        return client.startTotpEnrolment(password)
      },

      changePassword(currentPassword, newPassword) {
        const { client } = get()
        if (!client) return Promise.reject(new Error('not logged in'))
        return client.changePassword(currentPassword, newPassword)
      },

      async confirmTotpEnrolment(code) {
        const { client } = get()
        if (!client) throw new Error('not logged in')
        const result = await client.confirmTotpEnrolment(code)
        set({ totpEnabled: true })
        return result
      },
    }
  })
}
