/**
 * Who may see which study: a user sees the studies they hold an assignment for; an admin sees
 * all. The one place that decides, used by every DICOMweb route.
 */
import type { User } from '../shared/api-contract.ts'
import type { PatientDisplayPolicy } from '../shared/domain.ts'
import { forbidden, notFound } from './api-error.ts'
import type { Queryable } from './database.ts'

export interface StudyAccess {
  studyInstanceUid: string
  patientDisplayPolicy: PatientDisplayPolicy
  anonymisedPrefix: string
}

/**
 * The study's display policy when the user may read it. A study the user has no assignment for
 * answers 403 whether or not it exists, so readers cannot probe for other facilities' studies.
 */
export async function requireStudyAccess(db: Queryable, user: User, studyInstanceUid: string): Promise<StudyAccess> {
  const { rows } = await db.query<{ patient_display_policy: PatientDisplayPolicy; anonymised_prefix: string; assigned: boolean }>(
    `select f.patient_display_policy, f.anonymised_prefix,
            exists (select 1 from assignments a
                     where a.study_instance_uid = s.study_instance_uid and a.reader_user_id = $2) as assigned
       from studies s join facilities f on f.id = s.facility_id
      where s.study_instance_uid = $1`,
    [studyInstanceUid, user.id],
  )
  const row = rows[0]
  if (user.role !== 'admin' && !row?.assigned) throw forbidden()
  if (!row) throw notFound('Study')
  return { studyInstanceUid, patientDisplayPolicy: row.patient_display_policy, anonymisedPrefix: row.anonymised_prefix }
}

/**
 * SQL condition (for a query over studies aliased `s`) limiting rows to what the user may see.
 * `addParam` registers a query parameter and returns its placeholder.
 */
export function visibleStudiesCondition(user: User, addParam: (value: unknown) => string): string {
  if (user.role === 'admin') return 'true'
  return `exists (select 1 from assignments a where a.study_instance_uid = s.study_instance_uid and a.reader_user_id = ${addParam(user.id)})`
}
