import { IDBFactory } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
import { loadBrowserCacheKey } from './browser-cache-key.ts'
import { createBrowserDesktop } from './browser-desktop.ts'

/** sessionStorage as a Map (Node has none). */
class MemoryStorage implements Storage {
  private items = new Map<string, string>()
  get length() {
    return this.items.size
  }
  clear() {
    this.items.clear()
  }
  getItem(key: string) {
    return this.items.get(key) ?? null
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null
  }
  removeItem(key: string) {
    this.items.delete(key)
  }
  setItem(key: string, value: string) {
    this.items.set(key, value)
  }
}

/** Every record of the key database, as IndexedDB gives them back. */
async function storedRecords(indexedDB: IDBFactory): Promise<unknown[]> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const open = indexedDB.open('reading-workstation-key')
    open.onsuccess = () => resolve(open.result)
    open.onerror = () => reject(open.error)
  })
  const all = await new Promise<unknown[]>((resolve) => {
    const r = db.transaction('keys').objectStore('keys').getAll()
    r.onsuccess = () => resolve(r.result)
  })
  db.close()
  return all
}

const location = { protocol: 'http:', origin: 'http://127.0.0.1:1' } as Location

describe('the browser cache key', () => {
  it('outlives the browser session: a new tab (new session storage) gets the same key', async () => {
    const indexedDB = new IDBFactory()
    const first = await createBrowserDesktop(new MemoryStorage(), location, 'test', indexedDB).cache.key()
    const afterRestart = await createBrowserDesktop(new MemoryStorage(), location, 'test', indexedDB).cache.key()
    expect(atob(first.key)).toHaveLength(32)
    expect(afterRestart.key).toBe(first.key)
    // a profile of its own has a key of its own
    expect((await createBrowserDesktop(new MemoryStorage(), location, 'test', new IDBFactory()).cache.key()).key).not.toBe(first.key)
  })

  it('stores only a non-extractable wrapping key and the cache key sealed under it, nothing in web storage', async () => {
    const indexedDB = new IDBFactory()
    const storage = new MemoryStorage()
    const key = await loadBrowserCacheKey({ indexedDB, legacy: { storage, item: 'legacy' } })
    expect(storage.length).toBe(0)
    const [record, ...others] = (await storedRecords(indexedDB)) as Array<{ wrappingKey: CryptoKey; iv: Uint8Array; sealed: ArrayBuffer }>
    expect(others).toHaveLength(0)
    expect(record!.wrappingKey).toBeInstanceOf(CryptoKey)
    expect(record!.wrappingKey.extractable).toBe(false)
    await expect(crypto.subtle.exportKey('raw', record!.wrappingKey)).rejects.toThrow()
    const raw = Uint8Array.from(atob(key), (c) => c.charCodeAt(0))
    const sealed = new Uint8Array(record!.sealed)
    expect(sealed.byteLength).toBe(32 + 16)
    expect(Buffer.from(sealed).includes(Buffer.from(raw.subarray(0, 8)))).toBe(false)
  })

  it('adopts the session key of an earlier version, so that its cache stays readable, and removes it', async () => {
    const indexedDB = new IDBFactory()
    const storage = new MemoryStorage()
    const legacy = btoa(String.fromCharCode(...new Uint8Array(32).fill(7)))
    storage.setItem('reading-workstation.cache-key', legacy)
    storage.setItem('reading-workstation.credentials:http://s', 'kept')
    expect((await createBrowserDesktop(storage, location, 'test', indexedDB).cache.key()).key).toBe(legacy)
    expect(storage.getItem('reading-workstation.cache-key')).toBeNull()
    expect(storage.getItem('reading-workstation.credentials:http://s')).toBe('kept')
    expect((await createBrowserDesktop(new MemoryStorage(), location, 'test', indexedDB).cache.key()).key).toBe(legacy)
  })

  it('gives two tabs starting at once one key', async () => {
    const indexedDB = new IDBFactory()
    const keys = await Promise.all(Array.from({ length: 4 }, () => loadBrowserCacheKey({ indexedDB })))
    expect(new Set(keys).size).toBe(1)
    expect(await storedRecords(indexedDB)).toHaveLength(1)
  })

  it('never replaces a stored key that does not open (that would orphan every sealed draft)', async () => {
    const indexedDB = new IDBFactory()
    await loadBrowserCacheKey({ indexedDB })
    const db = await new Promise<IDBDatabase>((resolve) => {
      const open = indexedDB.open('reading-workstation-key')
      open.onsuccess = () => resolve(open.result)
    })
    await new Promise<void>((resolve) => {
      const tx = db.transaction('keys', 'readwrite')
      const store = tx.objectStore('keys')
      const r = store.get('cache-key-v1')
      r.onsuccess = () => {
        const record = r.result as { sealed: ArrayBuffer }
        new Uint8Array(record.sealed)[0]! ^= 1
        store.put(record, 'cache-key-v1')
      }
      tx.oncomplete = () => resolve()
    })
    db.close()
    const before = await storedRecords(indexedDB)
    await expect(loadBrowserCacheKey({ indexedDB })).rejects.toThrow(/stored cache key cannot be opened/)
    expect(await storedRecords(indexedDB)).toEqual(before)
  })
})
