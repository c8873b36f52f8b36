/**
 * Reading cases in the database: finding a study's or an assignment's case, its members (the
 * assignments, with their reports), placing a new assignment in its case (routing), and
 * recording a transition together with its event. Transitions themselves are decided by
 * shared/reading-case-machine.ts.
 */
import { createHash } from 'node:crypto'
import type { AssignmentStatus, CaseStatus, FinalMethod, ReadingType, Workflow } from '../shared/domain.ts'
import { ApiHttpError } from './api-error.ts'
import { joinCase } from './case-routing.ts'
import type { Queryable } from './database.ts'

export interface CaseFinal {
  overallJudgement: string
  requiresFurtherExamination: boolean
  method: FinalMethod
  reason: string
  decidedBy?: string
  decidedAt: Date
}

export interface CaseRecord {
  id: string
  studyInstanceUid: string
  facilityId: string
  workflow: Workflow
  status: CaseStatus
  final?: CaseFinal
  committeeReason?: string
  returnComment?: string
}

interface CaseRow {
  id: string
  study_instance_uid: string
  facility_id: string
  workflow: Workflow
  status: CaseStatus
  final_judgement: string | null
  final_requires_further_examination: boolean | null
  final_method: FinalMethod | null
  final_reason: string | null
  decided_by: string | null
  decided_at: Date | null
  committee_reason: string | null
  return_comment: string | null
}

function toCase(row: CaseRow): CaseRecord {
  return {
    id: row.id,
    studyInstanceUid: row.study_instance_uid,
    facilityId: row.facility_id,
    workflow: row.workflow,
    status: row.status,
    ...(row.final_method && row.final_judgement !== null && row.decided_at
      ? {
          final: {
            overallJudgement: row.final_judgement,
            requiresFurtherExamination: row.final_requires_further_examination ?? false,
            method: row.final_method,
            reason: row.final_reason ?? '',
            ...(row.decided_by ? { decidedBy: row.decided_by } : {}),
            decidedAt: row.decided_at,
          },
        }
      : {}),
    ...(row.committee_reason !== null ? { committeeReason: row.committee_reason } : {}),
    ...(row.return_comment !== null ? { returnComment: row.return_comment } : {}),
  }
}

const CASE_SELECT = `select c.*, s.facility_id from reading_cases c join studies s on s.study_instance_uid = c.study_instance_uid`

/** The case; `lock` holds it (FOR UPDATE) until the transaction ends, so transitions run one at a time. */
export async function caseById(db: Queryable, id: string, lock = false): Promise<CaseRecord | undefined> {
  const { rows } = await db.query<CaseRow>(`${CASE_SELECT} where c.id = $1${lock ? ' for update of c' : ''}`, [id])
  return rows[0] && toCase(rows[0])
}

export async function caseIdOfAssignment(db: Queryable, assignmentId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ case_id: string | null }>('select case_id from assignments where id = $1', [assignmentId])
  return rows[0]?.case_id ?? undefined
}

/** An assignment of the case, with its reader and, once submitted, its report. */
export interface CaseMember {
  assignmentId: string
  readingType: ReadingType
  readerUserId: string
  readerName: string
  status: AssignmentStatus
  startedAt?: Date
  reportId?: string
  submittedAt?: Date
}

export async function caseMembers(db: Queryable, caseId: string): Promise<CaseMember[]> {
  const { rows } = await db.query<{
    id: string
    reading_type: ReadingType
    reader_user_id: string
    display_name: string
    status: AssignmentStatus
    started_at: Date | null
    report_id: string | null
    submitted_at: Date | null
  }>(
    `select a.id, a.reading_type, a.reader_user_id, u.display_name, a.status, a.started_at, r.id as report_id, r.submitted_at
       from assignments a join users u on u.id = a.reader_user_id left join reports r on r.assignment_id = a.id
      where a.case_id = $1
      order by array_position(array['first', 'second', 'comparison', 'check'], a.reading_type), a.id`,
    [caseId],
  )
  return rows.map((r) => ({
    assignmentId: r.id,
    readingType: r.reading_type,
    readerUserId: r.reader_user_id,
    readerName: r.display_name,
    status: r.status,
    ...(r.started_at ? { startedAt: r.started_at } : {}),
    ...(r.report_id ? { reportId: r.report_id } : {}),
    ...(r.submitted_at ? { submittedAt: r.submitted_at } : {}),
  }))
}

/** Case ids are derived from the study, so the migration's cases and new ones look alike. */
const caseIdOf = (studyUid: string) => `case-${createHash('md5').update(studyUid).digest('hex')}`

/**
 * The case a new assignment of this study joins, created when the study has none; its workflow
 * follows the reading types (case-routing.ts). Throws 409 same-reader or invalid-transition.
 */
