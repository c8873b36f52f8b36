/** Why a request to a reading server or PACS failed, in terms the UI can translate. */
export type RequestFailure =
  | 'unreachable'
  | 'invalid-credentials'
  | 'token-expired'
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  | 'server-error'
  | 'bad-response'

export class RequestError extends Error {
  readonly failure: RequestFailure
  readonly status: number | undefined

  constructor(failure: RequestFailure, message: string, status?: number) {
    super(message)
    this.name = 'RequestError'
    this.failure = failure
    this.status = status
  }
}

/** Wraps fetch so that a network failure becomes a RequestError('unreachable') naming the URL. */
export async function fetchOrUnreachable(fetchFn: typeof fetch, url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetchFn(url, init)
  } catch (cause) {
    // a deliberate abort is not a network failure: let the caller see it as such
    if (init.signal?.aborted) throw cause
    const reason = cause instanceof Error ? cause.message : String(cause)
    throw new RequestError('unreachable', `cannot reach ${new URL(url).origin}: ${reason}`)
  }
}

/** Maps a non-OK HTTP status (and the server's error code, when it sent one) to a RequestError. */
export async function errorFromResponse(response: Response): Promise<RequestError> {
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
  return new RequestError(failure, message, response.status)
}
