/** When to try a failed request again, and how long to wait first. */
import { RequestError } from '../api/request-error.ts'

export interface RetryPolicy {
  maxAttempts: number
  baseDelayMs: number
  maxDelayMs: number
  /**
   * The longest wait a server's Retry-After is honoured for (default 2 minutes): a server
   * asking for an hour is tried again after this, not left alone for an hour.
   */
  maxRetryAfterMs?: number
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 }

const DEFAULT_MAX_RETRY_AFTER_MS = 120_000

/** Exponential back-off with full jitter: a random wait up to base·2^(attempt−1), capped. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1))
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
}

/** The server's Retry-After for this failure, bounded by the policy; undefined when it gave none. */
export function serverRetryAfter(error: unknown, policy: RetryPolicy): number | undefined {
  if (!(error instanceof RequestError) || error.retryAfterMs === undefined) return undefined
  return Math.min(error.retryAfterMs, policy.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS)
}

/**
 * How long to wait before attempt `attempt + 1`: the back-off, or longer when the server said
 * when to come back (Retry-After on a 503 or 429), up to the policy's bound.
 */
export function retryDelay(error: unknown, attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  return Math.max(backoffDelay(attempt, policy, random), serverRetryAfter(error, policy) ?? 0)
}

/**
 * Network failures, stalls, answers cut short or altered on the way, 5xx, 429 and 408 are worth
 * retrying; refusals (401/403/404, other 4xx) and answers that are whole but wrong are not.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof RequestError) {
    if (error.failure === 'server-error') return error.status === undefined || error.status >= 500 || error.status === 429 || error.status === 408
    return error.failure === 'unreachable' || error.failure === 'timeout' || error.failure === 'truncated' || error.failure === 'integrity'
  }
  if (error instanceof DOMException) return error.name === 'TimeoutError' || error.name === 'NetworkError'
  return error instanceof TypeError // fetch's own network failure
}

/** The server no longer accepts this session: stop and ask the reader to log in again. */
export function isAuthFailure(error: unknown): boolean {
  return error instanceof RequestError && (error.failure === 'token-expired' || error.failure === 'unauthenticated')
}
