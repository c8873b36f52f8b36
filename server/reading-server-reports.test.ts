import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiErrorSchema, apiPaths, loginResponseSchema, worklistResponseSchema, type Assignment } from '../shared/api-contract.ts'
import { findingMasterSchema, type FindingMaster, type ReportContent } from '../shared/finding-master.ts'
import type { Measurement } from '../shared/report-annotations.ts'
import {
  IDEMPOTENCY_KEY_HEADER,
  masterImportErrorSchema,
  masterImportResultSchema,
  reportPaths,
  reportRejectedSchema,
  storedReportSchema,
  type StoredReport,
} from '../shared/report-contract.ts'
import { DEMO_PASSWORD, loadDemoMaster } from './demo-seed.ts'
import { parseDicom } from './dicom-part10.ts'
import { BASIC_TEXT_SR_SOP_CLASS, ENHANCED_SR_SOP_CLASS } from './report-sr.ts'
import type { ServerFaults } from './server-faults.ts'
import { startReadingServer, type RunningReadingServer } from './start-reading-server.ts'
import { DB_TEMPLATE_DIR } from './test-database-template.ts'


// Known from the demo files' headers.
const PHILIPS_CHEST = '1.3.6.1.4.1.5962.1.2.9.20040826185059.5457'
const CT_HEAD = '1.3.46.670589.33.1.27492712521914879309.27169771283235650014'
const FUJI_CHEST = '1.2.392.200036.9125.0.199302241758.16'
const MAMMOGRAM = '1.3.6.1.4.1.5962.1.2.3.20040826185059.5457'
const US_ECHO = '1.3.6.1.4.1.25403.166563008443.732.20120418082458.1'

let server: RunningReadingServer
const faults: ServerFaults = {}
const tokens = new Map<string, string>()
const worklists = new Map<string, Assignment[]>()

interface CallOptions {
  user?: string
  method?: string
  body?: unknown
  key?: string
  headers?: Record<string, string>
}

function call(path: string, options: CallOptions = {}): Promise<Response> {
  const token = options.user ? tokens.get(options.user) : undefined
  const json = options.body !== undefined && typeof options.body !== 'string' && !(options.body instanceof Uint8Array)
  return fetch(`${server.url}${path}`, {
    method: options.method ?? 'GET',
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(json ? { 'content-type': 'application/json' } : {}),
      ...(options.key !== undefined ? { [IDEMPOTENCY_KEY_HEADER]: options.key } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { body: json ? JSON.stringify(options.body) : (options.body as string | Uint8Array<ArrayBuffer>) } : {}),
  })
}

const submit = (assignmentId: string, user: string, content: ReportContent, key: string) =>
  call(reportPaths.assignmentReport(assignmentId), { user, method: 'POST', body: { content }, key })

async function expectError(response: Response, status: number, error: string): Promise<void> {
  expect(response.status).toBe(status)
  expect(apiErrorSchema.parse(await response.json()).error).toBe(error)
}

/** The user's assignment of a study (of a reading type, when they hold several). */
function assignmentOf(user: string, studyUid: string, readingType?: string): Assignment {
  const found = worklists.get(user)?.find((a) => a.studyInstanceUid === studyUid && (!readingType || a.readingType === readingType))
  if (!found) throw new Error(`${user} has no assignment of ${studyUid}`)
  return found
}

async function masterOf(assignmentId: string, user: string): Promise<FindingMaster> {
  const response = await call(reportPaths.assignmentMaster(assignmentId), { user })
  expect(response.status).toBe(200)
  return findingMasterSchema.parse(await response.json())
}

const reportCount = async (assignmentId: string) =>
  (await server.db.query<{ n: number }>('select count(*)::int as n from reports where assignment_id = $1', [assignmentId])).rows[0]?.n

/** A chest X-ray report: a right upper-field nodule judged E (suspected lung cancer). */
function chestReport(masterVersion: number, overrides: Partial<ReportContent> = {}): ReportContent {
  return {
    masterVersion,
    scale: 'lung-xray',
    findings: [
      { findingCode: 'cx-nodule', bodyPartCode: 'lung-field', laterality: 'R', judgement: 'E', location: '上肺野', size: '15mm', keyImages: [], measurements: [] },
    ],
    impression: '右上肺野に15mm大の結節影を認めます。肺癌の疑いがあり、精密検査を勧めます。',
    comments: '',
    keyImages: [],
    measurements: [],
    ...overrides,
  }
}

