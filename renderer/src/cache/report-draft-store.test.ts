import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ReportContent } from '../../../shared/finding-master.ts'
import { createAesGcmCipher, type CacheCipher } from './cache-cipher.ts'
import { loadDraft, queueReport, readOutboxContent, returnToDraft, saveDraft } from './report-draft-store.ts'
import { openWorkstationDb, type WorkstationDb } from './workstation-db.ts'

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
})
