/**
 * A reading case as one viewer may see it: every read is listed (who, which reading, whether it
 * is in), but a read the viewer is blinded to (case-visibility.ts) carries no report, judgement
 * or version count, so the first judgement reaches a second reader in no response before
 * their own read is in.
 */
import type { User } from '../shared/api-contract.ts'
import { readingCaseSchema, type CaseRead, type ReadingCase } from '../shared/reading-case-contract.ts'
import { ApiHttpError, notFound } from './api-error.ts'
import { mayViewCase, mayViewRead } from './case-visibility.ts'
import type { Queryable } from './database.ts'
import { viewerInCase } from './report-access.ts'
import { caseById, caseEvents, caseMembers } from './reading-case-repository.ts'
import { reportVersions } from './report-version-repository.ts'

export async function readingCaseFor(db: Queryable, caseId: string, user: User): Promise<ReadingCase> {
  const readingCase = await caseById(db, caseId)
  if (!readingCase) throw notFound('Reading case')
  const viewer = await viewerInCase(db, user, caseId)
  if (!mayViewCase(readingCase.workflow, readingCase.status, viewer)) throw new ApiHttpError(403, 'forbidden', 'This reading case is not yours.')
  const reads: CaseRead[] = []
  for (const m of await caseMembers(db, caseId)) {
    const visible = mayViewRead(readingCase.workflow, readingCase.status, viewer, { assignmentId: m.assignmentId, readingType: m.readingType })
    const versions = visible && m.reportId ? await reportVersions(db, m.reportId) : []
    reads.push({
      assignmentId: m.assignmentId,
      readingType: m.readingType,
      readerId: m.readerUserId,
      readerName: m.readerName,
      status: m.status,
      ...(m.submittedAt ? { submittedAt: m.submittedAt.toISOString() } : {}),
      blinded: !visible,
      ...(visible && m.reportId ? { reportId: m.reportId, latest: versions.at(-1), versionCount: versions.length } : {}),
    })
  }
  // A final judgement of a case the viewer is still blinded in would give the other read away.
  const blindedToAny = reads.some((r) => r.blinded && (r.readingType === 'first' || r.readingType === 'second'))
  const events = blindedToAny ? [] : await caseEvents(db, caseId)
  return readingCaseSchema.parse({
    id: readingCase.id,
    studyInstanceUid: readingCase.studyInstanceUid,
    facilityId: readingCase.facilityId,
    workflow: readingCase.workflow,
    status: readingCase.status,
    reads,
    ...(readingCase.final && !blindedToAny ? { final: { ...readingCase.final, decidedAt: readingCase.final.decidedAt.toISOString() } } : {}),
    ...(readingCase.returnComment !== undefined ? { returnComment: readingCase.returnComment } : {}),
    ...(readingCase.committeeReason !== undefined && !blindedToAny ? { committeeReason: readingCase.committeeReason } : {}),
    events: events.map((e) => ({ ...e, at: e.at.toISOString() })),
  })
}