function ctReport(masterVersion: number): ReportContent {
  return {
    masterVersion,
    scale: 'report-check',
    findings: [{ findingCode: 'ctmr-no-abnormality', bodyPartCode: 'head', judgement: 'N', keyImages: [], measurements: [] }],
    impression: '頭部CT: 明らかな異常所見を認めません。',
    comments: '',
    keyImages: [],
    measurements: [],
  }
}

beforeAll(async () => {
  server = await startReadingServer({ dataDir: null, port: 0, seedDemo: true, databaseTemplateDir: DB_TEMPLATE_DIR, faults })
  await Promise.all(
    ['reader1', 'reader2', 'reader3', 'checker1', 'admin'].map(async (username) => {
      const response = await call(apiPaths.login, { method: 'POST', body: { username, password: DEMO_PASSWORD } })
      const token = loginResponseSchema.parse(await response.json()).accessToken
      tokens.set(username, token)
      const worklist = await call(apiPaths.worklist, { user: username })
      worklists.set(username, worklistResponseSchema.parse(await worklist.json()).assignments)
    }),
  )
})

afterAll(async () => {
  await server?.close()
})

describe('finding master of an assignment', () => {
  it("serves the facility's latest master: the checkup master for a chest X-ray, the CT/MR master for a CT", async () => {
    const chest = await masterOf(assignmentOf('reader2', PHILIPS_CHEST).id, 'reader2')
    expect(chest).toMatchObject({ facilityId: 'minato-checkup', version: 1, frozen: false })
    expect(chest.scales.map((s) => s.code)).toEqual(['lung-xray', 'mammography', 'gastric-xray', 'ningen-dock'])
    const ct = await masterOf(assignmentOf('reader1', CT_HEAD).id, 'reader1')
    expect(ct).toMatchObject({ facilityId: 'sakura-clinic', version: 1 })
    expect(ct.scales.map((s) => s.code)).toEqual(['report-check'])
  })

  it('refuses other readers (403), unknown assignments (404) and missing tokens (401)', async () => {
    const reader2Chest = assignmentOf('reader2', PHILIPS_CHEST).id
    await expectError(await call(reportPaths.assignmentMaster(reader2Chest), { user: 'reader1' }), 403, 'forbidden')
    await expectError(await call(reportPaths.assignmentMaster(randomUUID()), { user: 'reader1' }), 404, 'not-found')
    await expectError(await call(reportPaths.assignmentMaster(reader2Chest)), 401, 'unauthenticated')
    expect((await call(reportPaths.assignmentMaster(reader2Chest), { user: 'admin' })).status).toBe(200)
  })
})

