/** When to try a failed request again, and how long to wait first. */
import { RequestError } from '../api/request-error.ts'

export interface RetryPolicy {
  maxAttempts: number
  baseDelayMs: number
  maxDelayMs: number
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 30_000 }

/** Exponential back-off with full jitter: a random wait up to base·2^(attempt−1), capped. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1))
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
}

/** Network failures, timeouts and 5xx are worth retrying; refusals (401/403/404) and broken answers are not. */
export function isTransient(error: unknown): boolean {
  if (error instanceof RequestError) return error.failure === 'unreachable' || error.failure === 'server-error'
  if (error instanceof DOMException) return error.name === 'TimeoutError' || error.name === 'NetworkError'
  return error instanceof TypeError // fetch's own network failure
}

/** The server no longer accepts this session: stop and ask the reader to log in again. */
export function isAuthFailure(error: unknown): boolean {
  return error instanceof RequestError && (error.failure === 'token-expired' || error.failure === 'unauthenticated')
}
