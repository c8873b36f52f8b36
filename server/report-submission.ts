/**
 * Submitting a report exactly once. The report, the assignment's new status and the frozen
 * master version are written in one transaction; the unique constraints on the assignment and
 * the idempotency key decide between concurrent duplicates, and the loser reads what the
 * winner stored. So a retried request (same key) gets the stored report back, and a second
 * submission (another key) is refused.
 */
import { randomUUID } from 'node:crypto'
import type { ReportContent } from '../shared/finding-master.ts'
import type { StoredReport } from '../shared/report-contract.ts'
import type { ReadingDatabase } from './database.ts'
import { freezeMasterVersion } from './finding-master-repository.ts'
import { afterReadSubmitted } from './reading-case-service.ts'
import type { ReportScope } from './report-access.ts'
import { checkReportContent, type SubmissionIssue } from './report-content-check.ts'
import { insertReportOnce, reportByAssignment, reportByIdempotencyKey } from './report-repository.ts'

export type SubmitOutcome =
  | { kind: 'created'; report: StoredReport }
  /** The same key stored this report before: the retry of a submission whose answer was lost. */
  | { kind: 'replayed'; report: StoredReport }
  | { kind: 'rejected'; issues: SubmissionIssue[] }
  /** The assignment already has a report stored under another key. */
  | { kind: 'already-submitted' }
  /** The key stored a report for another assignment: a client bug, never a retry. */
  | { kind: 'key-reused' }

/** What an existing report means for a submission with this key to this assignment. */
async function outcomeOfExisting(db: ReadingDatabase, scope: ReportScope, key: string): Promise<SubmitOutcome | undefined> {
  const byKey = await reportByIdempotencyKey(db, key)
  if (byKey) return byKey.report.assignmentId === scope.assignmentId ? { kind: 'replayed', report: byKey.report } : { kind: 'key-reused' }
  if (await reportByAssignment(db, scope.assignmentId)) return { kind: 'already-submitted' }
  return undefined
}

export async function submitReport(
  db: ReadingDatabase,
  scope: ReportScope,
  content: ReportContent,
  idempotencyKey: string,
  now: Date,
): Promise<SubmitOutcome> {
  // A retry is answered from what is stored, even if the master or rules changed since.
  const existing = await outcomeOfExisting(db, scope, idempotencyKey)
  if (existing) return existing

  const checked = await checkReportContent(db, scope, content)
  if (!checked.ok) return { kind: 'rejected', issues: checked.issues }
  const { master, overall } = checked

  const id = randomUUID()
  const inserted = await db.transaction(async (tx) => {
    const stored = await insertReportOnce(tx, {
      id,
      assignmentId: scope.assignmentId,
      studyInstanceUid: scope.studyInstanceUid,
      readerId: scope.readerUserId,
      facilityId: scope.facilityId,
      masterVersion: master.version,
      content,
      overallJudgement: overall.code,
      requiresFurtherExamination: overall.requiresFurtherExamination,
      idempotencyKey,
      submittedAt: now,
    })
    if (!stored) return false
    await tx.query(`update assignments set status = 'submitted' where id = $1`, [scope.assignmentId])
    await freezeMasterVersion(tx, scope.facilityId, master.version)
    // The case moves on in the same transaction: a read is never in without its case knowing.
    await afterReadSubmitted(tx, scope, now)
    return true
  })
  if (!inserted) {
    // A concurrent request won the race: answer as if this one had come second.
    return (await outcomeOfExisting(db, scope, idempotencyKey)) ?? { kind: 'already-submitted' }
  }
  const report = (await reportByIdempotencyKey(db, idempotencyKey))?.report
  if (!report) throw new Error(`report ${id} was committed but cannot be read back`)
  return { kind: 'created', report }
}
