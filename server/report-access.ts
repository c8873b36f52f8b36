/**
 * Who may do what with an assignment's report. Submitting: the assignment's own reader (or
 * checker, for a check assignment) and admins. Reading: those, and a checker holding a check
 * assignment of the same study, whose job is to check the report. Another reader of the same
 * study may not see it: double reading is independent.
 */
import type { User } from '../shared/api-contract.ts'
import type { PatientDisplayPolicy, ReadingType } from '../shared/domain.ts'
import { notFound, notYourAssignment } from './api-error.ts'
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
  checks_it: boolean
}

/** The assignment when the user may `purpose` its report; 404 for an unknown id, 403 otherwise. */
export async function requireReportScope(db: Queryable, user: User, assignmentId: string, purpose: 'read' | 'submit'): Promise<ReportScope> {
  const { rows } = await db.query<ScopeRow>(
    `select a.id, a.study_instance_uid, s.facility_id, a.reader_user_id, a.reading_type, f.patient_display_policy, f.anonymised_prefix,
            exists (select 1 from assignments c
                     where c.study_instance_uid = a.study_instance_uid and c.reader_user_id = $2 and c.reading_type = 'check') as checks_it
       from assignments a
       join studies s on s.study_instance_uid = a.study_instance_uid
       join facilities f on f.id = s.facility_id
      where a.id = $1`,
    [assignmentId, user.id],
  )
  const row = rows[0]
  if (!row) throw notFound('Assignment')
  const own = row.reader_user_id === user.id
  const allowed = user.role === 'admin' || own || (purpose === 'read' && user.role === 'checker' && row.checks_it)
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
