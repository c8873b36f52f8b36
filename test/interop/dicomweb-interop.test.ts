/**
 * The workstation's DICOMweb client against a real PACS (Orthanc + its DICOMweb plugin) and
 * against the reference reading server, with the same assertions for both: what the servers
 * report must match the files' own tags, and retrieved instances must be the files' bytes.
 */
import { readdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDicomwebClient, type DicomwebClient } from '../../renderer/src/api/dicomweb-client.ts'
import { DEMO_ASSIGNMENTS, DEMO_STUDIES } from '../../server/demo-seed.ts'
import { firstNumber, firstString, tags, type DicomJsonDataset } from '../../shared/dicom-json.ts'
import { startOrthanc, type OrthancProcess } from '../harness/orthanc-process.ts'
import { startReadingServerAs, type ReadingServerSession } from '../harness/reading-server-process.ts'
import { readSourceInstance, sha256, type SourceInstance } from '../harness/source-instance.ts'

const DEMO_DICOM = fileURLToPath(new URL('../../server/demo-data/dicom/', import.meta.url))
const CT_STUDY_UID = '1.3.46.670589.33.1.27492712521914879309.27169771283235650014'
const CT_SLICES = 28
const JPEG_BASELINE = '1.2.840.10008.1.2.4.50'
const JPEG_2000 = '1.2.840.10008.1.2.4.91'

async function readFolder(folder: string, only?: (name: string) => boolean): Promise<SourceInstance[]> {
  const names = (await readdir(DEMO_DICOM + folder)).filter((name) => only?.(name) ?? true).sort()
  return Promise.all(names.map((name) => readSourceInstance(`${DEMO_DICOM}${folder}/${name}`)))
}

const ctInstances = await readFolder('ct-phantom')
// Encapsulated JPEG baseline multi-frame and JPEG 2000: transfer syntaxes a server might transcode.
const otherInstances = [
  ...(await readFolder('us-cine', (name) => name.endsWith('.dcm'))),
  ...(await readFolder('mammogram', (name) => name === 'MG1_J2KI.dcm')),
]
// The demo studies holding those files, which the demo seed assigns to reader1 as well.
const READER1_DEMO_STUDIES = ['ct-head', 'us-echo', 'mammogram'] as const

interface SourceStudy {
  studyInstanceUid: string
  instances: SourceInstance[]
}

function groupByStudy(instances: readonly SourceInstance[]): SourceStudy[] {
  const studies = new Map<string, SourceInstance[]>()
  for (const instance of instances) {
    const list = studies.get(instance.studyInstanceUid) ?? []
    list.push(instance)
    studies.set(instance.studyInstanceUid, list)
  }
  return [...studies].map(([studyInstanceUid, list]) => ({ studyInstanceUid, instances: list }))
}

/** Runs a few requests at a time: enough to overlap latency without queueing the server. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length)
  let next = 0
  async function worker(): Promise<void> {
    for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i] as T)
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

function uidsOf(datasets: readonly DicomJsonDataset[], tag: string): string[] {
  return datasets.map((dataset) => firstString(dataset, tag)).sort()
}

/** SHA-256 of every instance of the study as the server returns it, keyed by SOP Instance UID. */
async function retrieveHashes(client: DicomwebClient, study: SourceStudy): Promise<Map<string, string>> {
  const hashes = await mapLimited(study.instances, 6, async (instance) => {
    const bytes = await client.retrieveInstance(study.studyInstanceUid, instance.seriesInstanceUid, instance.sopInstanceUid)
    return [instance.sopInstanceUid, sha256(bytes)] as const
  })
  return new Map(hashes)
}

