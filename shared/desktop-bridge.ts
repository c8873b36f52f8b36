/**
 * The desktop boundary, written once: each channel maps to the function the renderer
 * calls. Main's handlers are typed against this map, the preload exposes one method per
 * channel, and the browser build implements the same interface without Electron.
 */

/** Credentials remembered for a reading server (never stored in plain text). */
export interface StoredCredentials {
  username: string
  /** A refreshable session token, encrypted at rest by the OS keychain through safeStorage. */
  accessToken: string
  expiresAt: string
}

export interface AppInfo {
  version: string
  /** 'electron' inside the desktop app, 'browser' when served to a browser. */
  shell: 'electron' | 'browser'
  /** The built-in demo reading server's base URL, when one runs. */
  builtInServerUrl: string | null
}

/** The key that encrypts the local study cache. */
export interface CacheKey {
  /** 256 bits, base64. */
  key: string
  /**
   * True when the key is kept in the OS keystore (the desktop app); false in a browser, whose
   * key (non-extractable, in IndexedDB) survives a restart but not a copied profile — there the
   * image cache is cleared at log-out, while drafts and the outbox stay readable.
   */
  persistent: boolean
}

export type DesktopChannels = {
  'app:info': () => Promise<AppInfo>
  'credentials:load': (serverUrl: string) => Promise<StoredCredentials | null>
  'credentials:save': (serverUrl: string, credentials: StoredCredentials) => Promise<void>
  'credentials:clear': (serverUrl: string) => Promise<void>
  'cache:key': () => Promise<CacheKey>
}

export type DesktopChannel = keyof DesktopChannels

/** The object the renderer sees, grouped by intent. */
export interface DesktopBridge {
  app: { info: DesktopChannels['app:info'] }
  credentials: {
    load: DesktopChannels['credentials:load']
    save: DesktopChannels['credentials:save']
    clear: DesktopChannels['credentials:clear']
  }
  cache: { key: DesktopChannels['cache:key'] }
}

/** The name under which the preload exposes the bridge in the renderer's main world. */
export const DESKTOP_BRIDGE_GLOBAL = 'readingDesktop'

export const DESKTOP_CHANNELS: readonly DesktopChannel[] = [
  'app:info',
  'credentials:load',
  'credentials:save',
  'credentials:clear',
  'cache:key',
]

/** Validates a server URL argument crossing the boundary: http(s), no credentials in it. */
export function isValidServerUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 2048) return false
  return /^https?:\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?(\/[^\s@]*)?$/.test(value)
}

/** Validates a StoredCredentials argument crossing the boundary. */
export function isValidStoredCredentials(value: unknown): value is StoredCredentials {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return (
    typeof v.username === 'string' && v.username.length > 0 && v.username.length <= 64 &&
    typeof v.accessToken === 'string' && v.accessToken.length > 0 && v.accessToken.length <= 4096 &&
    typeof v.expiresAt === 'string' && !Number.isNaN(Date.parse(v.expiresAt))
  )
}