export async function placeInCase(tx: Queryable, studyUid: string, readerUserId: string, readingType: ReadingType): Promise<string> {
  const { rows } = await tx.query<{ id: string; workflow: Workflow; status: CaseStatus }>(
    'select id, workflow, status from reading_cases where study_instance_uid = $1 for update',
    [studyUid],
  )
  const existing = rows[0]
  const members = existing ? await caseMembers(tx, existing.id) : []
  const outcome = joinCase(existing && { workflow: existing.workflow, status: existing.status, members }, readerUserId, readingType)
  if (!outcome.ok) throw new ApiHttpError(409, outcome.code, outcome.reason)
  if (!existing) {
    const id = caseIdOf(studyUid)
    await tx.query(`insert into reading_cases (id, study_instance_uid, workflow, status) values ($1, $2, $3, 'first-read')`, [id, studyUid, outcome.workflow])
    return id
  }
  if (outcome.workflow !== existing.workflow) await tx.query('update reading_cases set workflow = $2 where id = $1', [existing.id, outcome.workflow])
  return existing.id
}

export interface TransitionRecord {
  caseId: string
  from: CaseStatus
  to: CaseStatus
  event: string
  actorId?: string
  detail: string
  at: Date
  final?: Omit<CaseFinal, 'decidedAt'>
  committeeReason?: string
  /** Set on return, cleared (null) when the corrected report comes back. */
  returnComment?: string | null
}

/** Writes the new status (and the final judgement, when there is one) and appends the event. */
export async function recordTransition(tx: Queryable, t: TransitionRecord): Promise<void> {
  await tx.query(
    `update reading_cases set status = $2,
        final_judgement = coalesce($3, final_judgement),
        final_requires_further_examination = coalesce($4, final_requires_further_examination),
        final_method = coalesce($5, final_method),
        final_reason = coalesce($6, final_reason),
        decided_by = coalesce($7, decided_by),
        decided_at = case when $5::text is null then decided_at else $8 end,
        committee_reason = coalesce($9, committee_reason),
        return_comment = case when $10::boolean then $11 else return_comment end
      where id = $1`,
    [
      t.caseId,
      t.to,
      t.final?.overallJudgement ?? null,
      t.final?.requiresFurtherExamination ?? null,
      t.final?.method ?? null,
      t.final?.reason ?? null,
      t.final?.decidedBy ?? null,
      t.at,
      t.committeeReason ?? null,
      t.returnComment !== undefined,
      t.returnComment ?? null,
    ],
  )
  await tx.query(
    'insert into case_events (case_id, at, actor_id, event, from_status, to_status, detail) values ($1, $2, $3, $4, $5, $6, $7)',
    [t.caseId, t.at, t.actorId ?? null, t.event, t.from, t.to, t.detail],
  )
}

export interface StoredCaseEvent {
  at: Date
  actorId?: string
  actorName: string
  event: string
  fromStatus?: CaseStatus
  toStatus: CaseStatus
  detail: string
}

export async function caseEvents(db: Queryable, caseId: string): Promise<StoredCaseEvent[]> {
  const { rows } = await db.query<{ at: Date; actor_id: string | null; display_name: string | null; event: string; from_status: CaseStatus | null; to_status: CaseStatus; detail: string }>(
    `select e.at, e.actor_id, u.display_name, e.event, e.from_status, e.to_status, e.detail
       from case_events e left join users u on u.id = e.actor_id where e.case_id = $1 order by e.id`,
    [caseId],
  )
  return rows.map((r) => ({
    at: r.at,
    ...(r.actor_id ? { actorId: r.actor_id } : {}),
    actorName: r.display_name ?? 'server',
    event: r.event,
    ...(r.from_status ? { fromStatus: r.from_status } : {}),
    toStatus: r.to_status,
    detail: r.detail,
  }))
}

/** Every user holding an assignment of the case: whose worklists a transition changes. */
export async function caseReaderIds(db: Queryable, caseId: string): Promise<string[]> {
  const { rows } = await db.query<{ reader_user_id: string }>('select distinct reader_user_id from assignments where case_id = $1', [caseId])
  return rows.map((r) => r.reader_user_id)
}

/** The master version of the case's first read (else its second), for a check or comparison of it; undefined before any read is in. */
export async function caseReadMasterVersion(db: Queryable, assignmentId: string): Promise<number | undefined> {
  const { rows } = await db.query<{ master_version: number }>(
    `select r.master_version from assignments me
       join assignments a on a.case_id = me.case_id and a.reading_type in ('first', 'second')
       join reports r on r.assignment_id = a.id
      where me.id = $1
      order by case a.reading_type when 'first' then 0 else 1 end limit 1`,
    [assignmentId],
  )
  return rows[0]?.master_version
}
