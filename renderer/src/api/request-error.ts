/** Why a request to a reading server or PACS failed, in terms the UI can translate. */
import { parseRetryAfter } from './retry-after.ts'

export type RequestFailure =
  | 'unreachable'
  | 'invalid-credentials'
  | 'token-expired'
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  | 'server-error'
  | 'bad-response'
  /** The server sent nothing (no answer, or no more of the body) for longer than the stall timeout. */
  | 'timeout'
  /** The answer ended before all of it arrived (connection cut or closed early). */
  | 'truncated'
  /** The answer arrived whole but does not match the length or digest the server declared. */
  | 'integrity'

export class RequestError extends Error {
  readonly failure: RequestFailure
  readonly status: number | undefined
  /** How long the server asked to wait before trying again (its Retry-After), unbounded; undefined when it did not say. */
  readonly retryAfterMs: number | undefined

  constructor(failure: RequestFailure, message: string, status?: number, retryAfterMs?: number) {
    super(message)
    this.name = 'RequestError'
    this.failure = failure
    this.status = status
    this.retryAfterMs = retryAfterMs
  }
}

/** Error codes of a network failure underneath fetch (Node's undici puts them in `cause`), named for a reader. */
const NETWORK_CAUSES: Record<string, string> = {
  ENOTFOUND: 'the server name could not be resolved (DNS)',
  EAI_AGAIN: 'the server name could not be resolved (DNS did not answer)',
  EAI_NONAME: 'the server name could not be resolved (DNS)',
  ECONNREFUSED: 'the connection was refused (the server is not running or not listening there)',
  ECONNRESET: 'the connection was reset',
  EHOSTUNREACH: 'the host cannot be reached',
  ENETUNREACH: 'the network cannot be reached',
  ETIMEDOUT: 'connecting timed out',
  UND_ERR_SOCKET: 'the server closed the connection',
  UND_ERR_CONNECT_TIMEOUT: 'connecting timed out',
}

/**
 * What went wrong underneath a failed fetch, as precisely as the platform says: Node gives the
 * socket error's code in `cause` (possibly inside an AggregateError, one per address tried);
 * a browser says only "Failed to fetch", and that is what the reader then sees.
 */
export function describeNetworkFailure(error: unknown): string {
  for (let cause: unknown = error, depth = 0; cause instanceof Error && depth < 4; depth++) {
    const code = (cause as { code?: unknown }).code
    if (typeof code === 'string' && NETWORK_CAUSES[code]) return `${NETWORK_CAUSES[code]} (${code})`
    const inner = cause instanceof AggregateError ? cause.errors[0] : cause.cause
    if (inner === undefined) break
    cause = inner
  }
  return error instanceof Error ? error.message : String(error)
}

/** Wraps fetch so that a network failure becomes a RequestError('unreachable') naming the URL and the cause. */
export async function fetchOrUnreachable(fetchFn: typeof fetch, url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetchFn(url, init)
  } catch (cause) {
    // a deliberate abort is not a network failure: let the caller see it as such
    if (init.signal?.aborted) throw cause
    // already classified underneath (a stall timeout)
    if (cause instanceof RequestError) throw cause
    throw new RequestError('unreachable', `cannot reach ${new URL(url).origin}: ${describeNetworkFailure(cause)}`)
  }
}

/**
 * Maps a non-OK HTTP status (and the server's error code, when it sent one) to a RequestError,
 * with the server's Retry-After when it gave one (503, 429).
 */
export async function errorFromResponse(response: Response, now: number = Date.now()): Promise<RequestError> {
  let code: string | undefined
  let message = `${response.status} ${response.statusText}`.trim()
  try {
    const body = (await response.json()) as { error?: unknown; message?: unknown }
    if (typeof body.error === 'string') code = body.error
    if (typeof body.message === 'string') message = body.message
  } catch {
    // not a JSON error body: the status says enough
  }
  const failure: RequestFailure =
    code === 'invalid-credentials' ? 'invalid-credentials'
    : code === 'token-expired' ? 'token-expired'
    : response.status === 401 ? 'unauthenticated'
    : response.status === 403 ? 'forbidden'
    : response.status === 404 ? 'not-found'
    : 'server-error'
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now, response.headers.get('date'))
  return new RequestError(failure, message, response.status, retryAfterMs)
}
