/**
 * A fault-injection HTTP proxy on loopback, between a client under test and a real server:
 * every request is passed through unless a rule the test added says otherwise. A rule picks
 * requests (method, path pattern, how many) and what goes wrong with them:
 *
 * - drop: the connection closes without an answer (before the server saw the request, or after
 *   it handled it: the "lost answer");
 * - hang: the request is accepted and never answered;
 * - delay: the answer comes this much later; trickle: its body comes in small pieces;
 * - truncate: the body stops part way and the connection closes cleanly, with the full length
 *   announced (Content-Length) or with none (the body then just ends: only the content can tell);
 * - reset: the body stops part way and the connection is reset (TCP RST);
 * - corrupt: one bit of the body is flipped, the length unchanged;
 * - status: an error status (500, 503 with Retry-After, …) instead of the server's answer.
 *
 * The proxy as a whole can refuse connections (it stops listening: "connection refused") and
 * accept them again on the same port, and cut every open connection at once (a server killed
 * mid-answer). The server's answers are read whole before they are sent on, so the test
 * servers' bodies should stay small (a few MB).
 */
import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'

export type ProxyFault =
  | { kind: 'drop'; afterUpstream?: boolean }
  | { kind: 'hang' }
  | { kind: 'delay'; ms: number }
  | { kind: 'trickle'; chunkBytes: number; intervalMs: number }
  | { kind: 'truncate'; fraction?: number; framing: 'content-length' | 'close' }
  | { kind: 'reset'; fraction?: number }
  | { kind: 'corrupt'; fraction?: number }
  | { kind: 'status'; status: number; retryAfter?: string; code?: string; message?: string }

export interface FaultRule {
  method?: string
  /** Tested against the path with its query, e.g. /dicomweb/studies/1.2/series/3.4/instances/5.6 */
  path: RegExp
  fault: ProxyFault
  /** How many matching requests it applies to; all of them when absent. */
  times?: number
}

export interface RuleHandle {
  /** Requests this rule has applied to so far. */
  readonly hits: number
  remove(): void
}

export interface ProxiedRequest {
  /** When it arrived (ms since epoch). */
  at: number
  method: string
  path: string
  /** The fault applied, or 'pass'; 'upstream-down' when the server could not be reached. */
  fault: ProxyFault['kind'] | 'pass' | 'upstream-down'
  /** The status sent (or that the server gave, for faults that cut the answer); undefined when none. */
  status?: number
}

export interface FaultProxy {
  /** e.g. "http://127.0.0.1:40123": the address the client under test is given. */
  readonly url: string
  readonly port: number
  readonly log: readonly ProxiedRequest[]
  addRule(rule: FaultRule): RuleHandle
  clearRules(): void
  /** Stops listening and closes every connection: new connections are refused until accept(). */
  refuse(): Promise<void>
  /** Listens again on the same port. */
  accept(): Promise<void>
  /** Resets (TCP RST) every open client connection, mid-answer or idle. */
  resetAll(): void
  close(): Promise<void>
}

interface UpstreamAnswer {
  status: number
  statusText: string
  headers: IncomingHttpHeaders
  body: Buffer
}

/** Headers that describe one connection, not the message: never forwarded. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade', 'te', 'trailer'])

const NULL_BODY = new Set([204, 304])

/** How long a truncated answer's connection stays open after its last byte (see 'truncate'). */
const TRUNCATE_CLOSE_DELAY_MS = 100

function forwardable(headers: IncomingHttpHeaders): Array<[string, string]> {
  const out: Array<[string, string]> = []
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue
    for (const v of Array.isArray(value) ? value : [value]) out.push([name, v])
  }
  return out
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    stream.on('data', (chunk: Buffer) => chunks.push(chunk))
    stream.once('end', () => resolve(Buffer.concat(chunks)))
    stream.once('error', reject)
    stream.once('aborted', () => reject(new Error('aborted')))
  })
}

/** The status line and headers of an answer written straight onto the socket (for faults that end the connection). */
function rawHead(answer: UpstreamAnswer, lengthHeader: number | null): Buffer {
  const lines = [`HTTP/1.1 ${answer.status} ${answer.statusText}`]
  for (const [name, value] of forwardable(answer.headers)) if (name !== 'content-length') lines.push(`${name}: ${value}`)
  if (lengthHeader !== null) lines.push(`content-length: ${lengthHeader}`)
  lines.push('connection: close')
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1')
}

const cutAt = (body: Buffer, fraction = 0.5) => Math.max(1, Math.min(body.length - 1, Math.floor(body.length * fraction)))

