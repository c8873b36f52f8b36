/**
 * Demo data for a fresh server: two facilities (one that anonymises) with a finding master each,
 * five users, the public DICOM studies in server/demo-data/dicom, the studies derived from them
 * (demo-derived-studies.ts: priors and a four-view mammogram) and assignments due relative to
 * the seeding time.
 * Runs only while the users table is empty, so it never touches a server in real use.
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { AssignmentStatus, Priority, ReadingType, Role } from '../shared/domain.ts'
import { insertAssignment } from './assignment-repository.ts'
import type { ReadingDatabase } from './database.ts'
import { DEMO_DERIVED_STUDIES, importDerivedStudy, type DerivedStudyKey } from './demo-derived-studies.ts'
import { importDicomFiles } from './dicom-import.ts'
import { upsertFacility, type Facility } from './facility-repository.ts'
import { insertNextMasterVersion } from './finding-master-repository.ts'
import { jsonPointerRows, validateMasterCandidate } from './master-import.ts'
import { hashPassword } from './password-hash.ts'
import { countUsers, createUser } from './user-repository.ts'

/** The password of every demo user. Documented in the README; the tests sign in with it. */
export const DEMO_PASSWORD = 'demo-password-2026'

export const DEMO_FACILITIES: readonly Facility[] = [
  { id: 'sakura-clinic', name: 'Sakura Clinic / さくらクリニック', patientDisplayPolicy: 'named', anonymisedPrefix: '' },
  {
    id: 'minato-checkup',
    name: 'Minato Health Checkup Center / みなと健診センター',
    patientDisplayPolicy: 'anonymised',
    anonymisedPrefix: 'MHC',
  },
]

export const DEMO_USERS: ReadonlyArray<{ username: string; displayName: string; role: Role }> = [
  { username: 'reader1', displayName: '読影 太郎', role: 'reader' },
  { username: 'reader2', displayName: '読影 花子', role: 'reader' },
  { username: 'reader3', displayName: '読影 次郎', role: 'reader' },
  { username: 'checker1', displayName: '確認 一郎', role: 'checker' },
  { username: 'admin', displayName: '管理者', role: 'admin' },
]

/**
 * Demo studies imported unchanged, by a short key: the facility they belong to and their files
 * under demo-data/dicom.
 * 'ct-head' and 'ct-head-prior' are two studies of one phantom (PatientID PLASTIC) on one day,
 * but despite its key the scout ('ct-head-prior', 09:34) was acquired after the head series
 * ('ct-head', 09:28): by the prior rule (prior-studies.ts) 'ct-head' is the prior of 'ct-head-prior'.
 * The head series' own prior is the derived 'ct-head-last-year' (DEMO_DERIVED_STUDIES).
 */
export const DEMO_STUDIES = {
  'ct-head': { facility: 'sakura-clinic', paths: ['ct-phantom'] },
  'ct-head-prior': { facility: 'sakura-clinic', paths: ['ct-phantom-prior'] },
  'mr-wrist': { facility: 'sakura-clinic', paths: ['mr-wrist'] },
  'us-echo': { facility: 'sakura-clinic', paths: ['us-cine'] },
  'cr-chest-fuji': { facility: 'minato-checkup', paths: ['cr-chest/gdcm-CR-MONO1-10-chest.dcm'] },
  'cr-chest-philips': { facility: 'minato-checkup', paths: ['cr-chest/RG1_J2KI.dcm'] },
  mammogram: { facility: 'minato-checkup', paths: ['mammogram'] },
} as const satisfies Record<string, { facility: string; paths: readonly string[] }>
/** A demo study imported from the files as they are, or one derived from them at seed time. */
export type DemoStudyKey = keyof typeof DEMO_STUDIES | DerivedStudyKey

const MINUTE = 60_000
const HOUR = 60 * MINUTE

interface DemoAssignment {
  study: DemoStudyKey
  user: string
  readingType: ReadingType
  priority: Priority
  dueInMs: number
  status?: AssignmentStatus
}

/**
 * Who reads what. reader1 and reader2 share some studies, and each has studies the other does
 * not (reader2 alone reads 'cr-chest-philips'), which the access-scoping tests rely on. Every
 * reader of 'ct-head-prior' gets 'ct-head' listed as its prior, so the demo shows a comparison.
 * reader1 first-reads the three comparisons of the viewer: the head CT (prior 'ct-head-last-year'),
 * the checkup chest X-ray and the screening mammogram (each with its prior). Priors are not
 * assigned: a reader may retrieve the priors of their assignments (study-access.ts).
 * Reading cases (reading-case-repository.ts) follow: the Fuji chest X-ray is a screening double
 * read (reader2 first, reader1 second, checker1 compares); so are the head scout (reader2 first,
 * reader3 second, reader1 compares), the wrist MR and the echo; checker1 checks reader1's report
 * of the head CT; the rest are single reads.
 */
