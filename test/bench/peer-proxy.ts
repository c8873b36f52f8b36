/**
 * The peer page's origin: a loopback HTTP server that serves the built renderer (for
 * bench-wadors-peer.html) and passes every request under /dicom-web/ through to Orthanc
 * unchanged. Orthanc sends no CORS headers, so a page can reach it only from its own origin;
 * OHIF deployments put it behind the same kind of reverse proxy. Responses are marked
 * no-store so that the browser's HTTP cache cannot stand in for the local cache the peer
 * does not have.
 */
import { createReadStream } from 'node:fs'
import { realpath, stat } from 'node:fs/promises'
import { createServer, request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import { resolve, sep } from 'node:path'
import { contentTypeForFile } from '../../shared/app-file-types.ts'
import { CONTENT_SECURITY_POLICY } from '../../shared/content-security-policy.ts'

export const PEER_DICOMWEB_PREFIX = '/dicom-web/'

export interface PeerProxy {
  url: string
  /** Bytes passed through from Orthanc so far. */
  bytesForwarded(): number
  close(): Promise<void>
}

async function staticFile(root: string, urlPath: string): Promise<string | undefined> {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '')
  } catch {
    return undefined
  }
  try {
    const real = await realpath(resolve(root, `.${decoded}`))
    return real.startsWith(root + sep) && (await stat(real)).isFile() ? real : undefined
  } catch {
    return undefined
  }
}

/** Serves `appDir` and forwards /dicom-web/ to `orthancUrl` (e.g. http://127.0.0.1:8042). */
export async function startPeerProxy(appDir: string, orthancUrl: string): Promise<PeerProxy> {
  const root = await realpath(appDir)
  const target = new URL(orthancUrl)
  let forwarded = 0
  const server = createServer((request, response) => {
    const url = request.url ?? '/'
    if (url.startsWith(PEER_DICOMWEB_PREFIX)) {
      const upstream = httpRequest(
        { host: target.hostname, port: target.port, method: request.method, path: url, headers: { ...request.headers, host: target.host } },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'cache-control': 'no-store' })
          answer.on('data', (chunk: Buffer) => (forwarded += chunk.length))
          answer.pipe(response)
        },
      )
      upstream.on('error', () => response.destroy())
      // a page reloaded mid-study cancels its requests: Orthanc stops sending too
      response.on('close', () => upstream.destroy())
      request.pipe(upstream)
      return
    }
    void (async () => {
      const file = request.method === 'GET' ? await staticFile(root, url) : undefined
      if (!file) {
        response.writeHead(404).end()
        return
      }
      const type = contentTypeForFile(file)
      response.writeHead(200, {
        'content-type': type,
        'content-length': (await stat(file)).size,
        'cache-control': 'no-cache',
        ...(type.startsWith('text/html') ? { 'content-security-policy': CONTENT_SECURITY_POLICY } : {}),
      })
      createReadStream(file).pipe(response)
    })().catch(() => response.destroy())
  })
  // keep-alive as a browser would use it: the proxy must not add a connection per request
  server.keepAliveTimeout = 30_000
  await new Promise<void>((done, fail) => {
    server.once('error', fail)
    server.listen(0, '127.0.0.1', done)
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    bytesForwarded: () => forwarded,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections()
        server.close(() => done())
      }),
  }
}
