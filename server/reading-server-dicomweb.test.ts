import { readdirSync, readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import dicomParser from 'dicom-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiErrorSchema, apiPaths, assignmentSchema, loginResponseSchema, worklistResponseSchema } from '../shared/api-contract.ts'
import { dicomJsonListSchema, firstNumber, firstString, tags, type DicomJsonDataset } from '../shared/dicom-json.ts'
import { DICOMWEB_ROOT, dicomwebPaths } from '../shared/dicomweb-paths.ts'
import { boundaryFromContentType, parseMultipart } from '../shared/multipart-related.ts'
import { CT_PRIOR_STUDY_UID } from './demo-ct-prior.ts'
import { DEMO_DERIVED_STUDIES } from './demo-derived-studies.ts'
import { DEMO_PASSWORD, DEMO_STUDIES, demoDicomDir } from './demo-seed.ts'
import { importDicomFiles } from './dicom-import.ts'
import { startReadingServer, type RunningReadingServer } from './start-reading-server.ts'
import { syntheticStudyFile } from './synthetic-dicom.ts'
import { DB_TEMPLATE_DIR } from './test-database-template.ts'

/** What the test reads straight from a demo file, independently of the server's own parsing. */
interface SourceFile {
  path: string
  bytes: Uint8Array
  studyUid: string
  seriesUid: string
  sopUid: string
  patientId: string
  rows: number
  columns: number
}

function readSource(path: string): SourceFile {
  const bytes = new Uint8Array(readFileSync(path))
  const ds = dicomParser.parseDicom(bytes, { untilTag: 'x7fe00010' })
  return {
    path,
    bytes,
    studyUid: ds.string('x0020000d') ?? '',
    seriesUid: ds.string('x0020000e') ?? '',
    sopUid: ds.string('x00080018') ?? '',
    patientId: ds.string('x00100020') ?? '',
    rows: ds.uint16('x00280010') ?? -1,
    columns: ds.uint16('x00280011') ?? -1,
  }
}

function sourcesOf(key: keyof typeof DEMO_STUDIES): SourceFile[] {
  const out: SourceFile[] = []
  for (const relative of DEMO_STUDIES[key].paths) {
    const path = join(demoDicomDir(), relative)
    const files = relative.includes('.') ? [path] : readdirSync(path).map((name) => join(path, name))
    out.push(...files.map(readSource))
  }
  return out
}


let server: RunningReadingServer
let dataDir: string
const tokens = new Map<string, string>()
/** How far the server's clock runs ahead of the real one: tests move it to expire tokens. */
let clockAheadMs = 0
const mr = sourcesOf('mr-wrist')
const ct = sourcesOf('ct-head')
const ctScout = sourcesOf('ct-head-prior')[0] as SourceFile
const philipsChest = sourcesOf('cr-chest-philips')[0] as SourceFile
const fujiChest = sourcesOf('cr-chest-fuji')[0] as SourceFile

function get(path: string, user = 'reader1'): Promise<Response> {
  const token = tokens.get(user)
  return fetch(`${server.url}${DICOMWEB_ROOT}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} })
}

async function getDicomJson(path: string, user = 'reader1'): Promise<DicomJsonDataset[]> {
  const response = await get(path, user)
  expect(response.status, path).toBe(200)
  expect(response.headers.get('content-type')).toMatch(/^application\/dicom\+json/)
  return dicomJsonListSchema.parse(await response.json())
}

async function expectError(response: Response, status: number, error: string): Promise<void> {
  expect(response.status).toBe(status)
  expect(apiErrorSchema.parse(await response.json()).error).toBe(error)
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'reading-server-dicomweb-'))
  server = await startReadingServer({
    dataDir,
    port: 0,
    seedDemo: true,
    databaseTemplateDir: DB_TEMPLATE_DIR,
    now: () => new Date(Date.now() + clockAheadMs),
  })
  for (const username of ['reader1', 'reader2', 'admin']) tokens.set(username, await login(username))
})

async function login(username: string): Promise<string> {
  const response = await fetch(`${server.url}${apiPaths.login}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  })
  return loginResponseSchema.parse(await response.json()).accessToken
}

