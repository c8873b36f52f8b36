/**
 * The desktop bridge for a plain browser (the workstation served by the built-in server):
 * the same contract as the Electron preload. Credentials live in session storage, so that a
 * login does not outlive the browser tab; the cache key lives in IndexedDB
 * (browser-cache-key.ts), so that drafts and the outbox sealed under it outlive a crash.
 */
import {
  isValidServerUrl,
  isValidStoredCredentials,
  type DesktopBridge,
  type StoredCredentials,
} from '../../../shared/desktop-bridge.ts'
import { loadBrowserCacheKey } from './browser-cache-key.ts'

const KEY_PREFIX = 'reading-workstation.credentials:'
/** Where versions before the IndexedDB key kept the session's cache key (adopted once). */
const LEGACY_CACHE_KEY = 'reading-workstation.cache-key'

export function createBrowserDesktop(
  storage: Storage = sessionStorage,
  location: Location = window.location,
  version = 'browser',
  indexedDB: IDBFactory = globalThis.indexedDB,
): DesktopBridge {
  let cacheKey: Promise<string> | null = null
  return {
    app: {
      info: async () => ({
        version,
        shell: 'browser',
        builtInServerUrl: location.protocol === 'http:' || location.protocol === 'https:' ? location.origin : null,
      }),
    },
    credentials: {
      async load(serverUrl) {
        if (!isValidServerUrl(serverUrl)) throw new Error('invalid server URL')
        const raw = storage.getItem(KEY_PREFIX + serverUrl)
        if (!raw) return null
        try {
          const parsed: unknown = JSON.parse(raw)
          return isValidStoredCredentials(parsed) ? parsed : null
        } catch {
          return null
        }
      },
      async save(serverUrl, credentials: StoredCredentials) {
        if (!isValidServerUrl(serverUrl) || !isValidStoredCredentials(credentials)) throw new Error('invalid credentials')
        storage.setItem(KEY_PREFIX + serverUrl, JSON.stringify(credentials))
      },
      async clear(serverUrl) {
        storage.removeItem(KEY_PREFIX + serverUrl)
      },
    },
    cache: {
      // the key survives the browser, but the image cache is still cleared at log-out (not
      // persistent): a browser may be shared, and only the desktop app keeps the key off the profile
      async key() {
        cacheKey ??= loadBrowserCacheKey({ indexedDB, legacy: { storage, item: LEGACY_CACHE_KEY } }).catch((error: unknown) => {
          cacheKey = null // a failure (IndexedDB unavailable for a moment) is tried again next time
          throw error
        })
        return { key: await cacheKey, persistent: false }
      },
    },
  }
}
