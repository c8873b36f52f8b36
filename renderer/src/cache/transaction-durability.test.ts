import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { durabilityFor } from './transaction-durability.ts'
import { openWorkstationDb, type WorkstationDb } from './workstation-db.ts'

/**
 * Records the durability IndexedDB is asked for, below every other middleware (it must be
 * installed before the database opens: Dexie builds its middleware stack on open).
 */
function spyOnDurability(db: WorkstationDb): { last(): IDBTransactionDurability | undefined } {
  let seen: IDBTransactionDurability | undefined
  db.use({
    stack: 'dbcore',
    name: 'durability-spy',
    level: -1,
    create: (down) => ({
      ...down,
      transaction: (stores, mode, options) => {
        const trans = down.transaction(stores, mode, options)
        seen = (trans as unknown as IDBTransaction).durability
        return trans
      },
    }),
  })
  return { last: () => seen }
}

describe('transaction durability', () => {
  it('is strict only for writes touching a strict table', () => {
    const strict = new Set(['outbox', 'reportDrafts'])
    expect(durabilityFor(['outbox'], 'readwrite', strict)).toBe('strict')
    expect(durabilityFor(['instanceBlobs', 'reportDrafts'], 'readwrite', strict)).toBe('strict')
    expect(durabilityFor(['outbox'], 'readonly', strict)).toBe('relaxed')
    expect(durabilityFor(['instanceBlobs', 'instances', 'studies'], 'readwrite', strict)).toBe('relaxed')
  })

  describe('in the workstation database', () => {
    let db: WorkstationDb
    let spy: ReturnType<typeof spyOnDurability>
    beforeEach(() => {
      db = openWorkstationDb(`durability-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange })
      spy = spyOnDurability(db)
    })
    afterEach(() => db.close())

    it('flushes drafts and the outbox, and lets cache writes be relaxed', async () => {
      const durabilityOf = async (run: () => Promise<unknown>) => {
        await run()
        return spy.last()
      }
      const draft = { assignmentId: 'a1', studyInstanceUid: 's1', updatedAt: 1, sealed: new Blob(['x']) }
      const outbox = { idempotencyKey: 'k', assignmentId: 'a1', studyInstanceUid: 's1', state: 'pending' as const, createdAt: 1, attempts: 0, sealed: new Blob(['y']) }
      const blob = { sopInstanceUid: 'i1', studyInstanceUid: 's1', bytes: new Blob(['z']) }
      expect(await durabilityOf(() => db.reportDrafts.put(draft))).toBe('strict')
      expect(await durabilityOf(() => db.outbox.update('k', { attempts: 1 }))).toBe('strict')
      expect(await durabilityOf(() => db.transaction('rw', [db.outbox, db.reportDrafts], () => db.outbox.put(outbox)))).toBe('strict')
      expect(await durabilityOf(() => db.instanceBlobs.put(blob))).toBe('relaxed')
      expect(await durabilityOf(() => db.transaction('rw', [db.instanceBlobs, db.studies], () => db.instanceBlobs.put(blob)))).toBe('relaxed')
      expect(await durabilityOf(() => db.outbox.toArray())).toBe('relaxed')
      expect(await db.outbox.get('k')).toMatchObject({ state: 'pending' })
    })
  })
})
