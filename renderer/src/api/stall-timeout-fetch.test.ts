import { describe, expect, it } from 'vitest'
import { RequestError } from './request-error.ts'
import { withStallTimeout } from './stall-timeout-fetch.ts'

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A fetch whose answer comes after `headerDelayMs` and whose body is `chunks`, each after its delay; it honours abort like fetch. */
function fakeServer(headerDelayMs: number, chunks: Array<{ afterMs: number; bytes: number }>): typeof fetch {
  return async (_input, init) => {
    const signal = init?.signal
    const aborted = () => new Promise<never>((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason), { once: true }))
    await Promise.race([wait(headerDelayMs), aborted()])
    let next = 0
    const body = new ReadableStream<Uint8Array>({
      async pull(sink) {
        const chunk = chunks[next++]
        if (!chunk) return sink.close()
        try {
          await Promise.race([wait(chunk.afterMs), aborted()])
        } catch (reason) {
          return sink.error(reason)
        }
        sink.enqueue(new Uint8Array(chunk.bytes))
      },
    })
    return new Response(body, { status: 200 })
  }
}

describe('stall timeout', () => {
  it('lets a slow but steady download finish, however long it takes in all', async () => {
    // 12 pieces 40 ms apart: about 480 ms in all, never 100 ms without a byte
    const fetchFn = withStallTimeout(fakeServer(60, Array.from({ length: 12 }, () => ({ afterMs: 40, bytes: 10 }))), 100)
    const response = await fetchFn('http://127.0.0.1:1/slow')
    expect((await response.arrayBuffer()).byteLength).toBe(120)
  })

  it('gives up on a server that does not answer', async () => {
    const fetchFn = withStallTimeout(fakeServer(10_000, []), 50)
    const failure = await fetchFn('http://127.0.0.1:1/hung').catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(RequestError)
    expect(failure).toMatchObject({ failure: 'timeout', message: expect.stringContaining('waiting for the answer') })
  })

  it('gives up on a body that stops arriving half way', async () => {
    const fetchFn = withStallTimeout(fakeServer(0, [{ afterMs: 5, bytes: 10 }, { afterMs: 10_000, bytes: 10 }]), 50)
    const response = await fetchFn('http://127.0.0.1:1/half')
    const failure = await response.arrayBuffer().catch((error: unknown) => error)
    expect(failure).toMatchObject({ failure: 'timeout', message: expect.stringContaining('receiving the body') })
  })

  it("keeps the caller's own abort an abort", async () => {
    const fetchFn = withStallTimeout(fakeServer(10_000, []), 5_000)
    const controller = new AbortController()
    const pending = fetchFn('http://127.0.0.1:1/x', { signal: controller.signal }).catch((error: unknown) => error)
    controller.abort()
    const failure = await pending
    expect(failure).not.toBeInstanceOf(RequestError)
    expect((failure as Error).name).toBe('AbortError')
  })

  it('passes answers without a body through', async () => {
    const fetchFn = withStallTimeout(async () => new Response(null, { status: 304 }), 50)
    expect((await fetchFn('http://127.0.0.1:1/')).status).toBe(304)
  })
})
