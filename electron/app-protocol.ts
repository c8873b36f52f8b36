/** The custom scheme the renderer is served from (never file://), and how its URLs map to files. */
import path from 'node:path'
import { contentTypeForFile } from '../shared/app-file-types.ts'

export const APP_SCHEME = 'app'
export const APP_HOST = 'workstation'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`

/**
 * The file under `rootDir` that an app:// URL names, or null when the URL is not ours or
 * tries to leave the folder (encoded dots, absolute paths).
 */
export function resolveAppFile(rootDir: string, requestUrl: string): string | null {
  let url: URL
  try {
    url = new URL(requestUrl)
  } catch {
    return null
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null
  let pathname: string
  try {
    pathname = decodeURIComponent(url.pathname)
  } catch {
    return null
  }
  if (pathname.includes('\0')) return null
  const relative = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '')
  const root = path.resolve(rootDir)
  const file = path.resolve(root, relative)
  return file.startsWith(root + path.sep) ? file : null
}

/** Whether a frame URL belongs to the app (for IPC sender checks and navigation). */
export function isAppUrl(value: string): boolean {
  try {
    const url = new URL(value)
    // host, not hostname: a port or user name makes it some other origin
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST && url.username === '' && url.password === ''
  } catch {
    return false
  }
}

/** The Content-Type for a file the app serves. */
export function mimeTypeFor(file: string): string {
  return contentTypeForFile(file)
}
