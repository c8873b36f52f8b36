import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ReportContent } from '../../../shared/finding-master.ts'
import { createAesGcmCipher, type CacheCipher } from './cache-cipher.ts'
import { loadDraft, queueReport, readOutboxContent, returnToDraft, saveDraft } from './report-draft-store.ts'
import { StorageFullError } from './storage-full-error.ts'
import { openWorkstationDb, type CachedStudy, type WorkstationDb } from './workstation-db.ts'

const content = (impression: string): ReportContent => ({ masterVersion: 1, scale: 'lung-ae', findings: [], impression, comments: '', keyImages: [], measurements: [] })

describe('report drafts and outbox', () => {
  let db: WorkstationDb
  let cipher: CacheCipher
  beforeEach(async () => {
    db = openWorkstationDb(`drafts-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange })
    cipher = await createAesGcmCipher(new Uint8Array(32).fill(3))
  })
  afterEach(() => db.close())

  it('keeps a draft sealed and gives it back', async () => {
    await saveDraft(db, cipher, { assignmentId: 'a1', studyInstanceUid: 's1', content: content('右上肺野に結節影'), updatedAt: 5 })
    const stored = await db.reportDrafts.get('a1')
    expect(new TextDecoder().decode(new Uint8Array(await stored!.sealed.arrayBuffer()))).not.toContain('結節影')
    expect(await loadDraft(db, cipher, 'a1')).toEqual({ assignmentId: 'a1', studyInstanceUid: 's1', content: content('右上肺野に結節影'), updatedAt: 5 })
    expect(await loadDraft(db, cipher, 'nope')).toBeNull()
  })

  it('moves the draft into the outbox atomically, and a second submit reuses the first key', async () => {
    const draft = { assignmentId: 'a1', studyInstanceUid: 's1', content: content('text'), updatedAt: 1 }
    await saveDraft(db, cipher, draft)
    expect(await queueReport(db, cipher, draft, 'key-1', 10)).toBe('key-1')
    expect(await queueReport(db, cipher, draft, 'key-2', 11)).toBe('key-1')
    expect(await db.outbox.count()).toBe(1)
    expect(await db.reportDrafts.count()).toBe(0)
    expect(await readOutboxContent(cipher, (await db.outbox.get('key-1'))!)).toEqual(content('text'))
  })

  it('a save still on its way when Submit was pressed does not bring the draft back', async () => {
    const draft = { assignmentId: 'a1', studyInstanceUid: 's1', content: content('text'), updatedAt: 1 }
    await queueReport(db, cipher, draft, 'key-1', 10)
    expect(await saveDraft(db, cipher, { ...draft, updatedAt: 2 })).toBe(false)
    expect(await db.reportDrafts.count()).toBe(0)
  })

  it('a refused report becomes a draft again, with the reason kept', async () => {
    const draft = { assignmentId: 'a1', studyInstanceUid: 's1', content: content('text'), updatedAt: 1 }
    await queueReport(db, cipher, draft, 'key-1', 10)
    await returnToDraft(db, cipher, (await db.outbox.get('key-1'))!, 'overall below worst finding', 20)
    expect(await db.outbox.get('key-1')).toMatchObject({ state: 'rejected', rejection: 'overall below worst finding' })
    expect((await loadDraft(db, cipher, 'a1'))?.content).toEqual(content('text'))
    // a new submit after fixing it gets a new key
    expect(await queueReport(db, cipher, draft, 'key-2', 30)).toBe('key-2')
  })

  describe('on a full disk', () => {
    /** A disk with `room` bytes left: writes of drafts and reports fail beyond it, deleting cached bytes frees room. */
    function fillDisk(target: WorkstationDb, state: { room: number }): void {
      target.use({
        stack: 'dbcore',
        name: 'full-disk',
        create: (down) => ({
          ...down,
          table: (name) => {
            const table = down.table(name)
            return {
              ...table,
              mutate: async (req) => {
                if (req.type === 'delete' && name === 'instanceBlobs') state.room += 1000 * req.keys.length
                if (req.type === 'put' && (name === 'reportDrafts' || name === 'outbox')) {
                  if (state.room < 100) throw new DOMException('the disk is full', 'QuotaExceededError')
                  state.room -= 100
                }
                return table.mutate(req)
              },
            }
          },
        }),
      })
    }
    const cached = (uid: string, extra: Partial<CachedStudy>): CachedStudy => ({ studyInstanceUid: uid, serverUrl: 's', instanceCount: 1, cachedInstanceCount: 1, cachedBytes: 1000, complete: true, updatedAt: 1, needed: 1, ...extra })

    it('evicts cached studies to keep the reader’s words, never one with unsent work', async () => {
      const full = openWorkstationDb(`full-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange })
      const disk = { room: 0 }
      fillDisk(full, disk)
      try {
        await full.studies.bulkPut([cached('s1', { lastOpenedAt: 1 }), cached('old', { lastOpenedAt: 2 }), cached('other', { lastOpenedAt: 3 }), cached('queued', { lastOpenedAt: 0 })])
        await full.instanceBlobs.bulkPut(['s1', 'old', 'other', 'queued'].map((uid) => ({ sopInstanceUid: `${uid}.1`, studyInstanceUid: uid, bytes: new Blob(['x']) })))
        disk.room = 100
        await full.outbox.put({ idempotencyKey: 'k0', assignmentId: 'a0', studyInstanceUid: 'queued', state: 'pending', createdAt: 0, attempts: 0, sealed: new Blob(['r']) })
        expect(disk.room).toBe(0)
        // the draft of s1 evicts the least recently used study without unsent work: not s1, not 'queued'
        expect(await saveDraft(full, cipher, { assignmentId: 'a1', studyInstanceUid: 's1', content: content('まだ書いている'), updatedAt: 5 })).toBe(true)
        expect((await full.studies.toArray()).map((s) => s.studyInstanceUid).sort()).toEqual(['other', 'queued', 's1'])
        expect((await loadDraft(full, cipher, 'a1'))?.content.impression).toBe('まだ書いている')
        disk.room = 0
        expect(await queueReport(full, cipher, { assignmentId: 'a1', studyInstanceUid: 's1', content: content('完成'), updatedAt: 6 }, 'k1', 7)).toBe('k1')
        expect((await full.studies.toArray()).map((s) => s.studyInstanceUid).sort()).toEqual(['queued', 's1'])
        // nothing left that may go: a typed error, and the draft table as it was
        disk.room = 0
        await expect(saveDraft(full, cipher, { assignmentId: 'a2', studyInstanceUid: 's1', content: content('x'), updatedAt: 8 })).rejects.toBeInstanceOf(StorageFullError)
        expect(await full.studies.count()).toBe(2)
        expect(await full.reportDrafts.count()).toBe(0)
      } finally {
        full.close()
      }
    })
  })
})