function getWithToken(path: string, token: string, method = 'GET'): Promise<Response> {
  return fetch(`${server.url}${DICOMWEB_ROOT}${path}`, { method, headers: { authorization: `Bearer ${token}` } })
}

afterAll(async () => {
  await server?.close()
  await rm(dataDir, { recursive: true, force: true })
})

describe('QIDO-RS', () => {
  it("lists exactly the caller's assigned studies and their priors, and every study for an admin", async () => {
    const worklist = worklistResponseSchema.parse(
      await (await fetch(`${server.url}${apiPaths.worklist}`, { headers: { authorization: `Bearer ${tokens.get('reader1')}` } })).json(),
    )
    const studies = await getDicomJson(dicomwebPaths.studies())
    expect(new Set(studies.map((s) => firstString(s, tags.StudyInstanceUID)))).toEqual(
      new Set(worklist.assignments.flatMap((a) => [a.studyInstanceUid, ...a.priors.map((p) => p.studyInstanceUid)])),
    )
    expect(studies.map((s) => firstString(s, tags.StudyInstanceUID))).not.toContain(philipsChest.studyUid)
    const all = await getDicomJson(dicomwebPaths.studies(), 'admin')
    expect(all).toHaveLength(Object.keys(DEMO_STUDIES).length + Object.keys(DEMO_DERIVED_STUDIES).length)
  })

  it('gives study-level attributes that agree with the files', async () => {
    const [study] = await getDicomJson(`${dicomwebPaths.studies()}?StudyInstanceUID=${mr[0]?.studyUid}`)
    expect(study).toBeDefined()
    const s = study as DicomJsonDataset
    expect(firstString(s, tags.PatientID)).toBe(mr[0]?.patientId)
    expect(s[tags.PatientName]).toEqual({ vr: 'PN', Value: [{ Alphabetic: 'DOE^J1' }] })
    expect(s[tags.ModalitiesInStudy]).toEqual({ vr: 'CS', Value: ['MR'] })
    expect(s[tags.NumberOfStudyRelatedSeries]).toEqual({ vr: 'IS', Value: [1] })
    expect(s[tags.NumberOfStudyRelatedInstances]).toEqual({ vr: 'IS', Value: [mr.length] })
    expect(firstString(s, tags.StudyDate)).toBe('20170716')
  })

  it('matches PatientID, ModalitiesInStudy, StudyDate and UID lists, and pages', async () => {
    const uids = async (query: string) =>
      (await getDicomJson(`${dicomwebPaths.studies()}?${query}`)).map((s) => firstString(s, tags.StudyInstanceUID))
    expect(await uids('PatientID=583295')).toEqual([mr[0]?.studyUid])
    expect(await uids('00100020=583295')).toEqual([mr[0]?.studyUid])
    // newest first: the scout was taken six minutes after the head series, the derived prior a year before
    expect(await uids('ModalitiesInStudy=CT')).toEqual([ctScout.studyUid, ct[0]?.studyUid, CT_PRIOR_STUDY_UID])
    expect(await uids('StudyDate=20170716')).toEqual([mr[0]?.studyUid])
    expect(await uids('StudyDate=20000101')).toEqual([])
    expect(new Set(await uids(`StudyInstanceUID=${mr[0]?.studyUid},${ct[0]?.studyUid}`))).toEqual(
      new Set([mr[0]?.studyUid, ct[0]?.studyUid]),
    )
    const everything = await uids('')
    expect(await uids('limit=2')).toEqual(everything.slice(0, 2))
    expect(await uids('limit=2&offset=2')).toEqual(everything.slice(2, 4))
    await expectError(await get(`${dicomwebPaths.studies()}?limit=-3`), 400, 'bad-request')
  })

  it('lists series and instances with their attributes', async () => {
    const study = mr[0]?.studyUid as string
    const series = await getDicomJson(dicomwebPaths.series(study))
    expect(series).toHaveLength(1)
    const s = series[0] as DicomJsonDataset
    expect(firstString(s, tags.SeriesInstanceUID)).toBe(mr[0]?.seriesUid)
    expect(firstString(s, tags.Modality)).toBe('MR')
    expect(firstNumber(s, tags.SeriesNumber)).toBeTypeOf('number')
    expect(s[tags.NumberOfSeriesRelatedInstances]).toEqual({ vr: 'IS', Value: [mr.length] })

    const instances = await getDicomJson(dicomwebPaths.instances(study, mr[0]?.seriesUid as string))
    expect(instances).toHaveLength(mr.length)
    const bySop = new Map(mr.map((f) => [f.sopUid, f]))
    const numbers = instances.map((i) => firstNumber(i, tags.InstanceNumber) ?? 0)
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b))
    for (const instance of instances) {
      const source = bySop.get(firstString(instance, tags.SOPInstanceUID))
      expect(source).toBeDefined()
      expect(firstNumber(instance, tags.Rows)).toBe(source?.rows)
      expect(firstNumber(instance, tags.Columns)).toBe(source?.columns)
      expect(firstNumber(instance, tags.NumberOfFrames)).toBe(1)
      expect(firstString(instance, tags.SOPClassUID)).toBe('1.2.840.10008.5.1.4.1.1.4')
    }
  })

  it('hides the patient name of anonymised facilities', async () => {
    const [study] = await getDicomJson(`${dicomwebPaths.studies()}?StudyInstanceUID=${fujiChest.studyUid}`)
    expect(firstString(study as DicomJsonDataset, tags.PatientName)).toMatch(/^MHC-[0-9A-F]{6}$/)
    // twice: the second answer comes from the kept instance JSON, and must hide the name as well
    for (let i = 0; i < 2; i++) {
      const metadata = await getDicomJson(dicomwebPaths.studyMetadata(fujiChest.studyUid))
      expect(firstString(metadata[0] as DicomJsonDataset, tags.PatientName)).toMatch(/^MHC-[0-9A-F]{6}$/)
    }
  })
})

