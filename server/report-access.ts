/**
 * Who may do what with an assignment's report. Submitting: the assignment's own reader and
 * admins. Reading: those, and whoever the reading case lets see it (case-visibility.ts): the
 * checker of a report check; in double reading the other reader only once their own read is
 * submitted, the comparison reader once both are in. Anyone else gets 403.
 */
import type { User } from '../shared/api-contract.ts'
import type { CaseStatus, PatientDisplayPolicy, ReadingType, Workflow } from '../shared/domain.ts'
import { notFound, notYourAssignment } from './api-error.ts'
import { mayViewRead, type ViewerInCase } from './case-visibility.ts'
import type { Queryable } from './database.ts'

export interface ReportScope {
  assignmentId: string
  studyInstanceUid: string
  facilityId: string
  readerUserId: string
  readingType: ReadingType
  patientDisplayPolicy: PatientDisplayPolicy
  anonymisedPrefix: string
}

interface ScopeRow {
  id: string
  study_instance_uid: string
  facility_id: string
  reader_user_id: string
  reading_type: ReadingType
  patient_display_policy: PatientDisplayPolicy
  anonymised_prefix: string
  case_id: string | null
  workflow: Workflow | null
  case_status: CaseStatus | null
}

/** The assignment when the user may `purpose` its report; 404 for an unknown id, 403 otherwise. */
export async function requireReportScope(db: Queryable, user: User, assignmentId: string, purpose: 'read' | 'submit'): Promise<ReportScope> {
  const { rows } = await db.query<ScopeRow>(
    `select a.id, a.study_instance_uid, s.facility_id, a.reader_user_id, a.reading_type, f.patient_display_policy, f.anonymised_prefix,
            a.case_id, c.workflow, c.status as case_status
       from assignments a
       join studies s on s.study_instance_uid = a.study_instance_uid
       join facilities f on f.id = s.facility_id
       left join reading_cases c on c.id = a.case_id
      where a.id = $1`,
    [assignmentId],
  )
  const row = rows[0]
  if (!row) throw notFound('Assignment')
  const own = row.reader_user_id === user.id
  const allowed = user.role === 'admin' || own || (purpose === 'read' && (await caseLetsView(db, user, row)))
  if (!allowed) throw notYourAssignment()
  return {
    assignmentId: row.id,
    studyInstanceUid: row.study_instance_uid,
    facilityId: row.facility_id,
    readerUserId: row.reader_user_id,
    readingType: row.reading_type,
    patientDisplayPolicy: row.patient_display_policy,
    anonymisedPrefix: row.anonymised_prefix,
  }
}

/** The viewer's own assignments in a case, each with whether its report is in. */
export async function viewerInCase(db: Queryable, user: User, caseId: string): Promise<ViewerInCase> {
  const { rows } = await db.query<{ id: string; reading_type: ReadingType; submitted: boolean }>(
    `select a.id, a.reading_type, exists (select 1 from reports r where r.assignment_id = a.id) as submitted
       from assignments a where a.case_id = $1 and a.reader_user_id = $2`,
    [caseId, user.id],
  )
  return { role: user.role, own: rows.map((r) => ({ assignmentId: r.id, readingType: r.reading_type, submitted: r.submitted })) }
}

async function caseLetsView(db: Queryable, user: User, row: ScopeRow): Promise<boolean> {
  if (!row.case_id || !row.workflow || !row.case_status) return false
  return mayViewRead(row.workflow, row.case_status, await viewerInCase(db, user, row.case_id), { assignmentId: row.id, readingType: row.reading_type })
}
