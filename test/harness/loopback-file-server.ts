/**
 * A static file server on 127.0.0.1 for pages that need the built workstation and some test
 * files from one origin (the workstation's CSP lets a page fetch only from its own origin and
 * loopback): URL prefixes map to folders; nothing outside them is served.
 */
import { createReadStream } from 'node:fs'
import { realpath, stat } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { resolve, sep } from 'node:path'
import { contentTypeForFile } from '../../shared/app-file-types.ts'
import { CONTENT_SECURITY_POLICY } from '../../shared/content-security-policy.ts'

export interface LoopbackFileServer {
  readonly url: string
  close(): Promise<void>
}

/** The file a URL path names under one of the mounts, or undefined when it names none. */
async function fileFor(mounts: ReadonlyArray<readonly [string, string]>, urlPath: string): Promise<string | undefined> {
  let path: string
  try {
    path = decodeURIComponent(urlPath.split('?')[0] ?? '')
  } catch {
    return undefined
  }
  if (path.includes('\0')) return undefined
  for (const [prefix, root] of mounts) {
    if (!path.startsWith(prefix)) continue
    try {
      // realpath, so neither '..' nor a symlink leads out of the folder
      const real = await realpath(resolve(root, `.${path.slice(prefix.length - 1)}`))
      if (real.startsWith(root + sep) && (await stat(real)).isFile()) return real
    } catch {
      // not there: try the next mount
    }
  }
  return undefined
}

/**
 * Serves each folder under its URL prefix (e.g. `{ '/fixtures/': dir, '/': appDir }`, longest
 * prefix first), with the workstation's content types and CSP.
 */
export async function startLoopbackFileServer(folders: Record<string, string>): Promise<LoopbackFileServer> {
  const mounts = await Promise.all(Object.entries(folders).map(async ([prefix, dir]) => [prefix, await realpath(dir)] as const))
  mounts.sort((a, b) => b[0].length - a[0].length)
  const server = createServer((request, response) => {
    void (async () => {
      const file = request.method === 'GET' ? await fileFor(mounts, request.url ?? '/') : undefined
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
  await new Promise<void>((done, fail) => {
    server.once('error', fail)
    server.listen(0, '127.0.0.1', done)
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections()
        server.close(() => done())
      }),
  }
}
