/**
 * What happens to a reading case: a read comes in, the comparison records a consensus or sends
 * the case to the committee, the committee decides, the checker approves, amends or returns a
 * report, a reader corrects their report. Each runs in one transaction that locks the case,
 * asks the state machine (shared/reading-case-machine.ts) and records the transition with its
 * event; anything the machine refuses is a 409, anyone not entitled a 403.
 */
import type { User } from '../shared/api-contract.ts'
import type { ReportContent } from '../shared/finding-master.ts'
import { overallJudgementsAgree } from '../shared/read-comparison.ts'
import type { CheckDecisionRequest, ConsensusRequest } from '../shared/reading-case-contract.ts'
import { caseTransition, type CaseEvent, type ReadsIn } from '../shared/reading-case-machine.ts'
import { scaleOf } from '../shared/report-rules.ts'
import { ApiHttpError, badRequest, notFound } from './api-error.ts'
import type { Queryable, ReadingDatabase } from './database.ts'
import { masterVersion } from './finding-master-repository.ts'
import { caseById, caseIdOfAssignment, caseMembers, recordTransition, type CaseMember, type CaseRecord, type TransitionRecord } from './reading-case-repository.ts'
import type { ReportScope } from './report-access.ts'
import { reportById } from './report-repository.ts'
import { checkReportContent, type SubmissionIssue } from './report-content-check.ts'
import { appendReportVersion, latestReportVersion, versionByKey } from './report-version-repository.ts'

export const invalidTransition = (reason: string) => new ApiHttpError(409, 'invalid-transition', reason)
const notEntitled = (what: string) => new ApiHttpError(403, 'forbidden', `Only ${what} may do this.`)

/** Which of the two reads are in, and whether their latest versions agree. */
async function readsIn(db: Queryable, members: CaseMember[]): Promise<ReadsIn> {
  const first = members.find((m) => m.readingType === 'first')?.reportId
  const second = members.find((m) => m.readingType === 'second')?.reportId
  const latestFirst = first ? await latestReportVersion(db, first) : undefined
  const latestSecond = second ? await latestReportVersion(db, second) : undefined
  return {
    first: Boolean(first),
    second: Boolean(second),
    agree: Boolean(latestFirst && latestSecond && overallJudgementsAgree(latestFirst, latestSecond)),
  }
}

/** Applies the event to the locked case and records it; throws 409 when the machine refuses. */
async function transition(
  tx: Queryable,
  readingCase: CaseRecord,
  event: CaseEvent,
  record: Omit<TransitionRecord, 'caseId' | 'from' | 'to' | 'event' | 'final'> & { final?: Omit<NonNullable<TransitionRecord['final']>, 'method'> },
) {
  const next = caseTransition(readingCase.workflow, readingCase.status, event)
  if (!next.ok) throw invalidTransition(next.reason)
  const { final, ...rest } = record
  await recordTransition(tx, {
    ...rest,
    caseId: readingCase.id,
    from: readingCase.status,
    to: next.status,
    event: event.kind,
    ...(next.method && final ? { final: { ...final, method: next.method } } : {}),
  })
  return next
}

const setStatus = (tx: Queryable, assignmentId: string | undefined, status: 'submitted' | 'in-progress') =>
  assignmentId ? tx.query('update assignments set status = $2 where id = $1', [assignmentId, status]) : undefined

/**
 * Inside the submission's transaction, after the report is stored: moves the case on. Only first
 * and second reads are reports; a comparison or a check is decided through its own endpoint.
 * Returns the case's id.
 */
export async function afterReadSubmitted(tx: Queryable, scope: ReportScope, now: Date): Promise<string | undefined> {
  const caseId = await caseIdOfAssignment(tx, scope.assignmentId)
  if (!caseId) return undefined
  const readingCase = await caseById(tx, caseId, true)
  if (!readingCase) return undefined
  if (scope.readingType !== 'first' && scope.readingType !== 'second') {
    throw invalidTransition(`A ${scope.readingType} is recorded with its decision, not submitted as a report.`)
  }
  const members = await caseMembers(tx, caseId)
  const reads = await readsIn(tx, members)
  const own = members.find((m) => m.assignmentId === scope.assignmentId)
  const latestOwn = own?.reportId ? await latestReportVersion(tx, own.reportId) : undefined
  const next = await transition(tx, readingCase, { kind: 'read-submitted', readingType: scope.readingType, readsIn: reads }, {
    actorId: scope.readerUserId,
    at: now,
    detail: `${scope.readingType} read submitted`,
    ...(latestOwn ? { final: { overallJudgement: latestOwn.overallJudgement, requiresFurtherExamination: latestOwn.requiresFurtherExamination, reason: '' } } : {}),
  })
  // Agreement ends the case: the comparison (if one was assigned) has nothing left to do.
  if (next.status === 'final') await setStatus(tx, members.find((m) => m.readingType === 'comparison')?.assignmentId, 'submitted')
  return caseId
}

