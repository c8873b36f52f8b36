import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Assignment } from '../shared/api-contract.ts'
import { openReadingDatabase, type ReadingDatabase } from './database.ts'
import { DEMO_ASSIGNMENTS, DEMO_STUDIES, seedDemo, type DemoSeedResult } from './demo-seed.ts'
import { DEMO_DERIVED_STUDIES } from './demo-derived-studies.ts'
import { requireStudyAccess } from './study-access.ts'
import { DB_TEMPLATE_DIR } from './test-database-template.ts'
import { findUserByUsername } from './user-repository.ts'
import { worklistFor } from './worklist-query.ts'

interface Seeded {
  db: ReadingDatabase
  storageDir: string
  result: DemoSeedResult
}

async function seed(): Promise<Seeded> {
  const storageDir = await mkdtemp(join(tmpdir(), 'demo-seed-test-'))
  const db = await openReadingDatabase(null, { templateDir: DB_TEMPLATE_DIR })
  return { db, storageDir, result: await seedDemo(db, storageDir, new Date('2030-01-01T00:00:00Z')) }
}

const seeds: Seeded[] = []

beforeAll(async () => {
  // one after the other, as two servers started from scratch would
  seeds.push(await seed())
  seeds.push(await seed())
}, 60_000)

afterAll(async () => {
  for (const s of seeds) {
    await s.db.close()
    await rm(s.storageDir, { recursive: true, force: true })
  }
})

async function worklistOf(db: ReadingDatabase, username: string): Promise<Assignment[]> {
  const user = await findUserByUsername(db, username)
  if (!user) throw new Error(`no user ${username}`)
  return worklistFor(db, user.id)
}

describe('the demo seed', () => {
  it('makes every study, derived ones with the same UIDs and the same stored bytes on every seed', async () => {
    const [first, second] = seeds as [Seeded, Seeded]
    const keys = [...Object.keys(DEMO_STUDIES), ...Object.keys(DEMO_DERIVED_STUDIES)].sort()
    expect(Object.keys(first.result.studies).sort()).toEqual(keys)
    expect(second.result.studies).toEqual(first.result.studies)
    expect(new Set(Object.values(first.result.studies)).size).toBe(keys.length)
    const stored = async (db: ReadingDatabase) =>
      (await db.query<{ sop_instance_uid: string; sha256: string }>('select sop_instance_uid, sha256 from instances order by sop_instance_uid')).rows
    const firstStored = await stored(first.db)
    expect(firstStored.length).toBeGreaterThan(80)
    expect(await stored(second.db)).toEqual(firstStored)
  })

  it("lists the head CT's prior a year earlier, and the chest and mammography priors, for reader1", async () => {
    const { db, result } = seeds[0] as Seeded
    const studies = result.studies
    const worklist = await worklistOf(db, 'reader1')
    const assignmentOf = (uid: string | undefined) => worklist.find((a) => a.studyInstanceUid === uid)
    const ct = assignmentOf(studies['ct-head'])
    expect(ct).toMatchObject({ readingType: 'first' })
    expect(ct?.priors).toEqual([
      expect.objectContaining({ studyInstanceUid: studies['ct-head-last-year'], studyDate: '20140206', modalities: ['CT'], instanceCount: 24 }),
    ])
    const chest = assignmentOf(studies['cr-chest-checkup'])
    expect(chest).toMatchObject({ readingType: 'first', modalities: ['CR'] })
    expect(chest?.priors).toEqual([expect.objectContaining({ studyInstanceUid: studies['cr-chest-checkup-prior'], studyDate: '19920224', modalities: ['CR'] })])
    const mammo = assignmentOf(studies['mammo-screening'])
    expect(mammo).toMatchObject({ readingType: 'first', modalities: ['MG'], instanceCount: 4, seriesCount: 4 })
    expect(mammo?.priors).toEqual([
      expect.objectContaining({ studyInstanceUid: studies['mammo-screening-prior'], studyDate: '20030826', modalities: ['MG'], instanceCount: 4 }),
    ])
    // the scout taken after the head CT has both head CTs as priors, the most recent first
    expect(assignmentOf(studies['ct-head-prior'])?.priors.map((p) => p.studyInstanceUid)).toEqual([studies['ct-head'], studies['ct-head-last-year']])
  })

  it('assigns no prior, yet lets the reader of the current retrieve it', async () => {
    const { db, result } = seeds[0] as Seeded
    const priors = ['ct-head-last-year', 'cr-chest-checkup-prior', 'mammo-screening-prior'] as const
    for (const key of priors) expect(DEMO_ASSIGNMENTS.filter((a) => a.study === key)).toEqual([])
    const reader1 = await findUserByUsername(db, 'reader1')
    const reader2 = await findUserByUsername(db, 'reader2')
    for (const key of priors) {
      const uid = result.studies[key] as string
      await expect(requireStudyAccess(db, reader1!, uid)).resolves.toMatchObject({ studyInstanceUid: uid })
    }
    // reader2 reads neither checkup study (but does read the scout, whose priors include the head CT's)
    for (const key of ['cr-chest-checkup-prior', 'mammo-screening-prior'] as const) {
      await expect(requireStudyAccess(db, reader2!, result.studies[key] as string), key).rejects.toMatchObject({ statusCode: 403 })
    }
    // the checkup studies are shown anonymised, like every study of that facility
    const anonymised = await requireStudyAccess(db, reader1!, result.studies['mammo-screening-prior'] as string)
    expect(anonymised.patientDisplayPolicy).toBe('anonymised')
  })
})
