/**
 * The reading server's JSON API as the workstation sees it: typed calls validated against
 * the shared contract, failures as RequestError.
 */
import type { z } from 'zod'
import {
  apiPaths,
  loginResponseSchema,
  userSchema,
  WORKLIST_MAX_WAIT_SECONDS,
  worklistResponseSchema,
  type LoginResponse,
  type User,
  type WorklistResponse,
} from '../../../shared/api-contract.ts'
import {
  authPaths,
  totpConfirmResponseSchema,
  totpEnrolmentSchema,
  type TotpConfirmResponse,
  type TotpEnrolment,
} from '../../../shared/auth-contract.ts'
import { DICOMWEB_ROOT } from '../../../shared/dicomweb-paths.ts'
import { errorFromResponse, fetchOrUnreachable, RequestError } from './request-error.ts'
import { readResponseJson } from './response-body.ts'

/** The second step of a login for a user with TOTP: the app's current code, or a one-time recovery code. */
export type SecondFactor = { totpCode: string } | { recoveryCode: string }

/** The password was right; the user has TOTP and must send a code (or a recovery code) with it. */
export class SecondFactorRequired extends RequestError {
  constructor(message: string) {
    super('unauthenticated', message, 401)
    this.name = 'SecondFactorRequired'
  }
}

/** Too many failed log-ins for this user name or from this computer: nothing is tried until retryAfterSeconds pass. */
export class LoginLocked extends RequestError {
  readonly retryAfterSeconds: number
  constructor(message: string, retryAfterSeconds: number) {
    super('server-error', message, 429, retryAfterSeconds * 1000)
    this.name = 'LoginLocked'
    this.retryAfterSeconds = retryAfterSeconds
  }
}

export interface ReadingServerClient {
  readonly serverUrl: string
  /** The DICOMweb service root of this server. */
  readonly dicomwebRoot: string
  /** Throws SecondFactorRequired when the user has TOTP and `second` is missing, LoginLocked when throttled. */
  login(username: string, password: string, second?: SecondFactor): Promise<LoginResponse>
  /** New tokens for a refresh token (which is used up); RequestError 'unauthenticated' when it is no longer valid. */
  refresh(refreshToken: string): Promise<LoginResponse>
  /** Needs the password again (see TotpEnrolmentRequest). */
  startTotpEnrolment(password: string): Promise<TotpEnrolment>
  confirmTotpEnrolment(code: string): Promise<TotpConfirmResponse>
  /** RequestError 'invalid-credentials' for a wrong current password, LoginLocked when throttled, status 400 for the policy. */
  changePassword(currentPassword: string, newPassword: string): Promise<void>
  logout(): Promise<void>
  me(): Promise<User>
  worklist(): Promise<WorklistResponse>
  /**
   * The worklist if it changed since `version` (null: always), waiting up to `waitSeconds`
   * for a change (long-poll); null when nothing changed.
   */
  worklistChanges(version: string | null, waitSeconds: number, signal?: AbortSignal): Promise<WorklistResponse | null>
  setToken(token: string | null): void
  getToken(): string | null
}

