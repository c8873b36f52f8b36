/**
 * Where the report editor gets its master and keeps its work: the master from the server
 * (kept locally so that reporting works offline), drafts and the outbox in the local database.
 */
import type { Assignment } from '../../../shared/api-contract.ts'
import { findingMasterSchema, type FindingMaster, type ReportContent } from '../../../shared/finding-master.ts'
import type { ReportClient } from '../api/report-client.ts'
import { RequestError } from '../api/request-error.ts'
import type { CacheCipher } from '../cache/cache-cipher.ts'
import { loadDraft, queueReport, saveDraft, type ReportDraft } from '../cache/report-draft-store.ts'
import type { WorkstationDb } from '../cache/workstation-db.ts'

const masterKey = (assignmentId: string) => `master:${assignmentId}`

/** The master for an assignment: from the server when it answers, else the copy kept from last time. */
export async function loadMaster(client: ReportClient, db: WorkstationDb, assignmentId: string): Promise<FindingMaster> {
  try {
    const master = await client.master(assignmentId)
    // The copy is for offline reporting later: a full disk must not stop reporting now.
    await db.syncState.put({ key: masterKey(assignmentId), value: master }).catch(() => undefined)
    return master
  } catch (error) {
    if (!(error instanceof RequestError) || (error.failure !== 'unreachable' && error.failure !== 'server-error')) throw error
    const kept = findingMasterSchema.safeParse((await db.syncState.get(masterKey(assignmentId)))?.value)
    if (!kept.success) throw error
    return kept.data
  }
}

/** The scale an assignment is judged on: the one its modality's findings use. */
export function scaleForAssignment(master: FindingMaster, assignment: Assignment): string {
  const finding = master.findings.find((f) => f.modalities.some((m) => assignment.modalities.includes(m)) && !f.noAbnormality) ?? master.findings[0]
  return finding?.scale ?? master.scales[0]?.code ?? ''
}

/** An empty report against the master. */
export function emptyReport(master: FindingMaster, assignment: Assignment): ReportContent {
  return { masterVersion: master.version, scale: scaleForAssignment(master, assignment), findings: [], impression: '', comments: '', keyImages: [], measurements: [] }
}

export interface ReportStorage {
  load(assignmentId: string): Promise<ReportDraft | null>
  /** False when the report was submitted meanwhile and the draft was not saved. */
  save(draft: ReportDraft): Promise<boolean>
  /** Queues the report for sending; returns the idempotency key the outbox will use. */
  queue(draft: ReportDraft): Promise<string>
  /** The outbox state of an assignment's report, if it has one. */
  outboxState(assignmentId: string): Promise<{ state: 'pending' | 'sent' | 'rejected' | 'unreadable'; rejection?: string } | null>
}

export function createReportStorage(db: WorkstationDb, getCipher: () => Promise<CacheCipher>): ReportStorage {
  return {
    load: async (id) => loadDraft(db, await getCipher(), id),
    save: async (draft) => saveDraft(db, await getCipher(), draft),
    queue: async (draft) => queueReport(db, await getCipher(), draft, crypto.randomUUID(), Date.now()),
    async outboxState(id) {
      const records = await db.outbox.where('assignmentId').equals(id).sortBy('createdAt')
      const last = records.at(-1)
      return last ? { state: last.state, ...(last.rejection ? { rejection: last.rejection } : {}) } : null
    },
  }
}
