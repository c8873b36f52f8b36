import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
import { CacheDecryptError, createAesGcmCipher, plainCipher, rawKeyFromBase64 } from './cache-cipher.ts'
import { ensureCacheKey } from './cache-key-check.ts'
import { readInstance, storeInstances } from './instance-store.ts'
import { openWorkstationDb, type CachedInstance } from './workstation-db.ts'

const key = (fill: number) => new Uint8Array(32).fill(fill)
const instance: CachedInstance = { sopInstanceUid: '1.2', seriesInstanceUid: '1.1', studyInstanceUid: '1', sopClassUid: '', instanceNumber: 1, sortKey: 1, numberOfFrames: 1, byteLength: 0 }

describe('cache encryption', () => {
  it('round-trips bytes and does not store them in clear', async () => {
    const cipher = await createAesGcmCipher(key(7))
    const bytes = new TextEncoder().encode('DICM patient name YAMADA^TARO')
    const sealed = await cipher.seal(bytes)
    expect(sealed.iv).toHaveLength(12)
    expect(new TextDecoder().decode(new Uint8Array(sealed.data as ArrayBuffer))).not.toContain('YAMADA')
    expect(new TextDecoder().decode(await cipher.open({ iv: sealed.iv, data: sealed.data as ArrayBuffer }))).toContain('YAMADA^TARO')
  })

  it('refuses to open under another key, with an error that says so', async () => {
    const sealed = await (await createAesGcmCipher(key(1))).seal(new Uint8Array([1, 2, 3]))
    await expect((await createAesGcmCipher(key(2))).open({ iv: sealed.iv, data: sealed.data as ArrayBuffer })).rejects.toBeInstanceOf(CacheDecryptError)
    await expect(plainCipher.open({ iv: sealed.iv, data: sealed.data as ArrayBuffer })).rejects.toBeInstanceOf(CacheDecryptError)
  })

  it('decodes base64 keys and insists on 256 bits', () => {
    expect(rawKeyFromBase64(btoa(String.fromCharCode(...key(9))))).toEqual(key(9))
    expect(() => rawKeyFromBase64(btoa('short'))).toThrow(/256 bits/)
  })

  it('stores instances sealed, reads them back, and drops the cache when the key changes', async () => {
    const db = openWorkstationDb(`cipher-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange })
    const first = await createAesGcmCipher(key(1))
    expect(await ensureCacheKey(db, first)).toBe(false)
    await db.studies.put({ studyInstanceUid: '1', serverUrl: 's', instanceCount: 1, cachedInstanceCount: 0, cachedBytes: 0, complete: false, updatedAt: 0 })
    await db.instances.put(instance)
    await storeInstances(db, first, [{ instance, bytes: new Uint8Array([9, 8, 7]) }])
    expect(new Uint8Array((await readInstance(db, first, '1.2'))!)).toEqual(new Uint8Array([9, 8, 7]))
    expect(await db.studies.get('1')).toMatchObject({ complete: true, cachedInstanceCount: 1, cachedBytes: 3 })

    expect(await ensureCacheKey(db, first)).toBe(false)
    expect(await ensureCacheKey(db, await createAesGcmCipher(key(2)))).toBe(true)
    expect(await db.instanceBlobs.count()).toBe(0)
    expect(await db.studies.count()).toBe(0)
    db.close()
  })
})