/** The final judgement a decision names, checked against the reads' scale; 400 when the scale has no such code. */
async function judgementOf(db: Queryable, readingCase: CaseRecord, members: CaseMember[], code: string) {
  const reportId = members.find((m) => m.readingType === 'first')?.reportId ?? members.find((m) => m.readingType === 'second')?.reportId
  const read = reportId ? await reportById(db, reportId) : undefined
  if (!read) throw invalidTransition('The case has no read to decide on.')
  const master = await masterVersion(db, readingCase.facilityId, read.report.masterVersion)
  const value = master && scaleOf(master, read.report.content.scale)?.values.find((v) => v.code === code)
  if (!value) throw badRequest(`"${code}" is not a judgement of the reads' scale (${read.report.content.scale}).`)
  return { overallJudgement: value.code, requiresFurtherExamination: value.requiresFurtherExamination }
}

/** Who records the comparison: its assigned reader, or the second reader when the case has none; admins always. */
function mayCompare(user: User, members: CaseMember[]): boolean {
  if (user.role === 'admin') return true
  const comparer = members.find((m) => m.readingType === 'comparison') ?? members.find((m) => m.readingType === 'second')
  return comparer?.readerUserId === user.id
}

async function lockedCase(tx: Queryable, caseId: string): Promise<{ readingCase: CaseRecord; members: CaseMember[] }> {
  const readingCase = await caseById(tx, caseId, true)
  if (!readingCase) throw notFound('Reading case')
  return { readingCase, members: await caseMembers(tx, caseId) }
}

export async function recordConsensus(db: ReadingDatabase, caseId: string, user: User, body: ConsensusRequest, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const { readingCase, members } = await lockedCase(tx, caseId)
    if (!mayCompare(user, members)) throw notEntitled('the comparison reader (or the second reader when none is assigned)')
    const final = await judgementOf(tx, readingCase, members, body.overallJudgement)
    await transition(tx, readingCase, { kind: 'consensus' }, { actorId: user.id, at: now, detail: body.reason, final: { ...final, reason: body.reason, decidedBy: user.id } })
    await setStatus(tx, members.find((m) => m.readingType === 'comparison')?.assignmentId, 'submitted')
  })
}

export async function sendToCommittee(db: ReadingDatabase, caseId: string, user: User, reason: string, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const { readingCase, members } = await lockedCase(tx, caseId)
    if (!mayCompare(user, members)) throw notEntitled('the comparison reader (or the second reader when none is assigned)')
    await transition(tx, readingCase, { kind: 'committee' }, { actorId: user.id, at: now, detail: reason, committeeReason: reason })
    await setStatus(tx, members.find((m) => m.readingType === 'comparison')?.assignmentId, 'submitted')
  })
}

export async function recordCommitteeDecision(db: ReadingDatabase, caseId: string, user: User, body: ConsensusRequest, now: Date): Promise<void> {
  if (user.role !== 'admin' && user.role !== 'checker') throw notEntitled('a checker or an administrator (the reading committee)')
  await db.transaction(async (tx) => {
    const { readingCase, members } = await lockedCase(tx, caseId)
    const final = await judgementOf(tx, readingCase, members, body.overallJudgement)
    await transition(tx, readingCase, { kind: 'committee-decision' }, { actorId: user.id, at: now, detail: body.reason, final: { ...final, reason: body.reason, decidedBy: user.id } })
  })
}

export type ContentOutcome = { kind: 'done' } | { kind: 'rejected'; issues: SubmissionIssue[] }

