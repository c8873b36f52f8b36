/** Facilities: the hospitals and clinics whose studies are read, and how each wants patients shown. */
import type { PatientDisplayPolicy } from '../shared/domain.ts'
import type { Queryable } from './database.ts'

export interface Facility {
  id: string
  name: string
  patientDisplayPolicy: PatientDisplayPolicy
  /** Prefix of the anonymised labels ("MHC" gives "MHC-3FA2C1"); unused for named facilities. */
  anonymisedPrefix: string
}

export async function upsertFacility(db: Queryable, facility: Facility): Promise<void> {
  await db.query(
    `insert into facilities (id, name, patient_display_policy, anonymised_prefix) values ($1, $2, $3, $4)
     on conflict (id) do update set name = excluded.name, patient_display_policy = excluded.patient_display_policy,
       anonymised_prefix = excluded.anonymised_prefix`,
    [facility.id, facility.name, facility.patientDisplayPolicy, facility.anonymisedPrefix],
  )
}
