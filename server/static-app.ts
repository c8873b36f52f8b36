/**
 * Serving the built workstation from a folder: files by path, index.html for any other GET
 * outside the API (client-side routes), with the workstation's Content-Security-Policy on HTML.
 */
import { createReadStream } from 'node:fs'
import { realpath, stat } from 'node:fs/promises'
import { extname, resolve, sep } from 'node:path'
import type { FastifyReply } from 'fastify'
import { contentTypeForFile } from '../shared/app-file-types.ts'
import { CONTENT_SECURITY_POLICY } from '../shared/content-security-policy.ts'

/** The workstation's CSP, the same one the desktop app sends (see shared/content-security-policy.ts). */
export const APP_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY

export interface StaticApp {
  /**
   * Sends the file for a URL path; a path without a file extension that names no file gets
   * index.html (a client-side route). False when nothing was sent: a missing asset stays a 404
   * instead of turning into HTML that a script tag would choke on.
   */
  send(urlPath: string, reply: FastifyReply): Promise<boolean>
}

/** The file under root that a URL path names, or undefined when it would leave root or is not a file. */
async function resolveFile(root: string, urlPath: string): Promise<string | undefined> {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '')
  } catch {
    return undefined
  }
  if (decoded.includes('\0')) return undefined
  const candidate = resolve(root, `.${decoded.startsWith('/') ? decoded : `/${decoded}`}`)
  if (candidate !== root && !candidate.startsWith(root + sep)) return undefined
  try {
    // realpath so a symlink inside the folder cannot point outside it
    const real = await realpath(candidate)
    if (real !== root && !real.startsWith(root + sep)) return undefined
    return (await stat(real)).isFile() ? real : undefined
  } catch {
    return undefined
  }
}

export async function createStaticApp(appDir: string): Promise<StaticApp> {
  const root = await realpath(resolve(appDir)).catch(() => {
    throw new Error(`app folder ${resolve(appDir)} does not exist (build the workstation first?)`)
  })
  const sendFile = async (file: string, reply: FastifyReply) => {
    const info = await stat(file)
    const type = contentTypeForFile(file)
    reply.header('content-type', type).header('content-length', info.size).header('x-content-type-options', 'nosniff')
    if (type.startsWith('text/html')) {
      reply.header('content-security-policy', APP_CONTENT_SECURITY_POLICY).header('cache-control', 'no-cache')
    }
    return reply.send(createReadStream(file))
  }
  return {
    async send(urlPath, reply) {
      const direct = urlPath === '/' ? undefined : await resolveFile(root, urlPath)
      const pathname = urlPath.split('?')[0] ?? ''
      const isRoute = extname(pathname) === ''
      const file = direct ?? (isRoute ? await resolveFile(root, '/index.html') : undefined)
      if (!file) return false
      await sendFile(file, reply)
      return true
    },
  }
}
