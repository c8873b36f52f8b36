/**
 * Japanese names from files to DICOMweb: the character-set fixtures (ISO 2022 IR 87, IR 13 with
 * IR 87, UTF-8) are imported, and QIDO-RS, WADO-RS metadata and the worklist must give their
 * names and descriptions as Unicode, the PN split into its three component groups.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import dicomParser from 'dicom-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiPaths, loginResponseSchema, worklistResponseSchema, type Assignment } from '../shared/api-contract.ts'
import { dicomJsonListSchema, tags, type DicomJsonDataset } from '../shared/dicom-json.ts'
import { DICOMWEB_ROOT, dicomwebPaths } from '../shared/dicomweb-paths.ts'
import { importDicomFiles, type ImportReportEntry } from './dicom-import.ts'
import { upsertFacility } from './facility-repository.ts'
import { startReadingServer, type RunningReadingServer } from './start-reading-server.ts'
import { DB_TEMPLATE_DIR } from './test-database-template.ts'
import { createUser } from './user-repository.ts'

const FIXTURES = fileURLToPath(new URL('../test/fixtures/character-sets/', import.meta.url))
const PASSWORD = 'character-sets-test-password'

interface Fixture {
  file: string
  /** Read from the file with dicom-parser, independently of the server's parsing. */
  studyUid: string
  seriesUid: string
  patientName: { Alphabetic: string; Ideographic: string; Phonetic: string }
  patientDisplay: string
  studyDescription: string
  institutionName: string
}

function fixture(file: string, expected: Omit<Fixture, 'file' | 'studyUid' | 'seriesUid'>): Fixture {
  const ds = dicomParser.parseDicom(new Uint8Array(readFileSync(`${FIXTURES}${file}`)), { untilTag: 'x7fe00010' })
  return { file, studyUid: ds.string('x0020000d') ?? '', seriesUid: ds.string('x0020000e') ?? '', ...expected }
}

const FIXTURE_LIST: readonly Fixture[] = [
  fixture('ir87.dcm', {
    patientName: { Alphabetic: 'Yamada^Tarou', Ideographic: '山田^太郎', Phonetic: 'やまだ^たろう' },
    patientDisplay: '山田 太郎 (Yamada Tarou)',
    studyDescription: '頭部 MRI',
    institutionName: 'さくら病院',
  }),
  fixture('ir13.dcm', {
    patientName: { Alphabetic: 'ﾔﾏﾀﾞ^ﾀﾛｳ', Ideographic: '山田^太郎', Phonetic: 'やまだ^たろう' },
    patientDisplay: '山田 太郎 (ﾔﾏﾀﾞ ﾀﾛｳ)',
    studyDescription: 'ﾄｳﾌﾞ 頭部 MRI',
    institutionName: 'ｻｸﾗ 病院',
  }),
  fixture('utf8.dcm', {
    patientName: { Alphabetic: 'Suzuki^Hanako', Ideographic: '鈴木^花子', Phonetic: 'すずき^はなこ' },
    patientDisplay: '鈴木 花子 (Suzuki Hanako)',
    studyDescription: '頭部 MRI',
    institutionName: 'さくら病院',
  }),
]

let server: RunningReadingServer
let report: ImportReportEntry[]
const tokens = new Map<string, string>()