describe('submitting a report', () => {
  it('needs an Idempotency-Key of 8 to 128 characters and a valid body (400)', async () => {
    const id = assignmentOf('reader1', CT_HEAD).id
    await expectError(await call(reportPaths.assignmentReport(id), { user: 'reader1', method: 'POST', body: { content: ctReport(1) } }), 400, 'bad-request')
    await expectError(await submit(id, 'reader1', ctReport(1), 'short'), 400, 'bad-request')
    await expectError(await submit(id, 'reader1', ctReport(1), 'x'.repeat(129)), 400, 'bad-request')
    await expectError(await call(reportPaths.assignmentReport(id), { user: 'reader1', method: 'POST', body: { content: { findings: 'none' } }, key: randomUUID() }), 400, 'bad-request')
    expect(await reportCount(id)).toBe(0)
  })

  it("enforces the master's rules: 422 with every issue, nothing stored", async () => {
    const id = assignmentOf('reader2', PHILIPS_CHEST).id
    const content = chestReport(1, {
      findings: [
        { findingCode: 'cx-no-abnormality', bodyPartCode: 'chest', judgement: 'A', keyImages: [], measurements: [] },
        { findingCode: 'cx-nodule', bodyPartCode: 'lung-field', laterality: 'R', judgement: 'E', keyImages: [], measurements: [] },
        { findingCode: 'cx-mass', bodyPartCode: 'lung-field', judgement: 'B', location: '下肺野', keyImages: [], measurements: [] },
      ],
      overallOverride: { judgement: 'C', reason: '前回と変化なし' },
    })
    const response = await submit(id, 'reader2', content, randomUUID())
    expect(response.status).toBe(422)
    const body = reportRejectedSchema.parse(await response.json())
    expect(body.issues.map((i) => i.rule).sort()).toEqual(
      ['judgement-not-allowed', 'location-required-above-normal', 'no-abnormality-exclusive', 'overall-at-least-worst'].sort(),
    )
    expect(body.issues.find((i) => i.rule === 'location-required-above-normal')).toMatchObject({ findingIndex: 1 })
    expect(body.issues.every((i) => i.message.ja.length > 0 && i.message.en.length > 0)).toBe(true)
    expect(await reportCount(id)).toBe(0)
  })

  it('refuses a master version the facility does not have (422), including another facility\'s', async () => {
    const id = assignmentOf('reader2', PHILIPS_CHEST).id
    const response = await submit(id, 'reader2', chestReport(99), randomUUID())
    expect(response.status).toBe(422)
    expect(reportRejectedSchema.parse(await response.json()).issues[0]?.rule).toBe('unknown-master-version')
  })

  it('stores the report once: 201, the same key again 200 with the same report, another key 409; wakes the worklist', async () => {
    const assignment = assignmentOf('reader2', PHILIPS_CHEST)
    const before = await call(apiPaths.worklist, { user: 'reader2' })
    const etag = before.headers.get('etag') as string
    const poll = call(`${apiPaths.worklist}?waitSeconds=10`, { user: 'reader2', headers: { 'if-none-match': etag } })
    const key = randomUUID()
    const first = await submit(assignment.id, 'reader2', chestReport(1), key)
    expect(first.status).toBe(201)
    expect(first.headers.get('location')).toBe(reportPaths.assignmentReport(assignment.id))
    const stored = storedReportSchema.parse(await first.json())
    expect(stored).toMatchObject({ assignmentId: assignment.id, studyInstanceUid: PHILIPS_CHEST, masterVersion: 1, overallJudgement: 'E', requiresFurtherExamination: true })

    const woken = await poll
    expect(woken.status).toBe(200)
    const status = worklistResponseSchema.parse(await woken.json()).assignments.find((a) => a.id === assignment.id)?.status
    expect(status).toBe('submitted')

    const again = await submit(assignment.id, 'reader2', chestReport(1), key)
    expect(again.status).toBe(200)
    expect(storedReportSchema.parse(await again.json())).toEqual(stored)
    await expectError(await submit(assignment.id, 'reader2', chestReport(1), randomUUID()), 409, 'already-submitted')

    const read = await call(reportPaths.assignmentReport(assignment.id), { user: 'reader2' })
    expect(storedReportSchema.parse(await read.json())).toEqual(stored)
    expect(await reportCount(assignment.id)).toBe(1)
    // The version it used is frozen now, and this assignment keeps being served that version.
    expect(await masterOf(assignment.id, 'reader2')).toMatchObject({ version: 1, frozen: true })
  })

  it('stores exactly one report for 10 concurrent submissions with the same key', async () => {
    const id = assignmentOf('reader2', FUJI_CHEST).id
    const key = randomUUID()
    const responses = await Promise.all(Array.from({ length: 10 }, () => submit(id, 'reader2', chestReport(1), key)))
    const statuses = responses.map((r) => r.status).sort()
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201])
    const reports = await Promise.all(responses.map(async (r) => storedReportSchema.parse(await r.json())))
    expect(new Set(reports.map((r) => r.id)).size).toBe(1)
    expect(await reportCount(id)).toBe(1)
  })

  it('stores exactly one report for concurrent submissions with different keys: one 201, the rest 409', async () => {
    const id = assignmentOf('reader1', CT_HEAD).id
    const responses = await Promise.all(Array.from({ length: 5 }, () => submit(id, 'reader1', ctReport(1), randomUUID())))
    expect(responses.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409])
    expect(await reportCount(id)).toBe(1)
  })

  it('survives a dropped response: the report is committed, the retries with the same key get it (200), one row', async () => {
    const id = assignmentOf('reader1', MAMMOGRAM).id
    const content: ReportContent = {
      masterVersion: 1,
      scale: 'mammography',
      findings: [{ findingCode: 'mg-calcification', bodyPartCode: 'breast', laterality: 'L', judgement: '3', location: 'C領域', keyImages: [], measurements: [] }],
      impression: '左乳房C領域に石灰化を認めます。カテゴリー3。',
      comments: '',
      keyImages: [],
      measurements: [],
    }
    const key = randomUUID()
    faults.dropReportResponses = 3
    let dropped = 0
    let answer: Response | undefined
    for (let attempt = 0; attempt < 10 && !answer; attempt++) {
      try {
        answer = await submit(id, 'reader1', content, key)
      } catch {
        dropped++
      }
    }
    expect(dropped).toBe(3)
    expect(faults.dropReportResponses).toBe(0)
    expect(answer?.status).toBe(200)
    const stored = storedReportSchema.parse(await answer?.json())
    expect(stored).toMatchObject({ assignmentId: id, overallJudgement: '3', requiresFurtherExamination: true })
    expect(await reportCount(id)).toBe(1)
  })

  it('lets readers submit only their own reads, and lets others see them only as the reading case allows', async () => {
    await expectError(await submit(assignmentOf('reader3', US_ECHO).id, 'reader1', ctReport(1), randomUUID()), 403, 'forbidden')
    // checker1 checks the CT head: it may read reader1's report of it, but never submit it
    const readerCt = assignmentOf('reader1', CT_HEAD).id
    await expectError(await submit(readerCt, 'checker1', ctReport(1), randomUUID()), 403, 'forbidden')
    expect((await call(reportPaths.assignmentReport(readerCt), { user: 'checker1' })).status).toBe(200)
    // a check is decided on the reading case, never submitted as a report
    await expectError(await submit(assignmentOf('checker1', CT_HEAD, 'check').id, 'checker1', ctReport(1), randomUUID()), 409, 'invalid-transition')
    // reader1's second reading of the Fuji chest may not see reader2's first reading: double reading is independent;
    // nor may checker1, who compares them, before both reads are in
    const reader2Fuji = assignmentOf('reader2', FUJI_CHEST).id
    await expectError(await call(reportPaths.assignmentReport(reader2Fuji), { user: 'reader1' }), 403, 'forbidden')
    await expectError(await call(reportPaths.assignmentReport(reader2Fuji), { user: 'checker1' }), 403, 'forbidden')
    await expectError(await call(reportPaths.assignmentReport(assignmentOf('reader3', US_ECHO).id), { user: 'reader3' }), 404, 'not-found')
  })

  it('keeps a submitted assignment: the admin cannot delete it (409), and the worklist says submitted', async () => {
    const id = assignmentOf('reader2', PHILIPS_CHEST).id
    await expectError(await call(`${apiPaths.adminAssignments}/${id}`, { user: 'admin', method: 'DELETE' }), 409, 'already-submitted')
    const patched = await call(`${apiPaths.adminAssignments}/${id}`, { user: 'admin', method: 'PATCH', body: { status: 'assigned' } })
    expect(patched.status).toBe(200)
    const worklist = worklistResponseSchema.parse(await (await call(apiPaths.worklist, { user: 'reader2' })).json())
    expect(worklist.assignments.find((a) => a.id === id)?.status).toBe('submitted')
  })
})

