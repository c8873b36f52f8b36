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
import { DICOMWEB_ROOT } from '../../../shared/dicomweb-paths.ts'
import { errorFromResponse, fetchOrUnreachable, RequestError } from './request-error.ts'
import { readResponseJson } from './response-body.ts'

export interface ReadingServerClient {
  readonly serverUrl: string
  /** The DICOMweb service root of this server. */
  readonly dicomwebRoot: string
  login(username: string, password: string): Promise<LoginResponse>
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
    login: (username, password) =>
      call(apiPaths.login, loginResponseSchema, { method: 'POST', body: JSON.stringify({ username, password }) }),
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
