/**
 * A per-request time limit that does not cut legitimately slow downloads: a request fails
 * only when the server sends nothing for `stallMs`, while waiting for the answer or between
 * two pieces of its body. A large radiograph arriving slowly but steadily over a poor line
 * completes; a server that accepted the connection and then hung is given up on.
 */
import { RequestError } from './request-error.ts'

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304])

function urlOf(input: RequestInfo | URL): string {
  if (typeof input === 'string') return input
  return input instanceof URL ? input.href : input.url
}

/**
 * Wraps `inner` so that every request is aborted after `stallMs` without any byte from the
 * server, failing with RequestError('timeout'). Only time spent waiting on the network counts:
 * while the caller does not read the body, no stall is measured. The caller's own signal
 * still aborts as before.
 */
export function withStallTimeout(inner: typeof fetch, stallMs: number): typeof fetch {
  return async (input, init = {}) => {
    const controller = new AbortController()
    const outer = init.signal ?? null
    const forwardAbort = () => controller.abort(outer?.reason)
    if (outer?.aborted) forwardAbort()
    else outer?.addEventListener('abort', forwardAbort, { once: true })
    const done = () => outer?.removeEventListener('abort', forwardAbort)
    const origin = new URL(urlOf(input)).origin
    const stall = (waitingFor: string) => new RequestError('timeout', `${origin} sent nothing for ${stallMs / 1000} s while ${waitingFor}`)
    /** The reason to fail with: ours after a stall, otherwise what the platform said. */
    const reasonFor = (error: unknown) => (!outer?.aborted && controller.signal.reason instanceof RequestError ? controller.signal.reason : error)

    let timer = setTimeout(() => controller.abort(stall('waiting for the answer')), stallMs)
    let response: Response
    try {
      response = await inner(input, { ...init, signal: controller.signal })
    } catch (error) {
      done()
      throw reasonFor(error)
    } finally {
      clearTimeout(timer)
    }
    const source = response.body
    // statuses that never carry a body cannot be rebuilt with one (and have nothing to stall on)
    if (!source || NULL_BODY_STATUSES.has(response.status)) {
      done()
      return response
    }
    const reader = source.getReader()
    const body = new ReadableStream<Uint8Array>({
      async pull(sink) {
        timer = setTimeout(() => {
          controller.abort(stall('receiving the body'))
          // some platforms leave a pending read waiting after an abort: cancelling ends it
          reader.cancel().catch(() => undefined)
        }, stallMs)
        try {
          const { done: ended, value } = await reader.read()
          if (controller.signal.reason instanceof RequestError && !outer?.aborted) throw controller.signal.reason
          if (ended) {
            done()
            sink.close()
          } else sink.enqueue(value)
        } catch (error) {
          done()
          sink.error(reasonFor(error))
        } finally {
          clearTimeout(timer)
        }
      },
      cancel(reason) {
        clearTimeout(timer)
        done()
        return reader.cancel(reason)
      },
    })
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers })
  }
}
