import { Dexie } from 'dexie'
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
import { openWorkstationDb, type CachedInstance, type CachedStudy } from './workstation-db.ts'

describe('workstation database upgrades', () => {
  it('version 4 makes studies indexed without image attributes be planned again, keeping their instances', async () => {
    const backend = { indexedDB: new IDBFactory(), IDBKeyRange }
    const name = `upgrade-${Math.random()}`
    // the schema as version 3 left it (only its final shape matters for the upgrade)
    const old = new Dexie(name, backend)
    old.version(3).stores({
      studies: '&studyInstanceUid, updatedAt, lastOpenedAt, needed',
      series: '&seriesInstanceUid, studyInstanceUid',
      instances: '&sopInstanceUid, seriesInstanceUid, studyInstanceUid',
      instanceBlobs: '&sopInstanceUid, studyInstanceUid',
      assignments: '&id, studyInstanceUid',
      syncState: '&key',
      reportDrafts: '&assignmentId, studyInstanceUid',
      outbox: '&idempotencyKey, assignmentId, studyInstanceUid, state',
    })
    const study: CachedStudy = { studyInstanceUid: '1.2', serverUrl: 'http://s', instanceCount: 1, cachedInstanceCount: 1, cachedBytes: 10, complete: true, updatedAt: 5, needed: 1 }
    const instance: CachedInstance = { sopInstanceUid: '1.2.3', seriesInstanceUid: '1.2.9', studyInstanceUid: '1.2', sopClassUid: '1.2.840.10008.5.1.4.1.1.2', instanceNumber: 1, sortKey: 0, numberOfFrames: 1, byteLength: 10 }
    await old.table('studies').put(study)
    await old.table('instances').put(instance)
    old.close()

    const db = openWorkstationDb(name, backend)
    try {
      expect(await db.studies.get('1.2')).toEqual({ ...study, complete: false })
      expect(await db.instances.get('1.2.3')).toEqual(instance)
      expect(db.verno).toBeGreaterThanOrEqual(4)
    } finally {
      db.close()
    }
  })
})
