import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
import { plainCipher } from './cache-cipher.ts'
import { createInstanceReader } from './instance-reader.ts'
import { storeInstances } from './instance-store.ts'
import { openWorkstationDb, type CachedInstance } from './workstation-db.ts'

const instance: CachedInstance = { sopInstanceUid: '1.2.3', seriesInstanceUid: '1.2', studyInstanceUid: '1', sopClassUid: '', instanceNumber: 1, sortKey: 1, numberOfFrames: 1, byteLength: 0 }

describe('instance reader', () => {
  it('waits for an instance that is still arriving, then reads it', async () => {
    const db = openWorkstationDb(`reader-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange })
    const reader = createInstanceReader(db, async () => plainCipher)
    let settled = false
    const pending = reader.read('1.2.3').then((bytes) => {
      settled = true
      return new Uint8Array(bytes)
    })
    await new Promise((r) => setTimeout(r, 20))
    expect(settled).toBe(false)
    await db.studies.put({ studyInstanceUid: '1', serverUrl: '', instanceCount: 1, cachedInstanceCount: 0, cachedBytes: 0, complete: false, updatedAt: 0 })
    await storeInstances(db, plainCipher, [{ instance, bytes: new Uint8Array([4, 5, 6]) }])
    reader.arrived(['1.2.3'])
    expect(await pending).toEqual(new Uint8Array([4, 5, 6]))
    db.close()
  })

  it('gives up with a clear error when the instance never arrives', async () => {
    const db = openWorkstationDb(`reader-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange })
    const reader = createInstanceReader(db, async () => plainCipher, 30)
    await expect(reader.read('9.9')).rejects.toThrow('instance 9.9 has not arrived in the local cache')
    db.close()
  })
})