describe('WADO-RS', () => {
  it('returns metadata built from the files, one dataset per instance', async () => {
    for (const files of [mr, ct]) {
      const first = files[0] as SourceFile
      const metadata = await getDicomJson(dicomwebPaths.seriesMetadata(first.studyUid, first.seriesUid))
      expect(metadata).toHaveLength(files.length)
      const bySop = new Map(files.map((f) => [f.sopUid, f]))
      for (const dataset of metadata) {
        const source = bySop.get(firstString(dataset, tags.SOPInstanceUID)) as SourceFile
        expect(source).toBeDefined()
        expect(firstString(dataset, tags.StudyInstanceUID)).toBe(source.studyUid)
        expect(firstString(dataset, tags.SeriesInstanceUID)).toBe(source.seriesUid)
        expect(firstString(dataset, tags.PatientID)).toBe(source.patientId)
        expect(firstNumber(dataset, tags.Rows)).toBe(source.rows)
        expect(firstNumber(dataset, tags.Columns)).toBe(source.columns)
        for (const tag of ['00280002', '00280004', '00280100', '00280101', '00280102', '00280103', '00280030', '00200037', tags.TransferSyntaxUID]) {
          expect(dataset[tag], tag).toBeDefined()
        }
      }
    }
    const studyLevel = await getDicomJson(dicomwebPaths.studyMetadata(ct[0]?.studyUid as string))
    expect(studyLevel).toHaveLength(ct.length)
  })

  it('returns each instance byte-identical to the source file in a multipart/related body', async () => {
    const samples = [mr[0], ct[0], ...sourcesOf('us-echo'), ...sourcesOf('mammogram'), fujiChest] as SourceFile[]
    for (const source of samples) {
      const response = await get(dicomwebPaths.instance(source.studyUid, source.seriesUid, source.sopUid))
      expect(response.status, source.path).toBe(200)
      const contentType = response.headers.get('content-type') ?? ''
      expect(contentType).toMatch(/^multipart\/related; type="application\/dicom"; boundary=/)
      const body = new Uint8Array(await response.arrayBuffer())
      expect(Number(response.headers.get('content-length'))).toBe(body.length)
      const parts = parseMultipart(body, boundaryFromContentType(contentType) as string)
      expect(parts).toHaveLength(1)
      expect(parts[0]?.headers['content-type']).toBe('application/dicom')
      expect(Buffer.compare(Buffer.from(parts[0]?.body ?? []), Buffer.from(source.bytes)), source.path).toBe(0)
    }
  })

  it('answers 404 for an instance or series not in the study', async () => {
    const m = mr[0] as SourceFile
    await expectError(await get(dicomwebPaths.instance(m.studyUid, m.seriesUid, '1.2.3.4')), 404, 'not-found')
    await expectError(await get(dicomwebPaths.instance(m.studyUid, ct[0]?.seriesUid as string, m.sopUid)), 404, 'not-found')
    await expectError(await get(dicomwebPaths.seriesMetadata(m.studyUid, '1.2.3.4')), 404, 'not-found')
    await expectError(await get(dicomwebPaths.instances(m.studyUid, '1.2.3.4')), 404, 'not-found')
  })
})