describe('key images and measurements', () => {
  interface Instance {
    sopInstanceUid: string
    seriesInstanceUid: string
    frames: number
  }
  /** An instance of the study, the one with the most frames first. */
  async function instanceOf(studyUid: string): Promise<Instance> {
    const { rows } = await server.db.query<{ sop_instance_uid: string; series_instance_uid: string; number_of_frames: number }>(
      `select i.sop_instance_uid, i.series_instance_uid, i.number_of_frames
         from instances i join series s on s.series_instance_uid = i.series_instance_uid
        where s.study_instance_uid = $1
        order by i.number_of_frames desc, i.sop_instance_uid limit 1`,
      [studyUid],
    )
    const row = rows[0]
    if (!row) throw new Error(`no instance in ${studyUid}`)
    return { sopInstanceUid: row.sop_instance_uid, seriesInstanceUid: row.series_instance_uid, frames: row.number_of_frames }
  }
  const on = (i: Instance) => ({ sopInstanceUid: i.sopInstanceUid, seriesInstanceUid: i.seriesInstanceUid })
  const measurement = (id: string, i: Instance, over: Partial<Measurement> = {}): Measurement => ({
    id,
    kind: 'length',
    ...on(i),
    viewPlaneNormal: [0, 0, 1],
    viewUp: [0, -1, 0],
    points: [
      [0, 0, 0],
      [12.5, 0, 0],
    ],
    values: { length: 12.5 },
    lengthUnit: 'mm',
    ...over,
  })
  /** reader2's reading of the scout, whose prior is the CT head. */
  const scoutAssignment = () => {
    const found = worklists.get('reader2')?.find((a) => a.priors.some((p) => p.studyInstanceUid === CT_HEAD))
    if (!found) throw new Error('reader2 has no study with the CT head as prior')
    return found
  }

  it('stores them with the report, on the study and on its prior, and gives them back', async () => {
    const assignment = scoutAssignment()
    const [scout, prior] = [await instanceOf(assignment.studyInstanceUid), await instanceOf(CT_HEAD)]
    const content: ReportContent = {
      ...ctReport(1),
      findings: [{ findingCode: 'ctmr-no-abnormality', bodyPartCode: 'head', judgement: 'N', keyImages: [scout.sopInstanceUid], measurements: ['len-prior'] }],
      keyImages: [on(scout), on(prior)],
      measurements: [measurement('len-prior', prior), measurement('probe-prior', prior, { kind: 'probe', points: [[1, 2, 3]], values: { value: 40 }, lengthUnit: undefined, intensityUnit: 'HU' })],
    }
    const response = await submit(assignment.id, 'reader2', content, randomUUID())
    expect(response.status).toBe(201)
    const stored = storedReportSchema.parse(await response.json())
    expect(stored.content.keyImages).toEqual(content.keyImages)
    expect(stored.content.measurements).toEqual(content.measurements)
    expect(stored.content.findings[0]).toMatchObject({ keyImages: [scout.sopInstanceUid], measurements: ['len-prior'] })
    const read = storedReportSchema.parse(await (await call(reportPaths.assignmentReport(assignment.id), { user: 'reader2' })).json())
    expect(read).toEqual(stored)
    const row = await server.db.query<{ content: ReportContent }>('select content from reports where assignment_id = $1', [assignment.id])
    expect(row.rows[0]?.content.measurements.map((m) => m.id)).toEqual(['len-prior', 'probe-prior'])

    // the exports carry them: an Enhanced SR referencing both studies' images, FHIR observations and media
    const sr = parseDicom(new Uint8Array(await (await call(reportPaths.reportSr(stored.id), { user: 'reader2' })).arrayBuffer()))
    expect(sr.text('00080016', 'UI')).toBe(ENHANCED_SR_SOP_CLASS)
    expect(sr.dataSet.elements.x0040a375?.items?.[0]?.dataSet?.string('x0020000d')).toBe(assignment.studyInstanceUid)
    expect(sr.dataSet.elements.x0040a385?.items?.[0]?.dataSet?.string('x0020000d')).toBe(CT_HEAD)
    const fhir = (await (await call(reportPaths.reportFhir(stored.id), { user: 'reader2' })).json()) as { contained: Array<{ id: string }>; media: unknown[] }
    expect(fhir.contained.map((r) => r.id)).toEqual(['finding-1', 'measurement-1', 'measurement-2', 'key-image-1', 'key-image-2'])
    expect(fhir.media).toHaveLength(2)
  })

  it('refuses images outside the study and its priors, another series, a frame the image lacks, a link to a missing measurement: 422, nothing stored', async () => {
    const echo = assignmentOf('reader1', US_ECHO)
    const cine = await instanceOf(US_ECHO)
    expect(cine.frames).toBeGreaterThan(1)
    const [otherPatient, otherFacility] = [await instanceOf(CT_HEAD), await instanceOf(PHILIPS_CHEST)]
    const content: ReportContent = {
      ...ctReport(1),
      findings: [{ findingCode: 'ctmr-no-abnormality', bodyPartCode: 'head', judgement: 'N', keyImages: [otherFacility.sopInstanceUid], measurements: ['ghost'] }],
      keyImages: [{ ...on(cine), frame: cine.frames + 1 }, { ...on(cine), seriesInstanceUid: otherPatient.seriesInstanceUid }, on(otherFacility)],
      measurements: [measurement('m-1', otherPatient), measurement('m-2', { ...cine, sopInstanceUid: '1.2.3.4.5.6.7.8.9' })],
    }
    const response = await submit(echo.id, 'reader1', content, randomUUID())
    expect(response.status).toBe(422)
    const body = reportRejectedSchema.parse(await response.json())
    expect(body.error).toBe('report-invalid')
    expect(body.issues.map((i) => i.rule)).toEqual([
      'unknown-measurement',
      'frame-out-of-range',
      'image-not-in-study',
      'image-not-in-study',
      'image-not-in-study',
      'image-not-in-study',
      'image-not-in-study',
    ])
    expect(body.issues[0]).toMatchObject({ findingIndex: 0 })
    expect(body.issues.at(-1)).toMatchObject({ findingIndex: 0 })
    expect(body.message).toContain(`frame ${cine.frames + 1} of image ${cine.sopInstanceUid}`)
    expect(body.message).toContain(`image ${otherFacility.sopInstanceUid}`)
    expect(body.message).toContain('1.2.3.4.5.6.7.8.9')
    expect(body.issues.every((i) => i.message.ja.length > 0)).toBe(true)
    expect(await reportCount(echo.id)).toBe(0)

    // the last frame of the cine is a frame it has
    const fixed = { ...content, findings: [{ ...content.findings[0]!, keyImages: [], measurements: [] }], keyImages: [{ ...on(cine), frame: cine.frames }], measurements: [] }
    expect((await submit(echo.id, 'reader1', fixed, randomUUID())).status).toBe(201)
  })

  it('refuses malformed key images and measurements with 400 naming the field', async () => {
    // reader3's reading of the scout: never submitted in these tests
    const id = worklists.get('reader3')?.find((a) => a.priors.some((p) => p.studyInstanceUid === CT_HEAD))?.id ?? ''
    const base = { ...ctReport(1), measurements: [] }
    const badFrame = await submit(id, 'reader3', { ...base, keyImages: [{ sopInstanceUid: '1.2', seriesInstanceUid: '1', frame: 0 }] }, randomUUID())
    expect(badFrame.status).toBe(400)
    expect(apiErrorSchema.parse(await badFrame.json())).toMatchObject({ error: 'bad-request', message: expect.stringMatching(/^content\.keyImages\.0\.frame: /) })
    const badKind = await call(reportPaths.assignmentReport(id), {
      user: 'reader3',
      method: 'POST',
      key: randomUUID(),
      body: { content: { ...base, keyImages: [], measurements: [{ ...measurement('x', { sopInstanceUid: '1.2', seriesInstanceUid: '1', frames: 1 }), kind: 'freehand' }] } },
    })
    expect(badKind.status).toBe(400)
    expect(apiErrorSchema.parse(await badKind.json()).message).toMatch(/^content\.measurements\.0\.kind: /)
    expect(await reportCount(id)).toBe(0)
  })
})

