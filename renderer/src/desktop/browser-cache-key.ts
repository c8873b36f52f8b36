/**
 * The cache key of the plain-browser workstation, kept in IndexedDB so that it outlives the
 * browser: drafts and the report outbox are sealed under it, and a key that died with the
 * browser session (as it did in sessionStorage) left every unsent report unreadable after a
 * crash or a restart.
 *
 * What is stored: a non-extractable AES-GCM "wrapping" CryptoKey (IndexedDB stores CryptoKey
 * objects as they are — structured clone — and WebCrypto never exports a non-extractable
 * one), and the 256-bit cache key sealed under it. The desktop contract hands the cache key
 * to the sync worker as base64 (shared/desktop-bridge.ts), so it is unsealed here into memory,
 * as the Electron shell does with safeStorage.
 *
 * Threat model, and what this trades:
 * - A copy of the browser profile (a stolen disk, a backup) holds the wrapping key's material
 *   too: Chromium writes it into the same IndexedDB files. Encryption at rest in a browser
 *   therefore protects no more than the OS account and disk encryption do; only the desktop
 *   app's OS keystore (electron/cache-key-store.ts) keeps the key off the profile.
 * - The session-only key gave one thing this gives up: closing the browser made the cache
 *   unreadable (crypto-shredded). The reader's unsent words are worth more: a killed browser
 *   must not lose a report. The image cache is still cleared at log-out (the bridge reports
 *   the key as not persistent), and unsent drafts are never deleted.
 * - Script running in the page can ask for the key like the app does, but cannot lift the
 *   wrapping key out of IndexedDB in a usable form (it is not extractable), and nothing of
 *   the key is in localStorage or sessionStorage, which extensions and devtools dumps read.
 */

/** Where the key is kept: its own database, which clearing the cache never touches. */
export const BROWSER_KEY_STORE = { database: 'reading-workstation-key', store: 'keys', record: 'cache-key-v1' } as const
const { database: DB_NAME, store: STORE, record: RECORD_ID } = BROWSER_KEY_STORE

interface StoredCacheKey {
  /** AES-GCM, non-extractable, encrypt/decrypt only. */
  wrappingKey: CryptoKey
  iv: Uint8Array
  /** The 256-bit cache key, sealed under wrappingKey. */
  sealed: ArrayBuffer
}

export interface BrowserCacheKeyDeps {
  indexedDB: IDBFactory
  subtle?: SubtleCrypto
  /** Where the session-only key of earlier versions was kept: adopted once, then removed. */
  legacy?: { storage: Storage; item: string }
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result)
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'))
  })
}

function openKeyDb(indexedDB: IDBFactory): Promise<IDBDatabase> {
  const open = indexedDB.open(DB_NAME, 1)
  open.onupgradeneeded = () => open.result.createObjectStore(STORE)
  return request(open)
}

function isStoredCacheKey(value: unknown): value is StoredCacheKey {
  const v = value as Partial<StoredCacheKey> | undefined
  return typeof v === 'object' && v !== null && v.wrappingKey instanceof CryptoKey && v.iv instanceof Uint8Array && v.sealed instanceof ArrayBuffer
}

/**
 * Puts `candidate` unless a key is stored already (another tab may have been first): one
 * transaction, so two tabs starting together end with one key. Returns the stored record.
 * Strict durability: a key lost in a power cut would take every sealed draft with it.
 */
function storeFirst(db: IDBDatabase, candidate: StoredCacheKey): Promise<StoredCacheKey> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, 'readwrite', { durability: 'strict' })
    const store = tx.objectStore(STORE)
    let result = candidate
    const existing = store.get(RECORD_ID)
    existing.onsuccess = () => {
      if (isStoredCacheKey(existing.result)) result = existing.result
      else store.put(candidate, RECORD_ID)
    }
    tx.oncomplete = () => resolve(result)
    tx.onabort = () => reject(tx.error ?? new Error('storing the cache key was aborted'))
  })
}

function toBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
}

function fromBase64(text: string): Uint8Array | null {
  try {
    const binary = atob(text)
    return binary.length === 32 ? Uint8Array.from(binary, (c) => c.charCodeAt(0)) : null
  } catch {
    return null
  }
}

/** The browser's cache key (256 bits, base64): the stored one, or a new one stored first. */
export async function loadBrowserCacheKey(deps: BrowserCacheKeyDeps): Promise<string> {
  const subtle = deps.subtle ?? globalThis.crypto.subtle
  const db = await openKeyDb(deps.indexedDB)
  try {
    let record: unknown = await request(db.transaction(STORE, 'readonly').objectStore(STORE).get(RECORD_ID))
    if (!isStoredCacheKey(record)) {
      // a tab of an earlier version may hold the key its cache was written under: keep using it
      const adopted = deps.legacy ? fromBase64(deps.legacy.storage.getItem(deps.legacy.item) ?? '') : null
      const raw = adopted ?? globalThis.crypto.getRandomValues(new Uint8Array(32))
      const wrappingKey = await subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])
      const iv = globalThis.crypto.getRandomValues(new Uint8Array(12))
      const sealed = await subtle.encrypt({ name: 'AES-GCM', iv }, wrappingKey, raw as BufferSource)
      record = await storeFirst(db, { wrappingKey, iv, sealed })
    }
    deps.legacy?.storage.removeItem(deps.legacy.item)
    const { wrappingKey, iv, sealed } = record as StoredCacheKey
    // a record that does not open is not replaced: a new key would orphan every sealed draft
    const raw = await subtle.decrypt({ name: 'AES-GCM', iv: iv as BufferSource }, wrappingKey, sealed).catch((error: unknown) => {
      throw new Error(`the stored cache key cannot be opened: ${error instanceof Error ? error.message : String(error)}`)
    })
    return toBase64(new Uint8Array(raw))
  } finally {
    db.close()
  }
}