describe('access control', () => {
  it("refuses every DICOMweb request for a study the reader is not assigned, but serves its reader", async () => {
    const s = philipsChest
    const paths = [
      dicomwebPaths.series(s.studyUid),
      dicomwebPaths.instances(s.studyUid, s.seriesUid),
      dicomwebPaths.instance(s.studyUid, s.seriesUid, s.sopUid),
      dicomwebPaths.studyMetadata(s.studyUid),
      dicomwebPaths.seriesMetadata(s.studyUid, s.seriesUid),
    ]
    for (const path of paths) {
      await expectError(await get(path, 'reader1'), 403, 'forbidden')
      expect((await get(path, 'reader2')).status, path).toBe(200)
      expect((await get(path, 'admin')).status, path).toBe(200)
    }
    expect(await getDicomJson(`${dicomwebPaths.studies()}?StudyInstanceUID=${s.studyUid}`)).toEqual([])
  })

  it('does not reveal whether an unassigned study exists', async () => {
    await expectError(await get(dicomwebPaths.series('1.2.3.4.5')), 403, 'forbidden')
    await expectError(await get(dicomwebPaths.series('1.2.3.4.5'), 'admin'), 404, 'not-found')
  })

  it('refuses malformed UIDs and missing tokens', async () => {
    await expectError(await get('/studies/not-a-uid/series'), 400, 'bad-request')
    await expectError(await get(dicomwebPaths.studies(), 'nobody'), 401, 'unauthenticated')
    await expectError(await get(dicomwebPaths.series(mr[0]?.studyUid as string), 'nobody'), 401, 'unauthenticated')
  })
})

