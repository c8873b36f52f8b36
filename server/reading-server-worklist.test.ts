import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  apiErrorSchema,
  apiPaths,
  assignmentSchema,
  loginResponseSchema,
  WORKLIST_MAX_WAIT_SECONDS,
  worklistResponseSchema,
  type Assignment,
  type WorklistResponse,
} from '../shared/api-contract.ts'
import { dicomJsonListSchema, firstString, tags } from '../shared/dicom-json.ts'
import { DICOMWEB_ROOT, dicomwebPaths } from '../shared/dicomweb-paths.ts'
import { issueAccessToken } from './access-tokens.ts'
import { crPairStudyUid } from './demo-cr-chest-pair.ts'
import { CT_PRIOR_STUDY_UID } from './demo-ct-prior.ts'
import { mammographyStudyUid } from './demo-mammography.ts'
import { DEMO_PASSWORD } from './demo-seed.ts'
import { importDicomFiles } from './dicom-import.ts'
import { upsertFacility } from './facility-repository.ts'
import { MAX_PRIORS } from './prior-studies.ts'
import { startReadingServer, type RunningReadingServer } from './start-reading-server.ts'
import { syntheticStudyFile, type SyntheticStudy } from './synthetic-dicom.ts'
import { createUser } from './user-repository.ts'
import { DB_TEMPLATE_DIR } from './test-database-template.ts'


// From the demo files' headers: one phantom (PatientID PLASTIC), the head series at 09:28, the scout at 09:34.
const CT_HEAD = '1.3.46.670589.33.1.27492712521914879309.27169771283235650014'
const CT_SCOUT = '1.3.46.670589.33.1.15053592413351079234.27718218421047494460'
const PHILIPS_CHEST = '1.3.6.1.4.1.5962.1.2.9.20040826185059.5457'
/** The head series a year earlier, derived by the demo seed (demo-ct-prior.ts). */
const CT_HEAD_LAST_YEAR = CT_PRIOR_STUDY_UID
/** The demo studies that have priors of their own; every other demo assignment has none. */
const WITH_PRIORS = new Set([CT_HEAD, CT_SCOUT, crPairStudyUid('current'), mammographyStudyUid('current')])

/** Imported studies: UIDs under a private root, one patient per group. */
const uid = (n: number) => `1.2.826.0.1.3680043.10.99.${n}`
const IMPORTED: ReadonlyArray<SyntheticStudy & { facility: 'east' | 'west' }> = [
  // the generated CR current/prior pair (scripts/study-generator/cr-pair-generator.ts)
  { facility: 'east', studyInstanceUid: uid(1), patientId: 'BENCH-CRPAIR', studyDate: '20240610', studyTime: '101500', modality: 'CR', studyDescription: 'BENCH CR chest PA (current)' },
  { facility: 'east', studyInstanceUid: uid(2), patientId: 'BENCH-CRPAIR', studyDate: '20230612', studyTime: '101500', modality: 'CR', studyDescription: 'BENCH CR chest PA (prior)' },
  // the same PatientID issued by another facility: another patient
  { facility: 'west', studyInstanceUid: uid(3), patientId: 'BENCH-CRPAIR', studyDate: '20220101', modality: 'CR' },
  // six older studies of one patient: five dated (listed) and an undated one (older than all, so cut)
  { facility: 'east', studyInstanceUid: uid(10), patientId: 'MANY', studyDate: '20240101', studyTime: '120000', modality: 'CT' },
  { facility: 'east', studyInstanceUid: uid(11), patientId: 'MANY', studyDate: '20240101', studyTime: '115959.5', modality: 'CT' },
  { facility: 'east', studyInstanceUid: uid(12), patientId: 'MANY', studyDate: '20240101', studyTime: '08', modality: 'CT' },
  { facility: 'east', studyInstanceUid: uid(13), patientId: 'MANY', studyDate: '20231231', studyTime: '235959', modality: 'MR' },
  { facility: 'east', studyInstanceUid: uid(14), patientId: 'MANY', studyDate: '20200101', modality: 'CR' },
  { facility: 'east', studyInstanceUid: uid(15), patientId: 'MANY', studyDate: '20190101', studyTime: '000000', modality: 'CR' },
  { facility: 'east', studyInstanceUid: uid(16), patientId: 'MANY', studyDate: '', modality: 'OT' },
  // neither older: the same moment, and the next day
  { facility: 'east', studyInstanceUid: uid(17), patientId: 'MANY', studyDate: '20240101', studyTime: '120000', modality: 'CT' },
  { facility: 'east', studyInstanceUid: uid(18), patientId: 'MANY', studyDate: '20240102', modality: 'CT' },
  // an undated study counts as older than a dated one
  { facility: 'east', studyInstanceUid: uid(20), patientId: 'NODATE', studyDate: '20240301', modality: 'CR' },
  { facility: 'east', studyInstanceUid: uid(21), patientId: 'NODATE', studyDate: '', modality: 'CR' },
  // no PatientID: never anyone's prior
  { facility: 'east', studyInstanceUid: uid(30), patientId: '', studyDate: '20240101', modality: 'CR' },
  { facility: 'east', studyInstanceUid: uid(31), patientId: '', studyDate: '20230101', modality: 'CR' },
]

