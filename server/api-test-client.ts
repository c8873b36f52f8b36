/**
 * Test-only: a small client for the reading server's API as the server tests use it — calls as a
 * signed-in user (tokens by username), error assertions by contract code. Not used by the server.
 */
import { expect } from 'vitest'
import { apiErrorSchema, apiPaths, loginResponseSchema } from '../shared/api-contract.ts'
import { IDEMPOTENCY_KEY_HEADER } from '../shared/report-contract.ts'
import { DEMO_PASSWORD } from './demo-seed.ts'

export interface CallOptions {
  user?: string
  method?: string
  body?: unknown
  key?: string
}

export interface ApiTestClient {
  call(path: string, options?: CallOptions): Promise<Response>
  /** Calls and parses a 2xx JSON answer, failing the test with the body otherwise. */
  json<T>(path: string, options: CallOptions, parse: (value: unknown) => T, status?: number): Promise<T>
  expectError(response: Response, status: number, error: string): Promise<void>
  loginAll(usernames: readonly string[]): Promise<void>
}

export function apiTestClient(baseUrl: () => string): ApiTestClient {
  const tokens = new Map<string, string>()
  const call = (path: string, options: CallOptions = {}) => {
    const token = options.user ? tokens.get(options.user) : undefined
    return fetch(`${baseUrl()}${path}`, {
      method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.key !== undefined ? { [IDEMPOTENCY_KEY_HEADER]: options.key } : {}),
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    })
  }
  return {
    call,
    async json(path, options, parse, status) {
      const response = await call(path, options)
      const text = await response.text()
      if (status !== undefined ? response.status !== status : !response.ok) throw new Error(`${options.method ?? 'GET'} ${path} as ${options.user}: ${response.status} ${text}`)
      return parse(text ? JSON.parse(text) : undefined)
    },
    async expectError(response, status, error) {
      const body = await response.text()
      expect(response.status, body).toBe(status)
      expect(apiErrorSchema.parse(JSON.parse(body)).error).toBe(error)
    },
    async loginAll(usernames) {
      for (const username of usernames) {
        const response = await call(apiPaths.login, { method: 'POST', body: { username, password: DEMO_PASSWORD } })
        tokens.set(username, loginResponseSchema.parse(await response.json()).accessToken)
      }
    },
  }
}