describe('remembered access (a few seconds per token and study)', () => {
  const s = philipsChest
  const instancePath = dicomwebPaths.instance(s.studyUid, s.seriesUid, s.sopUid)

  it('refuses a token at once after logout, though it read the study a moment before', async () => {
    const token = await login('reader2')
    expect((await getWithToken(instancePath, token)).status).toBe(200)
    const logout = await fetch(`${server.url}${apiPaths.logout}`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })
    expect(logout.status).toBe(204)
    await expectError(await getWithToken(instancePath, token), 401, 'unauthenticated')
    await expectError(await getWithToken(dicomwebPaths.studyMetadata(s.studyUid), token), 401, 'unauthenticated')
  })

  it('refuses an expired token though its access was just checked', async () => {
    const token = await login('reader2')
    expect((await getWithToken(instancePath, token)).status).toBe(200)
    clockAheadMs = 9 * 60 * 60 * 1000 // past the eight-hour lifetime
    try {
      await expectError(await getWithToken(instancePath, token), 401, 'token-expired')
    } finally {
      clockAheadMs = 0
    }
    expect((await getWithToken(instancePath, token)).status).toBe(200)
  })

  it('grants a study at once when it is assigned, and refuses it at once when the assignment is removed', async () => {
    const reader = await login('reader1')
    await expectError(await getWithToken(instancePath, reader), 403, 'forbidden')
    const created = await fetch(`${server.url}${apiPaths.adminAssignments}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.get('admin')}` },
      body: JSON.stringify({
        studyInstanceUid: s.studyUid,
        username: 'reader1',
        readingType: 'check',
        priority: 'routine',
        dueAt: new Date(Date.now() + 3_600_000).toISOString(),
      }),
    })
    expect(created.status).toBe(201)
    const { id } = assignmentSchema.parse(await created.json())
    expect((await getWithToken(instancePath, reader)).status).toBe(200)
    expect((await getWithToken(dicomwebPaths.studyMetadata(s.studyUid), reader)).status).toBe(200)

    const removed = await fetch(`${server.url}${apiPaths.adminAssignments}/${id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${tokens.get('admin')}` },
    })
    expect(removed.status).toBe(204)
    await expectError(await getWithToken(instancePath, reader), 403, 'forbidden')
    await expectError(await getWithToken(dicomwebPaths.studyMetadata(s.studyUid), reader), 403, 'forbidden')
    // reader2's own assignment is untouched
    expect((await getWithToken(instancePath, tokens.get('reader2') as string)).status).toBe(200)
  })

  it('serves many instances at once, each byte-identical with an exact Content-Length', async () => {
    const sources = [...ct, ...mr, ...sourcesOf('mammogram')]
    const responses = await Promise.all(
      sources.map(async (source) => {
        const response = await get(dicomwebPaths.instance(source.studyUid, source.seriesUid, source.sopUid))
        return { source, response, body: new Uint8Array(await response.arrayBuffer()) }
      }),
    )
    for (const { source, response, body } of responses) {
      expect(response.status, source.path).toBe(200)
      expect(Number(response.headers.get('content-length')), source.path).toBe(body.length)
      const [part] = parseMultipart(body, boundaryFromContentType(response.headers.get('content-type') ?? '') as string)
      expect(Buffer.compare(Buffer.from(part?.body ?? []), Buffer.from(source.bytes)), source.path).toBe(0)
    }
  })

  it('answers HEAD for an instance with the length a GET would send, and no body', async () => {
    const source = ct[0] as SourceFile
    const path = dicomwebPaths.instance(source.studyUid, source.seriesUid, source.sopUid)
    const head = await getWithToken(path, tokens.get('reader1') as string, 'HEAD')
    expect(head.status).toBe(200)
    expect((await head.arrayBuffer()).byteLength).toBe(0)
    const got = await get(path)
    expect(head.headers.get('content-length')).toBe(got.headers.get('content-length'))
    expect((await got.arrayBuffer()).byteLength).toBe(Number(got.headers.get('content-length')))
  })
})

describe('kept instance metadata', () => {
  it('answers the same twice, and follows a file re-imported with other content', async () => {
    const study = { studyInstanceUid: '1.2.826.0.1.3680043.8.498.777', patientId: 'KEPT-1', studyDate: '20240101' }
    const file = join(dataDir, 'kept-metadata.dcm')
    const descriptionNow = async () => {
      const metadata = await getDicomJson(dicomwebPaths.studyMetadata(study.studyInstanceUid), 'admin')
      expect(await getDicomJson(dicomwebPaths.studyMetadata(study.studyInstanceUid), 'admin')).toEqual(metadata)
      return firstString(metadata[0] as DicomJsonDataset, '00081030')
    }
    await writeFile(file, syntheticStudyFile({ ...study, studyDescription: 'FIRST' }))
    expect((await importDicomFiles(server.db, server.storageDir, 'sakura-clinic', [file]))[0]?.ok).toBe(true)
    expect(await descriptionNow()).toBe('FIRST')
    await writeFile(file, syntheticStudyFile({ ...study, studyDescription: 'SECOND' }))
    expect((await importDicomFiles(server.db, server.storageDir, 'sakura-clinic', [file]))[0]?.ok).toBe(true)
    expect(await descriptionNow()).toBe('SECOND')
  })
})