async function login(username: string): Promise<string> {
  const response = await fetch(`${server.url}${apiPaths.login}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  })
  return loginResponseSchema.parse(await response.json()).accessToken
}

async function getDicomJson(path: string): Promise<DicomJsonDataset[]> {
  const response = await fetch(`${server.url}${DICOMWEB_ROOT}${path}`, { headers: { authorization: `Bearer ${tokens.get('admin')}` } })
  expect(response.status, path).toBe(200)
  return dicomJsonListSchema.parse(await response.json())
}

beforeAll(async () => {
  server = await startReadingServer({ dataDir: null, port: 0, databaseTemplateDir: DB_TEMPLATE_DIR })
  await upsertFacility(server.db, { id: 'tokyo', name: '東京クリニック', patientDisplayPolicy: 'named', anonymisedPrefix: '' })
  await createUser(server.db, { username: 'admin', displayName: '管理者', role: 'admin', password: PASSWORD })
  await createUser(server.db, { username: 'reader', displayName: '読影 太郎', role: 'reader', password: PASSWORD })
  report = await importDicomFiles(server.db, server.storageDir, 'tokyo', FIXTURE_LIST.map((f) => `${FIXTURES}${f.file}`))
  for (const username of ['admin', 'reader']) tokens.set(username, await login(username))
})

afterAll(async () => {
  await server?.close()
})

describe('the character-set fixtures', () => {
  it('hold the PS3.5 H.3.1 and H.3.2 names byte for byte', () => {
    const patientNameBytes = (file: string) => {
      const bytes = new Uint8Array(readFileSync(`${FIXTURES}${file}`))
      const element = dicomParser.parseDicom(bytes, { untilTag: 'x7fe00010' }).elements.x00100010!
      return Buffer.from(bytes.subarray(element.dataOffset, element.dataOffset + element.length)).toString('hex')
    }
    const listing = (hex: string) => hex.replace(/\s+/g, '').toLowerCase()
    expect(patientNameBytes('ir87.dcm')).toBe(
      listing(`59 61 6D 61 64 61 5E 54 61 72 6F 75 3D 1B 24 42 3B 33 45 44 1B 28 42 5E 1B 24 42 42 40 4F 3A 1B 28 42 3D
               1B 24 42 24 64 24 5E 24 40 1B 28 42 5E 1B 24 42 24 3F 24 6D 24 26 1B 28 42`),
    )
    expect(patientNameBytes('ir13.dcm')).toBe(
      listing(`D4 CF C0 DE 5E C0 DB B3 3D 1B 24 42 3B 33 45 44 1B 28 4A 5E 1B 24 42 42 40 4F 3A 1B 28 4A 3D
               1B 24 42 24 64 24 5E 24 40 1B 28 4A 5E 1B 24 42 24 3F 24 6D 24 26 1B 28 4A`),
    )
  })

  it('import without error', () => {
    expect(report.map((r) => [r.ok, r.error])).toEqual(FIXTURE_LIST.map(() => [true, undefined]))
    expect(report.map((r) => r.studyInstanceUid)).toEqual(FIXTURE_LIST.map((f) => f.studyUid))
  })
})

describe.each(FIXTURE_LIST)('$file through DICOMweb', (f) => {
  it('QIDO-RS gives the name in its three component groups and the description in Unicode', async () => {
    const [study] = await getDicomJson(`${dicomwebPaths.studies()}?StudyInstanceUID=${f.studyUid}`)
    expect(study?.[tags.PatientName]).toEqual({ vr: 'PN', Value: [f.patientName] })
    expect(study?.[tags.StudyDescription]).toEqual({ vr: 'LO', Value: [f.studyDescription] })
  })

  it('WADO-RS metadata gives the same text and declares UTF-8', async () => {
    const [instance] = await getDicomJson(dicomwebPaths.seriesMetadata(f.studyUid, f.seriesUid))
    expect(instance?.[tags.PatientName]).toEqual({ vr: 'PN', Value: [f.patientName] })
    expect(instance?.[tags.StudyDescription]).toEqual({ vr: 'LO', Value: [f.studyDescription] })
    expect(instance?.[tags.InstitutionName]).toEqual({ vr: 'LO', Value: [f.institutionName] })
    expect(instance?.[tags.SpecificCharacterSet]).toEqual({ vr: 'CS', Value: ['ISO_IR 192'] })
  })
})

describe('the worklist', () => {
  it('shows the ideographic name with its reading, and the description', async () => {
    for (const f of FIXTURE_LIST) {
      const response = await fetch(`${server.url}${apiPaths.adminAssignments}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.get('admin')}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          studyInstanceUid: f.studyUid,
          username: 'reader',
          readingType: 'first',
          priority: 'routine',
          dueAt: new Date(Date.now() + 3_600_000).toISOString(),
        }),
      })
      expect(response.status, await response.clone().text()).toBeLessThan(300)
    }
    const worklist = worklistResponseSchema.parse(
      await (await fetch(`${server.url}${apiPaths.worklist}`, { headers: { authorization: `Bearer ${tokens.get('reader')}` } })).json(),
    )
    const byStudy = new Map<string, Assignment>(worklist.assignments.map((a) => [a.studyInstanceUid, a]))
    for (const f of FIXTURE_LIST) {
      expect(byStudy.get(f.studyUid)).toMatchObject({ patientDisplay: f.patientDisplay, studyDescription: f.studyDescription })
    }
  })
})