/** 127.0.0.0/8, ::1 and localhost: the only hosts spoken to without TLS. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
}

/** Normalises what a user typed as server URL: trims, drops trailing slashes, requires http(s). */
export function normaliseServerUrl(input: string): string {
  const trimmed = input.trim().replace(/\/+$/, '')
  let url: URL
  try {
    url = new URL(trimmed)
  } catch {
    throw new RequestError('unreachable', `not a URL: ${input}`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RequestError('unreachable', `not an http(s) URL: ${input}`)
  // patient data never crosses a network in clear: plain http only to this computer itself
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) throw new RequestError('unreachable', `refusing plain http to ${url.hostname}: use https:// (plain http is allowed only for this computer)`)
  return trimmed
}

/** Creates a client for one reading server. */
export function createReadingServerClient(serverUrl: string, fetchFn: typeof fetch = globalThis.fetch.bind(globalThis)): ReadingServerClient {
  const base = normaliseServerUrl(serverUrl)
  let token: string | null = null

  async function call<S extends z.ZodType>(path: string, schema: S, init: RequestInit = {}): Promise<z.infer<S>> {
    const headers: Record<string, string> = { accept: 'application/json' }
    if (init.body) headers['content-type'] = 'application/json'
    if (token) headers.authorization = `Bearer ${token}`
    const response = await fetchOrUnreachable(fetchFn, base + path, { ...init, headers })
    if (!response.ok) throw await errorFromResponse(response)
    const parsed = schema.safeParse(await readResponseJson(response, path))
    if (!parsed.success) throw new RequestError('bad-response', `${path}: the server's answer does not match the API contract`)
    return parsed.data
  }

  return {
    serverUrl: base,
    dicomwebRoot: base + DICOMWEB_ROOT,
    async login(username, password, second) {
      const response = await fetchOrUnreachable(fetchFn, base + apiPaths.login, {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify({ username, password, ...second }),
      })
      if (!response.ok) {
        // the contract's codes for the two-step login and the lock-out, which RequestError has no words for
        const body = (await response.clone().json().catch(() => ({}))) as { error?: unknown; message?: unknown; retryAfterSeconds?: unknown }
        const message = typeof body.message === 'string' ? body.message : `${response.status}`
        if (body.error === 'totp-required') throw new SecondFactorRequired(message)
        if (body.error === 'too-many-attempts') {
          const seconds = typeof body.retryAfterSeconds === 'number' ? body.retryAfterSeconds : Number(response.headers.get('retry-after') ?? 60)
          throw new LoginLocked(message, seconds)
        }
        throw await errorFromResponse(response)
      }
      const parsed = loginResponseSchema.safeParse(await readResponseJson(response, apiPaths.login))
      if (!parsed.success) throw new RequestError('bad-response', `${apiPaths.login}: the server's answer does not match the API contract`)
      return parsed.data
    },
    refresh: (refreshToken) =>
      call(authPaths.refresh, loginResponseSchema, { method: 'POST', body: JSON.stringify({ refreshToken }) }),
    startTotpEnrolment: (password) => call(authPaths.totpEnrolment, totpEnrolmentSchema, { method: 'POST', body: JSON.stringify({ password }) }),
    async changePassword(currentPassword, newPassword) {
      const response = await fetchOrUnreachable(fetchFn, base + authPaths.password, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ currentPassword, newPassword }),
      })
      if (response.ok) return
      const body = (await response.clone().json().catch(() => ({}))) as { error?: unknown; message?: unknown; retryAfterSeconds?: unknown }
      if (body.error === 'too-many-attempts') {
        throw new LoginLocked(typeof body.message === 'string' ? body.message : '429', typeof body.retryAfterSeconds === 'number' ? body.retryAfterSeconds : 60)
      }
      throw await errorFromResponse(response)
    },
    confirmTotpEnrolment: (code) => call(authPaths.totpConfirm, totpConfirmResponseSchema, { method: 'POST', body: JSON.stringify({ code }) }),
    async logout() {
      if (!token) return
      const response = await fetchOrUnreachable(fetchFn, base + apiPaths.logout, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      })
      if (!response.ok && response.status !== 401) throw await errorFromResponse(response)
    },
    me: () => call(apiPaths.me, userSchema),
    async worklistChanges(version, waitSeconds, signal) {
      const headers: Record<string, string> = { accept: 'application/json' }
      if (token) headers.authorization = `Bearer ${token}`
      if (version) headers['if-none-match'] = `"${version}"`
      const query = version && waitSeconds > 0 ? `?waitSeconds=${Math.max(1, Math.min(Math.round(waitSeconds), WORKLIST_MAX_WAIT_SECONDS))}` : ''
      const init: RequestInit = { headers }
      if (signal) init.signal = signal
      const response = await fetchOrUnreachable(fetchFn, base + apiPaths.worklist + query, init)
      if (response.status === 304) return null
      if (!response.ok) throw await errorFromResponse(response)
      const parsed = worklistResponseSchema.safeParse(await readResponseJson(response, apiPaths.worklist))
      if (!parsed.success) throw new RequestError('bad-response', `${apiPaths.worklist}: the server's answer does not match the API contract`)
      return parsed.data
    },
    worklist: () => call(apiPaths.worklist, worklistResponseSchema),
    setToken(next) {
      token = next
    },
    getToken: () => token,
  }
}
