import { createServer, type Server } from 'node:http'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startFaultProxy, type FaultProxy } from './fault-proxy.ts'

/** 64 KiB with a recognisable pattern, so a changed or missing byte shows. */
const BODY = Buffer.from(Array.from({ length: 65_536 }, (_, i) => (i * 31 + 7) & 0xff))

let upstream: Server
let upstreamUrl: string
const received: Array<{ method: string; url: string; body: string }> = []

beforeAll(async () => {
  upstream = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', body: Buffer.concat(chunks).toString() })
      if (req.url === '/echo') return void res.writeHead(201, { 'content-type': 'text/plain', 'x-kept': 'yes' }).end(Buffer.concat(chunks))
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'x-kept': 'yes' })
      res.end(BODY)
    })
  })
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
  const address = upstream.address()
  upstreamUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
})

afterAll(async () => {
  upstream.closeAllConnections()
  await new Promise((resolve) => upstream.close(resolve))
})

let proxy: FaultProxy
afterEach(async () => {
  await proxy?.close()
  received.length = 0
})

const bytesOf = async (response: Response) => Buffer.from(await response.arrayBuffer())
const failureOf = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error as Error)

describe('fault proxy', () => {
  it('passes requests and answers through unchanged when no rule applies', async () => {
    proxy = await startFaultProxy(upstreamUrl)
    const response = await fetch(`${proxy.url}/data?x=1`)
    expect(response.status).toBe(200)
    expect(response.headers.get('x-kept')).toBe('yes')
    expect(Buffer.compare(await bytesOf(response), BODY)).toBe(0)
    const echoed = await fetch(`${proxy.url}/echo`, { method: 'POST', body: 'report' })
    expect([echoed.status, await echoed.text()]).toEqual([201, 'report'])
    expect(received.map((r) => `${r.method} ${r.url} ${r.body}`)).toEqual(['GET /data?x=1 ', 'POST /echo report'])
    expect(proxy.log.map((l) => `${l.fault} ${l.status}`)).toEqual(['pass 200', 'pass 201'])
  })

  it('answers an error status with Retry-After for as many requests as the rule says, without asking the server', async () => {
    proxy = await startFaultProxy(upstreamUrl)
    const rule = proxy.addRule({ path: /^\/data/, fault: { kind: 'status', status: 503, retryAfter: '2' }, times: 2 })
    for (let i = 0; i < 2; i++) {
      const refused = await fetch(`${proxy.url}/data`)
      expect([refused.status, refused.headers.get('retry-after')]).toEqual([503, '2'])
      await refused.arrayBuffer()
    }
    expect((await fetch(`${proxy.url}/data`)).status).toBe(200)
    expect(rule.hits).toBe(2)
    expect(received).toHaveLength(1)
  })

  it('drops a request before the server sees it, or after it handled it (a lost answer)', async () => {
    proxy = await startFaultProxy(upstreamUrl)
    proxy.addRule({ path: /^\/echo/, fault: { kind: 'drop' }, times: 1 })
    proxy.addRule({ path: /^\/echo/, fault: { kind: 'drop', afterUpstream: true }, times: 1 })
    expect(await failureOf(fetch(`${proxy.url}/echo`, { method: 'POST', body: 'one' }))).toBeInstanceOf(TypeError)
    expect(received).toHaveLength(0)
    expect(await failureOf(fetch(`${proxy.url}/echo`, { method: 'POST', body: 'two' }))).toBeInstanceOf(TypeError)
    expect(received.map((r) => r.body)).toEqual(['two'])
  })

  it('truncates a body: with the full length announced the client sees an error, without it the body just ends short', async () => {
    proxy = await startFaultProxy(upstreamUrl)
    proxy.addRule({ path: /^\/data/, fault: { kind: 'truncate', framing: 'content-length', fraction: 0.25 }, times: 1 })
    proxy.addRule({ path: /^\/data/, fault: { kind: 'truncate', framing: 'close', fraction: 0.25 }, times: 1 })
    const announced = await fetch(`${proxy.url}/data`)
    expect(announced.headers.get('content-length')).toBe(String(BODY.length))
    expect(await failureOf(announced.arrayBuffer())).toBeInstanceOf(TypeError)
    const unannounced = await bytesOf(await fetch(`${proxy.url}/data`))
    expect(unannounced.length).toBe(BODY.length / 4)
    expect(Buffer.compare(unannounced, BODY.subarray(0, BODY.length / 4))).toBe(0)
  })

  it('resets a connection part way through the body', async () => {
    proxy = await startFaultProxy(upstreamUrl)
    proxy.addRule({ path: /^\/data/, fault: { kind: 'reset', fraction: 0.5 } })
    const failure = await failureOf(fetch(`${proxy.url}/data`).then((r) => r.arrayBuffer()))
    expect(failure).toBeInstanceOf(TypeError)
  })

  it('flips one bit of the body and keeps its length', async () => {
    proxy = await startFaultProxy(upstreamUrl)
    proxy.addRule({ path: /^\/data/, fault: { kind: 'corrupt' } })
    const bytes = await bytesOf(await fetch(`${proxy.url}/data`))
    expect(bytes.length).toBe(BODY.length)
    const differing = [...bytes].flatMap((b, i) => (b === BODY[i] ? [] : [i]))
    expect(differing).toEqual([BODY.length / 2])
  })

  it('delays an answer, trickles a body, and hangs until the client gives up', async () => {
    proxy = await startFaultProxy(upstreamUrl)
    proxy.addRule({ path: /^\/data/, fault: { kind: 'delay', ms: 300 }, times: 1 })
    proxy.addRule({ path: /^\/data/, fault: { kind: 'trickle', chunkBytes: 16_384, intervalMs: 100 }, times: 1 })
    proxy.addRule({ path: /^\/data/, fault: { kind: 'hang' }, times: 1 })
    let started = Date.now()
    expect(Buffer.compare(await bytesOf(await fetch(`${proxy.url}/data`)), BODY)).toBe(0)
    expect(Date.now() - started).toBeGreaterThanOrEqual(290)
    started = Date.now()
    expect(Buffer.compare(await bytesOf(await fetch(`${proxy.url}/data`)), BODY)).toBe(0)
    expect(Date.now() - started).toBeGreaterThanOrEqual(390) // 4 pieces, 100 ms apart
    const hung = await failureOf(fetch(`${proxy.url}/data`, { signal: AbortSignal.timeout(200) }))
    expect(hung?.name).toBe('TimeoutError')
    expect(proxy.log.map((l) => l.fault)).toEqual(['delay', 'trickle', 'hang'])
  })

  it('refuses connections while closed and accepts them again on the same port', async () => {
    proxy = await startFaultProxy(upstreamUrl)
    await proxy.refuse()
    const refused = await failureOf(fetch(`${proxy.url}/data`))
    expect((refused?.cause as { code?: string } | undefined)?.code).toBe('ECONNREFUSED')
    await proxy.accept()
    expect((await fetch(`${proxy.url}/data`)).status).toBe(200)
  })

  it('cuts every open connection at once, mid-answer', async () => {
    proxy = await startFaultProxy(upstreamUrl)
    proxy.addRule({ path: /^\/data/, fault: { kind: 'trickle', chunkBytes: 1024, intervalMs: 50 } })
    const response = await fetch(`${proxy.url}/data`)
    const reading = failureOf(response.arrayBuffer())
    await new Promise((resolve) => setTimeout(resolve, 120))
    proxy.resetAll()
    expect(await reading).toBeInstanceOf(TypeError)
  })

  it('closes the connection without an answer when the server is down', async () => {
    proxy = await startFaultProxy('http://127.0.0.1:9')
    expect(await failureOf(fetch(`${proxy.url}/data`))).toBeInstanceOf(TypeError)
    expect(proxy.log.map((l) => l.fault)).toEqual(['upstream-down'])
  })
})