describe('importing masters (admin)', () => {
  const importJson = (body: unknown, facility = 'minato-checkup', user = 'admin') =>
    call(reportPaths.adminFacilityMasters(facility), { user, method: 'POST', body })
  const importCsv = (csv: string | Uint8Array, contentType = 'text/csv; charset=utf-8') =>
    call(reportPaths.adminFacilityMasters('minato-checkup'), { user: 'admin', method: 'POST', body: csv, headers: { 'content-type': contentType } })

  it('is for admins only', async () => {
    await expectError(await importJson(await loadDemoMaster('minato-checkup'), 'minato-checkup', 'reader1'), 403, 'forbidden')
    await expectError(await importJson(await loadDemoMaster('minato-checkup'), 'no-such-facility'), 404, 'not-found')
  })

  it('adds a JSON master as the next version; the submitted report keeps its frozen version', async () => {
    const master = await loadDemoMaster('minato-checkup')
    const renamed = { ...master, name: { ja: 'みなと健診センター 所見マスター 第2版', en: 'Minato finding master, 2nd edition' } }
    const response = await importJson(renamed)
    expect(response.status).toBe(201)
    const { version } = masterImportResultSchema.parse(await response.json())
    expect(version).toBe(2)
    // an unsubmitted assignment now gets version 2; the submitted one still reads version 1, unchanged
    expect(await masterOf(assignmentOf('reader1', FUJI_CHEST).id, 'reader1')).toMatchObject({ version: 2, frozen: false, name: renamed.name })
    const used = await masterOf(assignmentOf('reader2', PHILIPS_CHEST).id, 'reader2')
    expect(used).toMatchObject({ version: 1, frozen: true, name: master.name })
    const stored = storedReportSchema.parse(await (await call(reportPaths.assignmentReport(assignmentOf('reader2', PHILIPS_CHEST).id), { user: 'reader2' })).json())
    expect(stored.masterVersion).toBe(1)
    // the database itself refuses to change a version
    await expect(server.db.query(`update finding_masters set content = '{}' where facility_id = 'minato-checkup' and version = 1`)).rejects.toThrow(/cannot change/)
  })

  it('lists every bad row of a JSON master as a JSON pointer, and stores nothing', async () => {
    const master = await loadDemoMaster('minato-checkup')
    const broken = structuredClone(master)
    const nodule = broken.findings.findIndex((f) => f.code === 'cx-nodule')
    ;(broken.findings[nodule] as { defaultJudgement: string }).defaultJudgement = 'A'
    ;(broken.findings[0] as { scale: string }).scale = 'no-such-scale'
    ;(broken.bodyParts[1] as { code: string }).code = broken.bodyParts[0]?.code as string
    ;(broken.findings[2] as { kana: unknown }).kana = 42
    const response = await importJson(broken)
    expect(response.status).toBe(400)
    const body = masterImportErrorSchema.parse(await response.json())
    // schema and referential problems in one answer
    expect(body.rows.map((r) => r.row)).toEqual(
      expect.arrayContaining(['/bodyParts/1/code', '/findings/0/scale', `/findings/${nodule}/defaultJudgement`, '/findings/2/kana']),
    )
    // renaming the body part left the findings that named it dangling: they are listed too
    expect(body.rows.find((r) => r.row === `/findings/${nodule}/bodyParts/0`)?.message).toMatch(/body part "lung-field"/)
    const latest = await server.db.query<{ v: number }>(`select max(version) as v from finding_masters where facility_id = 'minato-checkup'`)
    expect(latest.rows[0]?.v).toBe(2)
  })

  it('adds a CSV master (also in Shift_JIS) and lists every bad line', async () => {
    const csv = [
      'kind,code,name_ja,name_en,kana,scale,rank,normal,further_examination,laterality,body_parts,modalities,allowed_judgements,default_judgement,template_ja,template_en',
      'master,,胸部X線マスター,Chest X-ray master,,,,,,,,,,,,',
      'scale,lung-xray,肺がん検診,Lung screening,,,,,,,,,,,,',
      'judgement,A,異常なし,Normal,,lung-xray,0,true,false,,,,,,,',
      'judgement,E,肺癌の疑い,Suspected lung cancer,,lung-xray,4,false,true,,,,,,,',
      'body-part,lung-field,肺野,Lung field,はいや,,,,,true,,,,,,',
      'finding,cx-nodule,結節影,Nodule,けっせつえい,lung-xray,,,,,lung-field,CR|DX,A|E,E,"{{laterality}}{{location}}に{{size}}大の結節影を認めます。","A {{size}} nodule, {{location}}."',
    ].join('\n')
    const ok = await importCsv(csv)
    expect(ok.status).toBe(201)
    expect(masterImportResultSchema.parse(await ok.json()).version).toBe(3)
    // Excel in Japan saves CSV as Shift_JIS: 胸部 is 8B B9 95 94 there.
    const sjis = csv
      .replace(/[^\x20-\x7e\n]+/g, '胸部')
      .split('胸部')
      .flatMap((part, i) => (i === 0 ? [...new TextEncoder().encode(part)] : [0x8b, 0xb9, 0x95, 0x94, ...new TextEncoder().encode(part)]))
    const fromExcel = await importCsv(new Uint8Array(sjis), 'text/csv; charset=shift_jis')
    expect(fromExcel.status).toBe(201)
    expect(masterImportResultSchema.parse(await fromExcel.json()).version).toBe(4)
    expect((await masterOf(assignmentOf('reader1', FUJI_CHEST).id, 'reader1')).name.ja).toBe('胸部X胸部')
    await expectError(await importCsv(new Uint8Array(sjis)), 400, 'bad-request')

    const bad = [
      csv.split('\n')[0],
      'master,,胸部X線マスター,Chest X-ray master,,,,,,,,,,,,',
      'scale,lung-xray,肺がん検診,Lung screening,,,,,,,,,,,,',
      'judgement,A,異常なし,Normal,,lung-xray,zero,true,false,,,,,,,', // line 4: rank not a number
      'judgement,E,肺癌の疑い,Suspected lung cancer,,lung-xray,4,false,maybe,,,,,,,', // line 5: bad boolean
      'organ,x,,,,,,,,,,,,,,', // line 6: unknown kind
      'body-part,lung-field,肺野,Lung field,はいや,,,,,true,,,,,,',
      'finding,cx-nodule,結節影,Nodule,けっせつえい,lung-xray,,,,,lung-field|heart,CR,A|E,C,template {{where}},t', // line 8
      'judgement,B,軽度,Minor,,gastric,1,true,false,,,,,,,', // line 9: unknown scale
    ].join('\n')
    const response = await importCsv(bad)
    expect(response.status).toBe(400)
    const body = masterImportErrorSchema.parse(await response.json())
    expect(body.rows.map((r) => r.row)).toEqual(['line 4', 'line 5', 'line 6', 'line 8', 'line 8', 'line 8', 'line 9'])
    const messages = body.rows.map((r) => `${r.row}: ${r.message}`)
    expect(messages[0]).toMatch(/rank/)
    expect(messages[1]).toMatch(/further_examination/)
    expect(messages[2]).toMatch(/kind "organ"/)
    expect(messages.slice(3, 6).join('\n')).toMatch(/body part "heart"[^]*defaults to "C"[^]*\{\{where\}\}/)
    expect(messages[6]).toMatch(/scale "gastric"/)
  })
})