export const DEMO_ASSIGNMENTS: readonly DemoAssignment[] = [
  { study: 'ct-head', user: 'reader1', readingType: 'first', priority: 'stat', dueInMs: 30 * MINUTE },
  { study: 'ct-head-prior', user: 'reader1', readingType: 'comparison', priority: 'urgent', dueInMs: 1 * HOUR },
  { study: 'mr-wrist', user: 'reader1', readingType: 'first', priority: 'urgent', dueInMs: 3 * HOUR },
  { study: 'cr-chest-fuji', user: 'reader1', readingType: 'second', priority: 'routine', dueInMs: 24 * HOUR },
  { study: 'mammogram', user: 'reader1', readingType: 'first', priority: 'routine', dueInMs: 26 * HOUR, status: 'in-progress' },
  { study: 'us-echo', user: 'reader1', readingType: 'first', priority: 'routine', dueInMs: 48 * HOUR },
  { study: 'cr-chest-checkup', user: 'reader1', readingType: 'first', priority: 'routine', dueInMs: 20 * HOUR },
  { study: 'mammo-screening', user: 'reader1', readingType: 'first', priority: 'routine', dueInMs: 22 * HOUR },
  { study: 'cr-chest-fuji', user: 'reader2', readingType: 'first', priority: 'routine', dueInMs: 20 * HOUR },
  { study: 'cr-chest-philips', user: 'reader2', readingType: 'first', priority: 'routine', dueInMs: 22 * HOUR },
  { study: 'ct-head-prior', user: 'reader2', readingType: 'first', priority: 'urgent', dueInMs: 2 * HOUR },
  { study: 'mr-wrist', user: 'reader2', readingType: 'second', priority: 'routine', dueInMs: 28 * HOUR },
  { study: 'ct-head-prior', user: 'reader3', readingType: 'second', priority: 'routine', dueInMs: 30 * HOUR },
  { study: 'us-echo', user: 'reader3', readingType: 'second', priority: 'routine', dueInMs: 50 * HOUR },
  { study: 'ct-head', user: 'checker1', readingType: 'check', priority: 'stat', dueInMs: 90 * MINUTE },
  { study: 'cr-chest-fuji', user: 'checker1', readingType: 'comparison', priority: 'routine', dueInMs: 30 * HOUR },
]

/**
 * The demo DICOM folder. Resolved from this module so it works from source (server/) and from
 * the compiled output (dist/node/server/), which has no copy of the data.
 */
export function demoDicomDir(): string {
  const beside = fileURLToPath(new URL('./demo-data/dicom', import.meta.url))
  if (existsSync(beside)) return beside
  return fileURLToPath(new URL('../../../server/demo-data/dicom', import.meta.url))
}

/** Each demo facility's finding master (server/demo-data/masters/<facility>.json), imported as version 1. */
export const DEMO_MASTER_FACILITIES = ['minato-checkup', 'sakura-clinic'] as const

/** The demo masters folder, found like demoDicomDir(). */
export function demoMastersDir(): string {
  const beside = fileURLToPath(new URL('./demo-data/masters', import.meta.url))
  if (existsSync(beside)) return beside
  return fileURLToPath(new URL('../../../server/demo-data/masters', import.meta.url))
}

/** A demo master file, checked exactly as an admin's JSON import would be. */
export async function loadDemoMaster(facilityId: string) {
  const file = join(demoMastersDir(), `${facilityId}.json`)
  const validation = validateMasterCandidate(JSON.parse(await readFile(file, 'utf8')), jsonPointerRows)
  if (!validation.ok) throw new Error(`demo master ${file} is invalid: ${validation.rows.map((r) => `${r.row}: ${r.message}`).join('; ')}`)
  return validation.content
}

export interface DemoSeedResult {
  seeded: boolean
  /** Study Instance UID of each demo study (empty when nothing was seeded). */
  studies: Partial<Record<DemoStudyKey, string>>
}

/** Seeds the demo data unless the database already has users. */
export async function seedDemo(db: ReadingDatabase, storageDir: string, now: Date = new Date()): Promise<DemoSeedResult> {
  if ((await countUsers(db)) > 0) return { seeded: false, studies: {} }
  for (const f of DEMO_FACILITIES) await upsertFacility(db, f)

  // scrypt runs on libuv's thread pool: hashing while the studies are imported saves its time.
  const hashing = Promise.all(DEMO_USERS.map(() => hashPassword(DEMO_PASSWORD)))
  // Studies first, users last: if an import fails the users table stays empty and the next start seeds again.
  const dicomDir = demoDicomDir()
  const studies: Partial<Record<DemoStudyKey, string>> = {}
  for (const [key, study] of Object.entries(DEMO_STUDIES) as Array<[keyof typeof DEMO_STUDIES, (typeof DEMO_STUDIES)[keyof typeof DEMO_STUDIES]]>) {
    const report = await importDicomFiles(
      db,
      storageDir,
      study.facility,
      study.paths.map((p) => join(dicomDir, p)),
    )
    const failed = report.find((r) => !r.ok)
    if (failed || report.length === 0) {
      throw new Error(`demo data could not be imported: ${failed ? `${failed.file}: ${failed.error}` : `no files for ${key} under ${dicomDir}`}`)
    }
    studies[key] = report[0]?.studyInstanceUid
  }
  for (const key of Object.keys(DEMO_DERIVED_STUDIES) as DerivedStudyKey[]) {
    studies[key] = await importDerivedStudy(db, storageDir, key, dicomDir)
  }

  const hashes = await hashing
  const masters = await Promise.all(DEMO_MASTER_FACILITIES.map(async (id) => [id, await loadDemoMaster(id)] as const))
  await db.transaction(async (tx) => {
    for (const [facilityId, content] of masters) await insertNextMasterVersion(tx, facilityId, content)
    const idOf = new Map<string, string>()
    for (const [i, u] of DEMO_USERS.entries()) {
      const user = await createUser(tx, { ...u, passwordHash: hashes[i] as string })
      idOf.set(user.username, user.id)
    }
    for (const a of DEMO_ASSIGNMENTS) {
      const assignment = {
        studyInstanceUid: studies[a.study] as string,
        readerUserId: idOf.get(a.user) as string,
        readingType: a.readingType,
        priority: a.priority,
        dueAt: new Date(now.getTime() + a.dueInMs),
        status: a.status,
      }
      await insertAssignment(tx, assignment, now)
    }
  })
  return { seeded: true, studies }
}
