import { describe, expect, it } from 'vitest'
import { errorFromResponse, fetchOrUnreachable, RequestError } from './request-error.ts'

const failing = (error: unknown): typeof fetch => async () => {
  throw error
}

describe('request errors', () => {
  it('names the network cause Node gives underneath "fetch failed"', async () => {
    const dns = new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND pacs.invalid'), { code: 'ENOTFOUND' }) })
    await expect(fetchOrUnreachable(failing(dns), 'http://pacs.invalid:8042/x', {})).rejects.toMatchObject({
      failure: 'unreachable',
      message: 'cannot reach http://pacs.invalid:8042: the server name could not be resolved (DNS) (ENOTFOUND)',
    })
    const refused = new TypeError('fetch failed', { cause: new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:9'), { code: 'ECONNREFUSED' })]) })
    await expect(fetchOrUnreachable(failing(refused), 'http://localhost:9/x', {})).rejects.toMatchObject({ message: expect.stringContaining('refused (the server is not running or not listening there) (ECONNREFUSED)') })
    // a browser says no more than this
    await expect(fetchOrUnreachable(failing(new TypeError('Failed to fetch')), 'https://s/x', {})).rejects.toMatchObject({ message: 'cannot reach https://s: Failed to fetch' })
  })

  it('keeps a stall timeout from underneath a timeout, and a deliberate abort an abort', async () => {
    const stalled = new RequestError('timeout', 'sent nothing for 30 s')
    await expect(fetchOrUnreachable(failing(stalled), 'https://s/x', {})).rejects.toBe(stalled)
    const controller = new AbortController()
    controller.abort()
    const abort = new DOMException('aborted', 'AbortError')
    await expect(fetchOrUnreachable(failing(abort), 'https://s/x', { signal: controller.signal })).rejects.toBe(abort)
  })

  it("reads a busy server's Retry-After", async () => {
    const busy = await errorFromResponse(new Response('{"error":"unavailable","message":"maintenance"}', { status: 503, headers: { 'retry-after': '120' } }))
    expect(busy).toMatchObject({ failure: 'server-error', status: 503, message: 'maintenance', retryAfterMs: 120_000 })
    const dated = await errorFromResponse(new Response('', { status: 429, headers: { 'retry-after': 'Sun, 22 Nov 2026 10:00:30 GMT', date: 'Sun, 22 Nov 2026 10:00:00 GMT' } }))
    expect(dated.retryAfterMs).toBe(30_000)
    expect((await errorFromResponse(new Response('', { status: 500 }))).retryAfterMs).toBeUndefined()
  })
})
