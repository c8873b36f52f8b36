/**
 * Report drafts and the report outbox, sealed like the image cache. A draft is saved on
 * every change; Submit moves it into the outbox in one transaction together with its
 * idempotency key, so that nothing is lost between pressing Submit and the server's answer.
 * Both are written with strict durability (workstation-db.ts), and a full disk makes room for
 * them by evicting cached studies: the reader's words exist nowhere else, images can be fetched again.
 */
import { reportContentSchema, type ReportContent } from '../../../shared/finding-master.ts'
import type { CacheCipher } from './cache-cipher.ts'
import { evictForReaderWork } from './cache-eviction.ts'
import { isQuotaError, StorageFullError } from './storage-full-error.ts'
import type { OutboxRecord, WorkstationDb } from './workstation-db.ts'

export interface ReportDraft {
  assignmentId: string
  studyInstanceUid: string
  content: ReportContent
  updatedAt: number
}

async function seal(cipher: CacheCipher, value: unknown): Promise<{ iv?: Uint8Array; sealed: Blob }> {
  const sealed = await cipher.seal(new TextEncoder().encode(JSON.stringify(value)))
  return { ...(sealed.iv ? { iv: sealed.iv } : {}), sealed: new Blob([sealed.data as ArrayBuffer]) }
}

async function unseal(cipher: CacheCipher, record: { iv?: Uint8Array | undefined; sealed: Blob }): Promise<unknown> {
  return JSON.parse(new TextDecoder().decode(await cipher.open({ iv: record.iv, data: await record.sealed.arrayBuffer() })))
}

/**
 * Runs a write of the reader's work; while the disk is too full for it, evicts one cached
 * study (never one with unsent work, nor `studyInstanceUid`) and tries again. Nothing left to
 * evict: StorageFullError. The write must seal before it starts a transaction, so it can be rerun.
 */
async function withRoom<T>(db: WorkstationDb, studyInstanceUid: string, write: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await write()
    } catch (error) {
      if (!isQuotaError(error)) throw error
      if (!(await evictForReaderWork(db, studyInstanceUid))) throw new StorageFullError(error instanceof Error ? error.message : String(error))
    }
  }
}

/**
 * Saves the draft, unless the report was submitted meanwhile (a save that was already on its
 * way when the reader pressed Submit must not bring the draft back). Returns whether it saved.
 */
export async function saveDraft(db: WorkstationDb, cipher: CacheCipher, draft: ReportDraft): Promise<boolean> {
  const sealed = await seal(cipher, draft.content)
  return withRoom(db, draft.studyInstanceUid, () =>
    db.transaction('rw', [db.outbox, db.reportDrafts], async () => {
      const submitted = await db.outbox.where('assignmentId').equals(draft.assignmentId).filter((r) => r.state === 'pending' || r.state === 'sent').count()
      if (submitted > 0) return false
      await db.reportDrafts.put({ assignmentId: draft.assignmentId, studyInstanceUid: draft.studyInstanceUid, updatedAt: draft.updatedAt, ...sealed })
      return true
    }),
  )
}

/** The saved draft, or null; a draft that cannot be read (another key) is reported, not deleted. */
export async function loadDraft(db: WorkstationDb, cipher: CacheCipher, assignmentId: string): Promise<ReportDraft | null> {
  const record = await db.reportDrafts.get(assignmentId)
  if (!record) return null
  const content = reportContentSchema.parse(await unseal(cipher, record))
  return { assignmentId, studyInstanceUid: record.studyInstanceUid, content, updatedAt: record.updatedAt }
}

/**
 * Queues the report for sending and removes the draft, atomically. A second Submit for the
 * same assignment while one is pending returns the pending one's key: one report is sent.
 */
export async function queueReport(db: WorkstationDb, cipher: CacheCipher, draft: ReportDraft, idempotencyKey: string, now: number): Promise<string> {
  const sealed = await seal(cipher, draft.content)
  return withRoom(db, draft.studyInstanceUid, () =>
    db.transaction('rw', [db.outbox, db.reportDrafts], async () => {
      const pending = await db.outbox.where('assignmentId').equals(draft.assignmentId).filter((r) => r.state === 'pending').first()
      if (pending) return pending.idempotencyKey
      await db.outbox.put({ idempotencyKey, assignmentId: draft.assignmentId, studyInstanceUid: draft.studyInstanceUid, state: 'pending', createdAt: now, attempts: 0, ...sealed })
      await db.reportDrafts.delete(draft.assignmentId)
      return idempotencyKey
    }),
  )
}

export async function readOutboxContent(cipher: CacheCipher, record: OutboxRecord): Promise<ReportContent> {
  return reportContentSchema.parse(await unseal(cipher, record))
}

/** A refused report goes back to being a draft, with the server's reason kept on the outbox entry. */
export async function returnToDraft(db: WorkstationDb, cipher: CacheCipher, record: OutboxRecord, reason: string, now: number): Promise<void> {
  // seal before the transaction: awaiting WebCrypto inside it would let IndexedDB commit early
  const sealed = await seal(cipher, await readOutboxContent(cipher, record))
  await withRoom(db, record.studyInstanceUid, () =>
    db.transaction('rw', [db.outbox, db.reportDrafts], async () => {
      await db.outbox.update(record.idempotencyKey, { state: 'rejected', rejection: reason })
      await db.reportDrafts.put({ assignmentId: record.assignmentId, studyInstanceUid: record.studyInstanceUid, updatedAt: now, ...sealed })
    }),
  )
}

/**
 * Marks a queued report as accepted by the server. On a full disk it makes room like the
 * reader's other writes: a report the server took must not be replayed forever for want of space.
 */
export async function markSent(db: WorkstationDb, record: OutboxRecord): Promise<void> {
  await withRoom(db, record.studyInstanceUid, () => db.outbox.update(record.idempotencyKey, { state: 'sent', attempts: record.attempts + 1 }))
}