/** The checker's decision on the first report: approve it, approve an amended version, or return it. */
export async function recordCheckDecision(db: ReadingDatabase, caseId: string, user: User, body: CheckDecisionRequest, idempotencyKey: string | undefined, now: Date): Promise<ContentOutcome> {
  const firstReport = async (tx: Queryable) => {
    const { readingCase, members } = await lockedCase(tx, caseId)
    const checker = members.find((m) => m.readingType === 'check')
    if (user.role !== 'admin' && checker?.readerUserId !== user.id) throw notEntitled("the case's checker")
    const first = members.find((m) => m.readingType === 'first')
    const reportId = first?.reportId
    if (!reportId || readingCase.status !== 'check') throw invalidTransition(`"${body.decision}" is not possible in a ${readingCase.workflow} reading case that is ${readingCase.status}.`)
    return { readingCase, checker, first, reportId }
  }
  if (body.decision === 'amend') {
    const readingCase = await caseById(db, caseId)
    if (!readingCase) throw notFound('Reading case')
    const checked = await checkReportContent(db, readingCase, body.content)
    if (!checked.ok) return { kind: 'rejected', issues: checked.issues }
    if (!idempotencyKey) throw badRequest('An amendment needs the Idempotency-Key header, like a report.')
    if (await versionByKey(db, idempotencyKey)) return { kind: 'done' }
    await db.transaction(async (tx) => {
      const { readingCase: locked, checker, reportId } = await firstReport(tx)
      await appendReportVersion(tx, {
        reportId,
        kind: 'amendment',
        authorId: user.id,
        reason: body.reason,
        content: body.content,
        overallJudgement: checked.overall.code,
        requiresFurtherExamination: checked.overall.requiresFurtherExamination,
        idempotencyKey,
        createdAt: now,
      })
      const final = { overallJudgement: checked.overall.code, requiresFurtherExamination: checked.overall.requiresFurtherExamination, reason: body.reason, decidedBy: user.id }
      await transition(tx, locked, { kind: 'amend' }, { actorId: user.id, at: now, detail: body.reason, final })
      await setStatus(tx, checker?.assignmentId, 'submitted')
    })
    return { kind: 'done' }
  }
  await db.transaction(async (tx) => {
    const { readingCase, checker, first, reportId } = await firstReport(tx)
    if (body.decision === 'approve') {
      const latest = await latestReportVersion(tx, reportId)
      if (!latest) throw notFound('Report')
      const final = { overallJudgement: latest.overallJudgement, requiresFurtherExamination: latest.requiresFurtherExamination, reason: body.comment, decidedBy: user.id }
      await transition(tx, readingCase, { kind: 'approve' }, { actorId: user.id, at: now, detail: body.comment, final })
      await setStatus(tx, checker?.assignmentId, 'submitted')
    } else {
      await transition(tx, readingCase, { kind: 'return' }, { actorId: user.id, at: now, detail: body.comment, returnComment: body.comment })
      // Back on the first reader's worklist as work to do; the check waits for the correction.
      await setStatus(tx, first?.assignmentId, 'in-progress')
      await setStatus(tx, checker?.assignmentId, 'in-progress')
    }
  })
  return { kind: 'done' }
}

/** A reader's correction of their own submitted report: a new version with a reason. */
export async function submitCorrection(db: ReadingDatabase, reportId: string, user: User, content: ReportContent, reason: string, idempotencyKey: string, now: Date): Promise<ContentOutcome & { caseId?: string }> {
  const stored = await reportById(db, reportId)
  if (!stored) throw notFound('Report')
  if (stored.report.readerId !== user.id) throw notEntitled("the report's own reader")
  const replay = await versionByKey(db, idempotencyKey)
  if (replay) {
    if (replay.reportId !== reportId) throw badRequest('This Idempotency-Key was already used for another report; make a new key per correction.')
    return { kind: 'done' }
  }
  const checked = await checkReportContent(db, { facilityId: stored.facilityId, studyInstanceUid: stored.report.studyInstanceUid }, content)
  if (!checked.ok) return { kind: 'rejected', issues: checked.issues }
  const caseId = await caseIdOfAssignment(db, stored.report.assignmentId)
  await db.transaction(async (tx) => {
    await appendReportVersion(tx, {
      reportId,
      kind: 'correction',
      authorId: user.id,
      reason,
      content,
      overallJudgement: checked.overall.code,
      requiresFurtherExamination: checked.overall.requiresFurtherExamination,
      idempotencyKey,
      createdAt: now,
    })
    if (!caseId) return
    const { readingCase, members } = await lockedCase(tx, caseId)
    const own = members.find((m) => m.reportId === reportId)
    if (own?.readingType !== 'first' && own?.readingType !== 'second') throw invalidTransition('Only a first or second read can be corrected.')
    const next = await transition(tx, readingCase, { kind: 'correction', readingType: own.readingType, readsIn: await readsIn(tx, members) }, {
      actorId: user.id,
      at: now,
      detail: reason,
      ...(readingCase.status === 'returned' ? { returnComment: null } : {}),
      // A single read stays final with its corrected judgement.
      ...(readingCase.workflow === 'single'
        ? { final: { overallJudgement: checked.overall.code, requiresFurtherExamination: checked.overall.requiresFurtherExamination, reason } }
        : {}),
    })
    if (next.status === 'check') await setStatus(tx, own.assignmentId, 'submitted')
  })
  return { kind: 'done', ...(caseId ? { caseId } : {}) }
}