let server: RunningReadingServer
let inputDir: string
const tokens = new Map<string, string>()

interface CallOptions {
  user?: string
  method?: string
  body?: unknown
  headers?: Record<string, string>
  signal?: AbortSignal
}

function call(path: string, options: CallOptions = {}): Promise<Response> {
  const token = options.user ? tokens.get(options.user) : undefined
  return fetch(`${server.url}${path}`, {
    method: options.method ?? 'GET',
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  })
}

async function expectError(response: Response, status: number, error: string): Promise<void> {
  expect(response.status).toBe(status)
  expect(apiErrorSchema.parse(await response.json()).error).toBe(error)
}

async function worklistOf(user: string): Promise<WorklistResponse> {
  const response = await call(apiPaths.worklist, { user })
  expect(response.status).toBe(200)
  return worklistResponseSchema.parse(await response.json())
}

const assignmentOf = (list: WorklistResponse, studyUid: string): Assignment | undefined =>
  list.assignments.find((a) => a.studyInstanceUid === studyUid)

async function assign(study: string, username: string, readingType = 'first'): Promise<Assignment> {
  const response = await call(apiPaths.adminAssignments, {
    user: 'admin',
    method: 'POST',
    body: { studyInstanceUid: study, username, readingType, priority: 'routine', dueAt: '2030-01-01T00:00:00.000Z' },
  })
  expect(response.status).toBe(201)
  return assignmentSchema.parse(await response.json())
}

