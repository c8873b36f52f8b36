/**
 * The desktop bridge for a plain browser (the workstation served by the built-in server):
 * the same contract as the Electron preload, with session storage in place of safeStorage
 * so that nothing outlives the browser tab.
 */
import {
  isValidServerUrl,
  isValidStoredCredentials,
  type DesktopBridge,
  type StoredCredentials,
} from '../../../shared/desktop-bridge.ts'

const KEY_PREFIX = 'reading-workstation.credentials:'
const CACHE_KEY = 'reading-workstation.cache-key'

/** A new random 256-bit key, base64. */
function newKey(): string {
  return btoa(String.fromCharCode(...globalThis.crypto.getRandomValues(new Uint8Array(32))))
}

export function createBrowserDesktop(storage: Storage = sessionStorage, location: Location = window.location, version = 'browser'): DesktopBridge {
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
      // the tab's session storage: the key (and so the cache) does not outlive the session
      async key() {
        let key = storage.getItem(CACHE_KEY)
        if (!key) {
          key = newKey()
          storage.setItem(CACHE_KEY, key)
        }
        return { key, persistent: false }
      },
    },
  }
}