describe('exports', () => {
  let report: StoredReport
  beforeAll(async () => {
    const response = await call(reportPaths.assignmentReport(assignmentOf('reader2', PHILIPS_CHEST).id), { user: 'reader2' })
    report = storedReportSchema.parse(await response.json())
  })

  it('serves a FHIR R4 DiagnosticReport', async () => {
    const response = await call(reportPaths.reportFhir(report.id), { user: 'reader2' })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^application\/fhir\+json/)
    const resource = (await response.json()) as Record<string, unknown>
    expect(resource).toMatchObject({ resourceType: 'DiagnosticReport', status: 'final', issued: report.submittedAt })
    expect(JSON.stringify(resource)).toContain('cx-nodule')
    // the facility anonymises: the subject is the label, never the name
    expect(JSON.stringify(resource)).not.toContain('CompressedSamples')
  })

  it('serves a DICOM Basic Text SR of the same study', async () => {
    const response = await call(reportPaths.reportSr(report.id), { user: 'reader2' })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/dicom')
    const parsed = parseDicom(new Uint8Array(await response.arrayBuffer()))
    expect(parsed.text('00080016', 'UI')).toBe(BASIC_TEXT_SR_SOP_CLASS)
    expect(parsed.text('0020000D', 'UI')).toBe(PHILIPS_CHEST)
    expect(parsed.text('00080005', 'CS')).toBe('ISO_IR 192')
    expect(parsed.text('00100010', 'PN')).toMatch(/^MHC-[0-9A-F]{6}$/)
  })

  it('refuses exports to those who may not read the report', async () => {
    await expectError(await call(reportPaths.reportSr(report.id), { user: 'reader1' }), 403, 'forbidden')
    await expectError(await call(reportPaths.reportFhir(report.id), { user: 'reader3' }), 403, 'forbidden')
    await expectError(await call(reportPaths.reportFhir(randomUUID()), { user: 'reader2' }), 404, 'not-found')
    expect((await call(reportPaths.reportFhir(report.id), { user: 'admin' })).status).toBe(200)
  })
})
