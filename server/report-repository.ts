/** Submitted reports: one per assignment, found by assignment, by id, or by the idempotency key that stored it. */
import type { ReportContent } from '../shared/finding-master.ts'
import type { StoredReport } from '../shared/report-contract.ts'
import type { Queryable } from './database.ts'

interface ReportRow {
  id: string
  assignment_id: string
  study_instance_uid: string
  reader_id: string
  facility_id: string
  master_version: number
  content: ReportContent
  overall_judgement: string
  requires_further_examination: boolean
  idempotency_key: string
  submitted_at: Date
}

/** A stored report with what the contract leaves out: its facility and the key that stored it. */
export interface ReportRecord {
  report: StoredReport
  facilityId: string
  idempotencyKey: string
}

const COLUMNS = `id, assignment_id, study_instance_uid, reader_id, facility_id, master_version, content,
  overall_judgement, requires_further_examination, idempotency_key, submitted_at`

function toRecord(row: ReportRow): ReportRecord {
  return {
    facilityId: row.facility_id,
    idempotencyKey: row.idempotency_key,
    report: {
      id: row.id,
      assignmentId: row.assignment_id,
      studyInstanceUid: row.study_instance_uid,
      readerId: row.reader_id,
      masterVersion: row.master_version,
      content: row.content,
      overallJudgement: row.overall_judgement,
      requiresFurtherExamination: row.requires_further_examination,
      submittedAt: row.submitted_at.toISOString(),
    },
  }
}

async function reportWhere(db: Queryable, condition: string, value: string): Promise<ReportRecord | undefined> {
  const { rows } = await db.query<ReportRow>(`select ${COLUMNS} from reports where ${condition} = $1`, [value])
  return rows[0] && toRecord(rows[0])
}

export const reportByAssignment = (db: Queryable, assignmentId: string) => reportWhere(db, 'assignment_id', assignmentId)
export const reportById = (db: Queryable, id: string) => reportWhere(db, 'id', id)
export const reportByIdempotencyKey = (db: Queryable, key: string) => reportWhere(db, 'idempotency_key', key)

export interface NewReport {
  id: string
  assignmentId: string
  studyInstanceUid: string
  readerId: string
  facilityId: string
  masterVersion: number
  content: ReportContent
  overallJudgement: string
  requiresFurtherExamination: boolean
  idempotencyKey: string
  submittedAt: Date
}

/**
 * Inserts the report unless the assignment already has one or the key was already used; the
 * unique constraints decide, so concurrent duplicates cannot both get in. Returns whether it was inserted.
 */
export async function insertReportOnce(db: Queryable, report: NewReport): Promise<boolean> {
  const { rows } = await db.query(
    `insert into reports (id, assignment_id, study_instance_uid, reader_id, facility_id, master_version, content,
                          overall_judgement, requires_further_examination, idempotency_key, submitted_at)
     values ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11)
     on conflict do nothing
     returning id`,
    [
      report.id,
      report.assignmentId,
      report.studyInstanceUid,
      report.readerId,
      report.facilityId,
      report.masterVersion,
      JSON.stringify(report.content),
      report.overallJudgement,
      report.requiresFurtherExamination,
      report.idempotencyKey,
      report.submittedAt,
    ],
  )
  return rows.length > 0
}
