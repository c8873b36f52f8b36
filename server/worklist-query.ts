/** A reader's worklist: their own assignments, in the order they must be read. */
import type { Assignment } from '../shared/api-contract.ts'
import type { AssignmentStatus, PatientDisplayPolicy, Priority, ReadingType } from '../shared/domain.ts'
import type { Queryable } from './database.ts'
import { patientDisplay } from './patient-display.ts'

interface WorklistRow {
  id: string
  study_instance_uid: string
  facility_id: string
  facility_name: string
  patient_display_policy: PatientDisplayPolicy
  anonymised_prefix: string
  patient_name: string
  patient_sex: string
  patient_age: string
  modalities: string[]
  body_part: string
  study_description: string
  study_date: string
  series_count: number
  instance_count: number
  priority: Priority
  reading_type: ReadingType
  status: AssignmentStatus
  due_at: Date
  assigned_at: Date
}

/** STAT before urgent before routine, then the earliest due; the id keeps ties stable. */
export async function worklistFor(db: Queryable, userId: string): Promise<Assignment[]> {
  const { rows } = await db.query<WorklistRow>(
    `select a.id, a.study_instance_uid, s.facility_id, f.name as facility_name, f.patient_display_policy,
            f.anonymised_prefix, s.patient_name, s.patient_sex, s.patient_age, s.modalities, s.body_part,
            s.study_description, s.study_date,
            (select count(*)::int from series se where se.study_instance_uid = s.study_instance_uid) as series_count,
            (select count(*)::int from instances i join series se on se.series_instance_uid = i.series_instance_uid
              where se.study_instance_uid = s.study_instance_uid) as instance_count,
            a.priority, a.reading_type, a.status, a.due_at, a.assigned_at
       from assignments a
       join studies s on s.study_instance_uid = a.study_instance_uid
       join facilities f on f.id = s.facility_id
      where a.reader_user_id = $1
      order by case a.priority when 'stat' then 0 when 'urgent' then 1 else 2 end, a.due_at, a.id`,
    [userId],
  )
  return rows.map((r) => ({
    id: r.id,
    studyInstanceUid: r.study_instance_uid,
    facilityId: r.facility_id,
    facilityName: r.facility_name,
    patientDisplay: patientDisplay(r.patient_display_policy, r.anonymised_prefix, r.patient_name, r.study_instance_uid),
    patientDisplayPolicy: r.patient_display_policy,
    patientSex: r.patient_sex,
    patientAge: r.patient_age,
    modalities: r.modalities,
    bodyPart: r.body_part,
    studyDescription: r.study_description,
    studyDate: r.study_date,
    seriesCount: r.series_count,
    instanceCount: r.instance_count,
    priority: r.priority,
    readingType: r.reading_type,
    status: r.status,
    dueAt: r.due_at.toISOString(),
    assignedAt: r.assigned_at.toISOString(),
  }))
}