/** Waits until the server holds this many long-polls, so a test acts only once its poll is waiting. */
async function untilPendingPolls(count: number, on: RunningReadingServer = server): Promise<void> {
  const giveUp = Date.now() + 5_000
  while (on.worklistChanges.pendingCount !== count) {
    if (Date.now() > giveUp) throw new Error(`expected ${count} pending long-polls, have ${on.worklistChanges.pendingCount}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

beforeAll(async () => {
  inputDir = await mkdtemp(join(tmpdir(), 'reading-server-worklist-'))
  server = await startReadingServer({ dataDir: join(inputDir, 'data'), port: 0, seedDemo: true, databaseTemplateDir: DB_TEMPLATE_DIR })
  await upsertFacility(server.db, { id: 'east', name: 'East Clinic', patientDisplayPolicy: 'named', anonymisedPrefix: '' })
  await upsertFacility(server.db, { id: 'west', name: 'West Clinic', patientDisplayPolicy: 'named', anonymisedPrefix: '' })
  for (const facility of ['east', 'west'] as const) {
    const files: string[] = []
    for (const study of IMPORTED.filter((s) => s.facility === facility)) {
      const file = join(inputDir, `${study.studyInstanceUid}.dcm`)
      await writeFile(file, syntheticStudyFile(study))
      files.push(file)
    }
    const report = await importDicomFiles(server.db, server.storageDir, facility, files)
    expect(report.filter((r) => !r.ok)).toEqual([])
  }
  await Promise.all(
    ['reader1', 'reader2', 'reader3', 'checker1', 'admin'].map(async (username) => {
      const response = await call(apiPaths.login, { method: 'POST', body: { username, password: DEMO_PASSWORD } })
      tokens.set(username, loginResponseSchema.parse(await response.json()).accessToken)
    }),
  )
})

afterAll(async () => {
  await server?.close()
  await rm(inputDir, { recursive: true, force: true })
})

describe('priors', () => {
  it('lists the head CT as the prior of the later scout, for every reader of the scout, and nothing later', async () => {
    const worklist = await worklistOf('reader1')
    const head = assignmentOf(worklist, CT_HEAD) as Assignment
    const scout = assignmentOf(worklist, CT_SCOUT) as Assignment
    expect(scout).toMatchObject({ priority: 'urgent', readingType: 'comparison' })
    const lastYear = {
      studyInstanceUid: CT_HEAD_LAST_YEAR,
      studyDate: '20140206',
      modalities: ['CT'],
      studyDescription: `${head.studyDescription} (prior, demo)`,
      instanceCount: 24,
    }
    // most recent first: the same morning's head series, then last year's
    expect(scout.priors).toEqual([
      { studyInstanceUid: CT_HEAD, studyDate: '20150206', modalities: ['CT'], studyDescription: head.studyDescription, instanceCount: 28 },
      lastYear,
    ])
    expect(head.priors).toEqual([lastYear])
    for (const a of worklist.assignments) if (!WITH_PRIORS.has(a.studyInstanceUid)) expect(a.priors).toEqual([])
    for (const reader of ['reader2', 'reader3']) {
      expect(assignmentOf(await worklistOf(reader), CT_SCOUT)?.priors.map((p) => p.studyInstanceUid)).toEqual([CT_HEAD, CT_HEAD_LAST_YEAR])
    }
  })

  it('lets a reader retrieve the priors of their assignments, and still nothing else', async () => {
    // reader2 reads the scout but is not assigned the head CT, its prior
    expect(assignmentOf(await worklistOf('reader2'), CT_HEAD)).toBeUndefined()
    const series = await call(`${DICOMWEB_ROOT}${dicomwebPaths.series(CT_HEAD)}`, { user: 'reader2' })
    expect(series.status).toBe(200)
    const seriesUid = firstString(dicomJsonListSchema.parse(await series.json())[0] ?? {}, tags.SeriesInstanceUID)
    const instances = dicomJsonListSchema.parse(await (await call(`${DICOMWEB_ROOT}${dicomwebPaths.instances(CT_HEAD, seriesUid)}`, { user: 'reader2' })).json())
    expect(instances).toHaveLength(28)
    const sop = firstString(instances[0] ?? {}, tags.SOPInstanceUID)
    expect((await call(`${DICOMWEB_ROOT}${dicomwebPaths.instance(CT_HEAD, seriesUid, sop)}`, { user: 'reader2' })).status).toBe(200)
    expect((await call(`${DICOMWEB_ROOT}${dicomwebPaths.studyMetadata(CT_HEAD)}`, { user: 'reader2' })).status).toBe(200)
    const found = dicomJsonListSchema.parse(await (await call(`${DICOMWEB_ROOT}${dicomwebPaths.studies()}?PatientID=PLASTIC`, { user: 'reader2' })).json())
    expect(found.map((s) => firstString(s, tags.StudyInstanceUID))).toEqual([CT_SCOUT, CT_HEAD, CT_HEAD_LAST_YEAR])

    // a prior goes one way: checker1 checks the head CT, and the later scout is not its prior
    await expectError(await call(`${DICOMWEB_ROOT}${dicomwebPaths.series(CT_SCOUT)}`, { user: 'checker1' }), 403, 'forbidden')
    // another patient's study stays refused
    await expectError(await call(`${DICOMWEB_ROOT}${dicomwebPaths.series(PHILIPS_CHEST)}`, { user: 'reader1' }), 403, 'forbidden')
  })

  it('finds priors of imported studies by patient and facility, most recent first, at most five', async () => {
    const pair = await assign(uid(1), 'reader3')
    const many = await assign(uid(10), 'reader3')
    const noDate = await assign(uid(20), 'reader3')
    const noPatientId = await assign(uid(30), 'reader3')
    expect(pair.priors).toEqual([
      { studyInstanceUid: uid(2), studyDate: '20230612', modalities: ['CR'], studyDescription: 'BENCH CR chest PA (prior)', instanceCount: 1 },
    ])
    expect(many.priors.map((p) => p.studyInstanceUid)).toEqual([uid(11), uid(12), uid(13), uid(14), uid(15)])
    expect(many.priors).toHaveLength(MAX_PRIORS)
    expect(noDate.priors.map((p) => p.studyInstanceUid)).toEqual([uid(21)])
    expect(noDate.priors[0]?.studyDate).toBe('')
    expect(noPatientId.priors).toEqual([])
    // the worklist shows the same as the admin's answer
    const worklist = await worklistOf('reader3')
    expect(assignmentOf(worklist, uid(10))?.priors).toEqual(many.priors)

    const status = async (study: string) => (await call(`${DICOMWEB_ROOT}${dicomwebPaths.series(study)}`, { user: 'reader3' })).status
    for (const listed of [uid(2), uid(11), uid(15), uid(21)]) expect(await status(listed), listed).toBe(200)
    // another facility's patient, the sixth (cut) prior, not older, and no PatientID
    for (const hidden of [uid(3), uid(16), uid(17), uid(18), uid(31)]) expect(await status(hidden), hidden).toBe(403)
    const visible = dicomJsonListSchema.parse(await (await call(`${DICOMWEB_ROOT}${dicomwebPaths.studies()}?PatientID=MANY`, { user: 'reader3' })).json())
    expect(visible.map((s) => firstString(s, tags.StudyInstanceUID))).toEqual([uid(10), uid(11), uid(12), uid(13), uid(14), uid(15)])
  })
})

describe('worklist version and long-poll', () => {
  const poll = (user: string, version: string, waitSeconds?: number, signal?: AbortSignal) =>
    call(`${apiPaths.worklist}${waitSeconds !== undefined ? `?waitSeconds=${waitSeconds}` : ''}`, {
      user,
      headers: { 'if-none-match': `"${version}"` },
      ...(signal ? { signal } : {}),
    })

  it('sends the version as the ETag, stable while nothing changes, with the cache policy', async () => {
    const response = await call(apiPaths.worklist, { user: 'reader1' })
    const body = worklistResponseSchema.parse(await response.json())
    expect(response.headers.get('etag')).toBe(`"${body.version}"`)
    expect(body.cachePolicy).toEqual({ retentionDays: 7 })
    await new Promise((resolve) => setTimeout(resolve, 5))
    const again = await worklistOf('reader1')
    expect(again.version).toBe(body.version)
    expect((await worklistOf('reader2')).version).not.toBe(body.version)
  })

  it('answers 304 at once to a matching If-None-Match, and 200 to a stale one', async () => {
    const { version } = await worklistOf('reader1')
    const started = Date.now()
    const response = await poll('reader1', version)
    expect(response.status).toBe(304)
    expect(Date.now() - started).toBeLessThan(500)
    expect(response.headers.get('etag')).toBe(`"${version}"`)
    expect(await response.text()).toBe('')
    const weak = await call(apiPaths.worklist, { user: 'reader1', headers: { 'if-none-match': `"other", W/"${version}"` } })
    expect(weak.status).toBe(304)
    const stale = await poll('reader1', 'not-the-version')
    expect(stale.status).toBe(200)
    expect(worklistResponseSchema.parse(await stale.json()).version).toBe(version)
  })

  it('refuses waitSeconds outside 1..max as a bad request', async () => {
    const { version } = await worklistOf('reader1')
    for (const bad of ['0', String(WORKLIST_MAX_WAIT_SECONDS + 1), 'abc', '1.5', '-1', '']) {
      await expectError(await call(`${apiPaths.worklist}?waitSeconds=${bad}`, { user: 'reader1', headers: { 'if-none-match': `"${version}"` } }), 400, 'bad-request')
    }
  })

  it('answers 304 when waitSeconds run out without a change', async () => {
    const { version } = await worklistOf('reader1')
    const started = Date.now()
    const response = await poll('reader1', version, 1)
    const elapsed = Date.now() - started
    expect(response.status).toBe(304)
    expect(elapsed).toBeGreaterThanOrEqual(950)
    expect(elapsed).toBeLessThan(2_500)
  })

  it("wakes a long-poll within a second of an admin's create, status change and delete", async () => {
    const before = await worklistOf('reader1')
    expect(assignmentOf(before, PHILIPS_CHEST)).toBeUndefined()

    /** Starts a poll, lets the server hold it, makes the change, and times the answer from the change's response. */
    const pollAcross = async (version: string, change: () => Promise<Response>, expectStatus: number) => {
      const polling = poll('reader1', version, 10)
      await untilPendingPolls(1)
      const changed = await change()
      expect(changed.status).toBe(expectStatus)
      const changedAt = Date.now()
      const response = await polling
      expect(Date.now() - changedAt).toBeLessThan(1_000)
      expect(response.status).toBe(200)
      const body = worklistResponseSchema.parse(await response.json())
      expect(response.headers.get('etag')).toBe(`"${body.version}"`)
      expect(body.version).not.toBe(version)
      return { body, changed }
    }

    const created = await pollAcross(
      before.version,
      () =>
        call(apiPaths.adminAssignments, {
          user: 'admin',
          method: 'POST',
          // reader2 first-reads it: reader1 can only be its second reader
          body: { studyInstanceUid: PHILIPS_CHEST, username: 'reader1', readingType: 'second', priority: 'stat', dueAt: '2030-01-01T00:00:00.000Z' },
        }),
      201,
    )
    const assignment = assignmentSchema.parse(await created.changed.json())
    expect(assignmentOf(created.body, PHILIPS_CHEST)).toEqual(assignment)

    const patched = await pollAcross(
      created.body.version,
      () => call(`${apiPaths.adminAssignments}/${assignment.id}`, { user: 'admin', method: 'PATCH', body: { status: 'in-progress' } }),
      200,
    )
    expect(assignmentOf(patched.body, PHILIPS_CHEST)?.status).toBe('in-progress')

    const deleted = await pollAcross(
      patched.body.version,
      () => call(`${apiPaths.adminAssignments}/${assignment.id}`, { user: 'admin', method: 'DELETE' }),
      204,
    )
    expect(assignmentOf(deleted.body, PHILIPS_CHEST)).toBeUndefined()
    // the version is the content's: back to what it was before
    expect(deleted.body.version).toBe(before.version)
    // and the study is no longer the reader's to read
    await expectError(await call(`${DICOMWEB_ROOT}${dicomwebPaths.series(PHILIPS_CHEST)}`, { user: 'reader1' }), 403, 'forbidden')
  })

  it('re-reads the worklist before answering 304, catching changes no route announced', async () => {
    const { version, assignments } = await worklistOf('reader1')
    const target = assignments.find((a) => a.status === 'assigned') as Assignment
    const polling = poll('reader1', version, 1)
    await untilPendingPolls(1)
    // straight into the database, as another process would: no notification
    await server.db.query(`update assignments set status = 'in-progress' where id = $1`, [target.id])
    try {
      const response = await polling
      expect(response.status).toBe(200)
      const body = worklistResponseSchema.parse(await response.json())
      expect(body.assignments.find((a) => a.id === target.id)?.status).toBe('in-progress')
    } finally {
      await server.db.query(`update assignments set status = 'assigned' where id = $1`, [target.id])
    }
    expect((await worklistOf('reader1')).version).toBe(version)
  })

  it("is not woken by another reader's changes, and lets go when the client disconnects", async () => {
    const { version } = await worklistOf('reader1')
    const controller = new AbortController()
    const polling = poll('reader1', version, 20, controller.signal).catch((error: unknown) => error)
    await untilPendingPolls(1)
    const other = await assign(PHILIPS_CHEST, 'checker1', 'check')
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(server.worklistChanges.pendingCount).toBe(1)
    controller.abort()
    expect(await polling).toBeInstanceOf(Error)
    await untilPendingPolls(0)
    expect((await call(`${apiPaths.adminAssignments}/${other.id}`, { user: 'admin', method: 'DELETE' })).status).toBe(204)
  })
})

describe('admin assignment endpoints', () => {
  const create = (user: string | undefined, body: unknown) => call(apiPaths.adminAssignments, { ...(user ? { user } : {}), method: 'POST', body })
  const valid = { studyInstanceUid: PHILIPS_CHEST, username: 'reader3', readingType: 'second', priority: 'urgent', dueAt: '2030-01-02T03:04:05.000Z' }

  it('lets only admins create, change or delete assignments', async () => {
    await expectError(await create(undefined, valid), 401, 'unauthenticated')
    for (const user of ['reader1', 'checker1']) {
      await expectError(await create(user, valid), 403, 'forbidden')
      await expectError(await call(`${apiPaths.adminAssignments}/x`, { user, method: 'PATCH', body: { status: 'submitted' } }), 403, 'forbidden')
      await expectError(await call(`${apiPaths.adminAssignments}/x`, { user, method: 'DELETE' }), 403, 'forbidden')
    }
  })

  it('validates the body, the study and the user of a new assignment', async () => {
    await expectError(await create('admin', { ...valid, dueAt: 'tomorrow' }), 400, 'bad-request')
    await expectError(await create('admin', { ...valid, priority: 'asap' }), 400, 'bad-request')
    await expectError(await create('admin', undefined), 400, 'bad-request')
    await expectError(await create('admin', { ...valid, studyInstanceUid: '1.2.3.4.5' }), 404, 'not-found')
    await expectError(await create('admin', { ...valid, username: 'nobody' }), 400, 'bad-request')
    await expectError(await create('admin', { ...valid, username: 'admin' }), 400, 'bad-request')

    const response = await create('admin', valid)
    expect(response.status).toBe(201)
    const created = assignmentSchema.parse(await response.json())
    expect(response.headers.get('location')).toBe(`${apiPaths.adminAssignments}/${created.id}`)
    expect(created).toMatchObject({
      studyInstanceUid: PHILIPS_CHEST,
      readingType: 'second',
      priority: 'urgent',
      status: 'assigned',
      dueAt: valid.dueAt,
      facilityId: 'minato-checkup',
      patientDisplayPolicy: 'anonymised',
      priors: [],
    })
    expect(created.patientDisplay).toMatch(/^MHC-[0-9A-F]{6}$/)
    expect(assignmentOf(await worklistOf('reader3'), PHILIPS_CHEST)).toEqual(created)
    // the same reading of the same study twice is refused; another reading type is not
    await expectError(await create('admin', valid), 400, 'bad-request')
    expect((await create('admin', { ...valid, readingType: 'comparison', username: 'checker1' })).status).toBe(201)
  })

  it('changes only the status, and answers 404 for unknown assignments', async () => {
    const target = assignmentOf(await worklistOf('reader3'), CT_SCOUT) as Assignment
    const path = `${apiPaths.adminAssignments}/${target.id}`
    await expectError(await call(path, { user: 'admin', method: 'PATCH', body: { status: 'done' } }), 400, 'bad-request')
    await expectError(await call(path, { user: 'admin', method: 'PATCH', body: { status: 'submitted', priority: 'stat' } }), 400, 'bad-request')
    await expectError(await call(path, { user: 'admin', method: 'PATCH', body: {} }), 400, 'bad-request')
    await expectError(await call(`${apiPaths.adminAssignments}/no-such-id`, { user: 'admin', method: 'PATCH', body: { status: 'submitted' } }), 404, 'not-found')
    const response = await call(path, { user: 'admin', method: 'PATCH', body: { status: 'submitted' } })
    expect(response.status).toBe(200)
    // submitted, its second read now waits on the first reader of the scout
    expect(assignmentSchema.parse(await response.json())).toEqual({ ...target, status: 'submitted', readingCase: { ...target.readingCase!, waitingOnOthers: true } })
    expect(assignmentOf(await worklistOf('reader3'), CT_SCOUT)?.status).toBe('submitted')
  })

  it("deletes an assignment from the reader's worklist, once", async () => {
    const target = await assign(uid(18), 'reader3')
    expect(assignmentOf(await worklistOf('reader3'), uid(18))).toEqual(target)
    const path = `${apiPaths.adminAssignments}/${target.id}`
    const response = await call(path, { user: 'admin', method: 'DELETE' })
    expect(response.status).toBe(204)
    expect(await response.text()).toBe('')
    expect(assignmentOf(await worklistOf('reader3'), uid(18))).toBeUndefined()
    await expectError(await call(path, { user: 'admin', method: 'DELETE' }), 404, 'not-found')
  })

  it('allows the PATCH method and the conditional headers cross-origin', async () => {
    const response = await fetch(`${server.url}${apiPaths.worklist}`, {
      method: 'OPTIONS',
      headers: { origin: 'app://workstation', 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'if-none-match' },
    })
    expect(response.headers.get('access-control-allow-methods')).toMatch(/PATCH/)
    expect(response.headers.get('access-control-allow-headers')).toMatch(/If-None-Match/)
    const actual = await call(apiPaths.worklist, { user: 'reader1', headers: { origin: 'app://workstation' } })
    expect(actual.headers.get('access-control-expose-headers')).toMatch(/ETag/)
  })
})

describe('stopping with long-polls pending', () => {
  it('releases them and idle connections, so close() returns at once; uses the configured retention', async () => {
    await expect(startReadingServer({ dataDir: null, retentionDays: 366 })).rejects.toThrow(/retentionDays/)
    const other = await startReadingServer({ dataDir: null, port: 0, retentionDays: 30, databaseTemplateDir: DB_TEMPLATE_DIR })
    let closed = false
    try {
      const user = await createUser(other.db, { username: 'solo', displayName: 'Solo', role: 'reader', passwordHash: 'unused' })
      const { token } = await issueAccessToken(other.db, user.id, 3600)
      const headers = { authorization: `Bearer ${token}` }
      const first = await fetch(`${other.url}${apiPaths.worklist}`, { headers })
      const { version, cachePolicy, assignments } = worklistResponseSchema.parse(await first.json())
      expect(cachePolicy).toEqual({ retentionDays: 30 })
      expect(assignments).toEqual([])
      const polling = fetch(`${other.url}${apiPaths.worklist}?waitSeconds=${WORKLIST_MAX_WAIT_SECONDS}`, {
        headers: { ...headers, 'if-none-match': `"${version}"` },
      }).then(
        (response) => response.status,
        (error: unknown) => error,
      )
      await untilPendingPolls(1, other)
      // a connection that never sends a request, as fetch leaves after an aborted one, must not hold close() either
      const silent = connect(other.port, '127.0.0.1')
      silent.on('error', () => undefined)
      await new Promise((resolve) => silent.once('connect', resolve))
      const started = Date.now()
      await other.close()
      closed = true
      expect(Date.now() - started).toBeLessThan(2_000)
      expect(await polling).toBe(304)
    } finally {
      if (!closed) await other.close()
    }
  })
})