/** The assertions every DICOMweb server must pass for the studies it was given. */
function describeConformance(server: () => { client: DicomwebClient; studies: SourceStudy[] }): void {
  it('finds every study with QIDO-RS searchStudies', async () => {
    const { client, studies } = server()
    const found = uidsOf(await client.searchStudies(), tags.StudyInstanceUID)
    for (const study of studies) expect(found).toContain(study.studyInstanceUid)
  })

  it('lists each study\'s series and SOP Instance UIDs exactly as the files hold them', async () => {
    const { client, studies } = server()
    for (const study of studies) {
      const expectedSeries = [...new Set(study.instances.map((i) => i.seriesInstanceUid))].sort()
      const series = await client.searchSeries(study.studyInstanceUid)
      expect(uidsOf(series, tags.SeriesInstanceUID)).toEqual(expectedSeries)

      const sops: string[] = []
      for (const seriesUid of expectedSeries) {
        sops.push(...uidsOf(await client.searchInstances(study.studyInstanceUid, seriesUid), tags.SOPInstanceUID))
      }
      expect(sops.sort()).toEqual(study.instances.map((i) => i.sopInstanceUid).sort())
    }
  })

  it('returns every instance byte-identical to its source file (WADO-RS)', async () => {
    const { client, studies } = server()
    for (const study of studies) {
      const hashes = await retrieveHashes(client, study)
      for (const instance of study.instances) {
        expect(hashes.get(instance.sopInstanceUid), instance.path).toBe(instance.sha256)
      }
    }
  })

  it('returns study metadata whose SOP Instance UIDs, Rows and Columns match the files', async () => {
    const { client, studies } = server()
    for (const study of studies) {
      const metadata = await client.retrieveStudyMetadata(study.studyInstanceUid)
      const actual = metadata
        .map((d) => ({ sop: firstString(d, tags.SOPInstanceUID), rows: firstNumber(d, tags.Rows), columns: firstNumber(d, tags.Columns) }))
        .sort((a, b) => a.sop.localeCompare(b.sop))
      const expected = study.instances
        .map((i) => ({ sop: i.sopInstanceUid, rows: i.rows, columns: i.columns }))
        .sort((a, b) => a.sop.localeCompare(b.sop))
      expect(actual).toEqual(expected)
    }
  })
}

describe('DICOMweb interop', () => {
  let orthanc: OrthancProcess | undefined
  let readingServer: ReadingServerSession | undefined
  const studies = groupByStudy([...ctInstances, ...otherInstances])

  function orthancClient(): DicomwebClient {
    if (!orthanc) throw new Error('Orthanc did not start')
    return createDicomwebClient({ root: orthanc.dicomwebRoot })
  }

  function readingServerClient(): DicomwebClient {
    const session = readingServer
    if (!session) throw new Error('the reading server did not start')
    return createDicomwebClient({ root: session.dicomwebRoot, getToken: () => session.token })
  }

  beforeAll(async () => {
    const [startedOrthanc, startedReadingServer] = await Promise.allSettled([
      startOrthanc().then(async (running) => {
        orthanc = running
        await mapLimited([...ctInstances, ...otherInstances], 4, (instance) => running.uploadFile(instance.path))
      }),
      startReadingServerAs('reader1').then((session) => (readingServer = session)),
    ])
    for (const outcome of [startedOrthanc, startedReadingServer]) {
      if (outcome.status === 'rejected') throw outcome.reason
    }
  })

  afterAll(async () => {
    await Promise.all([orthanc?.stop(), readingServer?.close()])
  })

  it('has the source files it relies on: the 28-slice CT study and two compressed instances', () => {
    expect(ctInstances).toHaveLength(CT_SLICES)
    expect(new Set(ctInstances.map((i) => i.studyInstanceUid))).toEqual(new Set([CT_STUDY_UID]))
    expect(otherInstances.map((i) => i.transferSyntaxUid)).toEqual([JPEG_BASELINE, JPEG_2000])
  })

  it('reads from the reading server only studies the demo seed assigns to reader1', () => {
    const assigned = DEMO_ASSIGNMENTS.filter((a) => a.user === 'reader1').map((a) => a.study)
    expect(assigned).toEqual(expect.arrayContaining([...READER1_DEMO_STUDIES]))
    expect(READER1_DEMO_STUDIES.flatMap((key) => DEMO_STUDIES[key].paths)).toEqual(['ct-phantom', 'us-cine', 'mammogram'])
  })

  describe('Orthanc', () => {
    describeConformance(() => ({ client: orthancClient(), studies }))
  })

  describe('reference reading server (reader1)', () => {
    describeConformance(() => ({ client: readingServerClient(), studies }))
  })

  it('Orthanc and the reading server return byte-identical instances', async () => {
    for (const study of studies) {
      const [fromOrthanc, fromReadingServer] = await Promise.all([
        retrieveHashes(orthancClient(), study),
        retrieveHashes(readingServerClient(), study),
      ])
      expect(fromOrthanc.size).toBe(study.instances.length)
      expect(fromReadingServer).toEqual(fromOrthanc)
    }
  })
})