/** Starts a proxy on a free loopback port in front of `upstream` (e.g. "http://127.0.0.1:8642"). */
export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const target = new URL(upstream)
  const agent = new Agent({ keepAlive: true })
  const rules: Array<FaultRule & { hits: number }> = []
  const log: ProxiedRequest[] = []
  const sockets = new Set<Socket>()
  const timers = new Set<ReturnType<typeof setTimeout>>()
  let port = 0

  const later = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer)
        resolve()
      }, ms)
      timers.add(timer)
    })

  function ruleFor(method: string, path: string): (FaultRule & { hits: number }) | undefined {
    const rule = rules.find((r) => (r.method === undefined || r.method === method) && r.path.test(path) && (r.times === undefined || r.hits < r.times))
    if (rule) rule.hits += 1
    return rule
  }

  /** Sends the request on to the server and reads its whole answer; null when the server cannot be reached. */
  async function forward(req: IncomingMessage, body: Buffer, gone: AbortSignal): Promise<UpstreamAnswer | null> {
    const headers = Object.fromEntries(forwardable(req.headers).filter(([name]) => name !== 'host'))
    return new Promise((resolve) => {
      const outgoing = httpRequest(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...headers, host: target.host }, agent, signal: gone },
        (answer) => {
          readAll(answer).then(
            (bytes) => resolve({ status: answer.statusCode ?? 502, statusText: answer.statusMessage ?? '', headers: answer.headers, body: bytes }),
            () => resolve(null),
          )
        },
      )
      outgoing.once('error', () => resolve(null))
      outgoing.end(body)
    })
  }

  function send(res: ServerResponse, answer: UpstreamAnswer, body: Buffer = answer.body): void {
    const headers = forwardable(answer.headers).filter(([name]) => name !== 'content-length')
    if (!NULL_BODY.has(answer.status)) headers.push(['content-length', String(body.length)])
    res.writeHead(answer.status, answer.statusText, headers)
    res.end(NULL_BODY.has(answer.status) ? undefined : body)
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET'
    const path = req.url ?? '/'
    const socket = req.socket
    const requestBody = await readAll(req).catch(() => Buffer.alloc(0))
    const gone = new AbortController()
    res.once('close', () => gone.abort())
    const rule = ruleFor(method, path)
    const fault = rule?.fault
    const entry: ProxiedRequest = { at: Date.now(), method, path, fault: fault?.kind ?? 'pass' }
    log.push(entry)

    if (fault?.kind === 'hang') return
    if (fault?.kind === 'drop' && !fault.afterUpstream) return void socket.destroy()
    if (fault?.kind === 'status') {
      entry.status = fault.status
      const headers: Record<string, string> = { 'content-type': 'application/json' }
      if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter
      res.writeHead(fault.status, headers)
      res.end(JSON.stringify({ error: fault.code ?? 'server-error', message: fault.message ?? `injected ${fault.status}` }))
      return
    }

    const answer = await forward(req, requestBody, gone.signal)
    if (gone.signal.aborted) return
    if (!answer) {
      // the server is down: to the client this is a connection that closes without an answer
      entry.fault = 'upstream-down'
      return void socket.destroy()
    }
    entry.status = answer.status
    const body = answer.body
    switch (fault?.kind) {
      case undefined:
        return send(res, answer)
      case 'drop':
        return void socket.destroy()
      case 'delay':
        await later(fault.ms)
        if (!gone.signal.aborted) send(res, answer)
        return
      case 'corrupt': {
        const altered = Buffer.from(body)
        const at = cutAt(altered, fault.fraction)
        if (altered.length > 1) altered[at] = (altered[at] ?? 0) ^ 0x01
        return send(res, answer, altered)
      }
      case 'trickle': {
        const headers = forwardable(answer.headers).filter(([name]) => name !== 'content-length')
        headers.push(['content-length', String(body.length)])
        res.writeHead(answer.status, answer.statusText, headers)
        res.flushHeaders()
        for (let at = 0; at < body.length && !gone.signal.aborted; at += fault.chunkBytes) {
          await later(fault.intervalMs)
          res.write(body.subarray(at, at + fault.chunkBytes))
        }
        res.end()
        return
      }
      case 'truncate': {
        const keep = cutAt(body, fault.fraction)
        socket.write(rawHead(answer, fault.framing === 'content-length' ? body.length : null))
        socket.write(body.subarray(0, keep))
        // The close comes a moment after the last byte, as from a server process that died.
        // Not at once: Node's bundled undici (Node 24.x) throws an uncatchable assertion when the
        // connection ends while the client is still taking in the body (nodejs/undici#5360).
        await later(TRUNCATE_CLOSE_DELAY_MS)
        socket.end()
        return
      }
      case 'reset': {
        socket.write(rawHead(answer, body.length))
        socket.write(body.subarray(0, cutAt(body, fault.fraction)), () => socket.resetAndDestroy())
        return
      }
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => req.socket.destroy())
  })
  server.keepAliveTimeout = 5_000
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
    // a socket cut by a fault may still see an error event: it is expected here
    socket.on('error', () => undefined)
  })

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen({ host: '127.0.0.1', port }, () => {
        server.off('error', reject)
        const address = server.address()
        if (address && typeof address !== 'string') port = address.port
        resolve()
      })
    })
  const stopListening = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve())
      for (const socket of sockets) socket.destroy()
      server.closeAllConnections()
    })

  await listen()
  const url = `http://127.0.0.1:${port}`
  let listening = true

  return {
    url,
    port,
    log,
    addRule(rule) {
      const entry = { ...rule, hits: 0 }
      rules.push(entry)
      return {
        get hits() {
          return entry.hits
        },
        remove() {
          const index = rules.indexOf(entry)
          if (index !== -1) rules.splice(index, 1)
        },
      }
    },
    clearRules() {
      rules.length = 0
    },
    async refuse() {
      if (!listening) return
      listening = false
      await stopListening()
    },
    async accept() {
      if (listening) return
      await listen()
      listening = true
    },
    resetAll() {
      for (const socket of sockets) socket.resetAndDestroy()
    },
    async close() {
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      if (listening) await stopListening()
      listening = false
      agent.destroy()
    },
  }
}
