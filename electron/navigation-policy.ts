/**
 * Where the workstation's windows may go: navigation only inside the app itself, and links
 * handed to the user's browser only when they are https to an allow-listed host.
 */
import { isAppUrl } from './app-protocol.ts'

/** Hosts whose https pages the workstation may open in the user's browser (help, the project site). */
export const EXTERNAL_HOST_ALLOW_LIST: readonly string[] = ['github.com']

/** Longest link handed to the OS: anything longer is not a link a person meant to follow. */
const MAX_EXTERNAL_URL_LENGTH = 2048

/**
 * Whether `value` may be opened with shell.openExternal: https only, an allow-listed host
 * exactly (no look-alike suffixes), default port, no user name or password in it.
 */
export function isAllowedExternalUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > MAX_EXTERNAL_URL_LENGTH) return false
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return false
  }
  return url.protocol === 'https:' && url.port === '' && url.username === '' && url.password === '' && EXTERNAL_HOST_ALLOW_LIST.includes(url.hostname)
}

/** Whether a frame may navigate to `url`: only to the app's own pages. */
export function isAllowedNavigation(url: string): boolean {
  return isAppUrl(url)
}
