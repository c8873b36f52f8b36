/**
 * Loads the generated worklist (scripts/study-generator/worklist-generator.ts) into the
 * reading server for one reader: a study row per assignment (no images: the list is what is
 * measured) and the assignment, written straight into its database in two statements (5,000
 * API calls would take longer than the figure), then the server is told the worklist changed.
 */
import { readFile } from 'node:fs/promises'
import { randomUUID } from 'node:crypto'
import type { GeneratedWorklist } from '../../scripts/study-generator/worklist-generator.ts'
import type { RunningReadingServer } from '../../server/start-reading-server.ts'
import { findUserByUsername } from '../../server/user-repository.ts'

export async function seedWorklist(server: RunningReadingServer, file: string, username: string): Promise<number> {
  const worklist = JSON.parse(await readFile(file, 'utf8')) as GeneratedWorklist
  const user = await findUserByUsername(server.db, username)
  if (!user) throw new Error(`no user ${username}`)
  const facilities = (await server.db.query<{ id: string }>('select id from facilities order by id')).rows.map((r) => r.id)
  if (facilities.length === 0) throw new Error('the reading server has no facilities')
  const a = worklist.assignments
  const column = <T>(pick: (entry: (typeof a)[number]) => T) => a.map(pick)
  await server.db.query(
    `insert into studies (study_instance_uid, facility_id, patient_id, patient_name, patient_sex, patient_age, patient_birth_date,
                          study_date, study_time, study_description, accession_number, modalities, body_part)
     select uid, facility, pid, pname, sex, age, birth, sdate, stime, descr, acc, array[modality], part
       from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])
         as t(uid, facility, pid, pname, sex, age, birth, sdate, stime, descr, acc, modality, part)`,
    [
      column((e) => e.studyInstanceUid),
      column((e) => facilities[e.facilitySlot % facilities.length]!),
      column((e) => e.patientId),
      column((e) => e.patientName),
      column((e) => e.patientSex),
      column((e) => e.patientAge),
      column((e) => e.patientBirthDate),
      column((e) => e.studyDate),
      column((e) => e.studyTime),
      column((e) => e.studyDescription),
      column((e) => e.accessionNumber),
      column((e) => e.modalities[0] ?? ''),
      column((e) => e.bodyPart),
    ],
  )
  const now = Date.now()
  await server.db.query(
    `insert into assignments (id, study_instance_uid, reader_user_id, reading_type, priority, status, due_at, assigned_at)
     select id, uid, $3, rtype, prio, 'assigned', due, now() from unnest($1::text[], $2::text[], $4::text[], $5::text[], $6::timestamptz[]) as t(id, uid, rtype, prio, due)`,
    [column(() => randomUUID()), column((e) => e.studyInstanceUid), user.id, column((e) => e.readingType), column((e) => e.priority), column((e) => new Date(now + e.dueInMinutes * 60_000).toISOString())],
  )
  server.worklistChanges.notify([user.id])
  return a.length
}
