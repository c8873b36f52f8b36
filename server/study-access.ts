/**
 * Who may see which study: a user sees the studies they hold an assignment for and the listed
 * priors of those studies (see prior-studies.ts); an admin sees all. The one place that
 * decides, used by every DICOMweb route.
 */
import type { User } from '../shared/api-contract.ts'
import type { PatientDisplayPolicy } from '../shared/domain.ts'
import { forbidden, notFound } from './api-error.ts'
import type { Queryable } from './database.ts'
import { priorStudiesSql } from './prior-studies.ts'

export interface StudyAccess {
  studyInstanceUid: string
  patientDisplayPolicy: PatientDisplayPolicy
  anonymisedPrefix: string
}

/**
 * SQL for the Study Instance UIDs a non-admin user may see, given the placeholder of their id.
 * Uncorrelated, so the database computes it once per query however many studies it filters.
 */
function visibleStudyUidsSql(userIdParam: string): string {
  return `select a.study_instance_uid from assignments a where a.reader_user_id = ${userIdParam}
          union
          select p.study_instance_uid
            from assignments a
            join studies cur on cur.study_instance_uid = a.study_instance_uid
            cross join lateral (${priorStudiesSql('cur', 'pr.study_instance_uid')}) p
           where a.reader_user_id = ${userIdParam}`
}

/**
 * The study's display policy when the user may read it. A study the user may not see answers
 * 403 whether or not it exists, so readers cannot probe for other facilities' studies.
 */
export async function requireStudyAccess(db: Queryable, user: User, studyInstanceUid: string): Promise<StudyAccess> {
  const { rows } = await db.query<{ patient_display_policy: PatientDisplayPolicy; anonymised_prefix: string; visible: boolean }>(
    `select f.patient_display_policy, f.anonymised_prefix,
            s.study_instance_uid in (${visibleStudyUidsSql('$2')}) as visible
       from studies s join facilities f on f.id = s.facility_id
      where s.study_instance_uid = $1`,
    [studyInstanceUid, user.id],
  )
  const row = rows[0]
  if (user.role !== 'admin' && !row?.visible) throw forbidden()
  if (!row) throw notFound('Study')
  return { studyInstanceUid, patientDisplayPolicy: row.patient_display_policy, anonymisedPrefix: row.anonymised_prefix }
}

/**
 * SQL condition (for a query over studies aliased `s`) limiting rows to what the user may see.
 * `addParam` registers a query parameter and returns its placeholder.
 */
export function visibleStudiesCondition(user: User, addParam: (value: unknown) => string): string {
  if (user.role === 'admin') return 'true'
  return `s.study_instance_uid in (${visibleStudyUidsSql(addParam(user.id))})`
}
