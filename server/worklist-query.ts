/** Assignments as the contract shows them: a reader's worklist in reading order, or one assignment by id. */
import type { Assignment, PriorStudy } from '../shared/api-contract.ts'
import type { AssignmentStatus, CaseStatus, PatientDisplayPolicy, Priority, ReadingType, Workflow } from '../shared/domain.ts'
import { waitingOnOthers } from '../shared/reading-case-machine.ts'
import type { Queryable } from './database.ts'
import { patientDisplay } from './patient-display.ts'
import { priorStudiesSql } from './prior-studies.ts'

interface AssignmentRow {
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
  case_id: string | null
  workflow: Workflow | null
  case_status: CaseStatus | null
}

interface PriorRow {
  assignment_id: string
  study_instance_uid: string
  study_date: string
  modalities: string[]
  study_description: string
  instance_count: number
}

const INSTANCE_COUNT = (studyUid: string) =>
  `(select count(*)::int from instances i join series se on se.series_instance_uid = i.series_instance_uid
     where se.study_instance_uid = ${studyUid})`

/** STAT before urgent before routine, then the earliest due; the id keeps ties stable. */
export async function worklistFor(db: Queryable, userId: string): Promise<Assignment[]> {
  return assignmentsWhere(db, 'a.reader_user_id = $1', [userId])
}

export async function assignmentById(db: Queryable, id: string): Promise<Assignment | undefined> {
  return (await assignmentsWhere(db, 'a.id = $1', [id]))[0]
}

async function assignmentsWhere(db: Queryable, condition: string, params: unknown[]): Promise<Assignment[]> {
  const { rows } = await db.query<AssignmentRow>(
    `select a.id, a.study_instance_uid, s.facility_id, f.name as facility_name, f.patient_display_policy,
            f.anonymised_prefix, s.patient_name, s.patient_sex, s.patient_age, s.modalities, s.body_part,
            s.study_description, s.study_date,
            (select count(*)::int from series se where se.study_instance_uid = s.study_instance_uid) as series_count,
            ${INSTANCE_COUNT('s.study_instance_uid')} as instance_count,
            a.priority, a.reading_type,
            -- a stored report is final, whatever the status column was later set to, except when
            -- the checker returned it: then the first reader has work to do again
            case when c.status = 'returned' and a.reading_type = 'first' then 'in-progress'
                 when exists (select 1 from reports r where r.assignment_id = a.id) then 'submitted' else a.status end as status,
            a.due_at, a.assigned_at, a.case_id, c.workflow, c.status as case_status
       from assignments a
       join studies s on s.study_instance_uid = a.study_instance_uid
       join facilities f on f.id = s.facility_id
       left join reading_cases c on c.id = a.case_id
      where ${condition}
      order by case a.priority when 'stat' then 0 when 'urgent' then 1 else 2 end, a.due_at, a.id`,
    params,
  )
  const priors = await priorsOf(db, rows.map((r) => r.id))
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
    priors: priors.get(r.id) ?? [],
    ...(r.case_id && r.workflow && r.case_status
      ? { readingCase: { id: r.case_id, workflow: r.workflow, status: r.case_status, waitingOnOthers: waitingOnOthers(r.workflow, r.case_status, r.reading_type, r.status) } }
      : {}),
  }))
}

/** The priors of each assignment's study, most recent first, in one query for the whole list. */
async function priorsOf(db: Queryable, assignmentIds: string[]): Promise<Map<string, PriorStudy[]>> {
  const out = new Map<string, PriorStudy[]>()
  if (assignmentIds.length === 0) return out
  const { rows } = await db.query<PriorRow>(
    `select a.id as assignment_id, p.study_instance_uid, p.study_date, p.modalities, p.study_description,
            ${INSTANCE_COUNT('p.study_instance_uid')} as instance_count
       from assignments a
       join studies cur on cur.study_instance_uid = a.study_instance_uid
       cross join lateral (
         ${priorStudiesSql('cur', 'pr.study_instance_uid, pr.study_date, pr.modalities, pr.study_description')}
       ) p
      where a.id = any($1::text[])
      order by a.id, p.prior_sort_date desc, p.prior_sort_time desc, p.study_instance_uid`,
    [assignmentIds],
  )
  for (const r of rows) {
    const list = out.get(r.assignment_id) ?? []
    list.push({
      studyInstanceUid: r.study_instance_uid,
      studyDate: r.study_date,
      modalities: r.modalities,
      studyDescription: r.study_description,
      instanceCount: r.instance_count,
    })
    out.set(r.assignment_id, list)
  }
  return out
}
