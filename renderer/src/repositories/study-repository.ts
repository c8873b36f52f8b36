/**
 * The one place that combines the DICOMweb client with the local cache: brings a study's
 * instances into IndexedDB (only those not already there) and reads them back for the viewer.
 */
import { firstNumber, firstString, tags, type DicomJsonDataset } from '../../../shared/dicom-json.ts'
import type { DicomwebClient } from '../api/dicomweb-client.ts'
import type { CachedInstance, CachedSeries, WorkstationDb } from '../cache/workstation-db.ts'
import { compareInstances, slicePositionAlongNormal } from './slice-order.ts'

export interface CacheProgress {
  totalInstances: number
  cachedInstances: number
  cachedBytes: number
}

export interface SeriesWithInstances {
  series: CachedSeries
  /** In display order. */
  instances: CachedInstance[]
}

export interface CacheStudyOptions {
  client: DicomwebClient
  db: WorkstationDb
  serverUrl: string
  studyInstanceUid: string
  onProgress?: (progress: CacheProgress) => void
  signal?: AbortSignal
  /** Parallel instance downloads. */
  concurrency?: number
}

function numbers(dataset: DicomJsonDataset, tag: string): number[] | undefined {
  const values = dataset[tag]?.Value
  if (!values) return undefined
  const out = values.map(Number)
  return out.every(Number.isFinite) ? out : undefined
}

/** Splits a study's WADO-RS metadata into series and instance records. */
export function indexStudyMetadata(studyInstanceUid: string, metadata: readonly DicomJsonDataset[]): SeriesWithInstances[] {
  const bySeries = new Map<string, SeriesWithInstances>()
  for (const item of metadata) {
    const seriesUid = firstString(item, tags.SeriesInstanceUID)
    const sopUid = firstString(item, tags.SOPInstanceUID)
    if (!seriesUid || !sopUid) continue
    let entry = bySeries.get(seriesUid)
    if (!entry) {
      entry = {
        series: {
          seriesInstanceUid: seriesUid,
          studyInstanceUid,
          modality: firstString(item, tags.Modality),
          seriesNumber: firstNumber(item, tags.SeriesNumber) ?? 0,
          description: firstString(item, tags.SeriesDescription),
          instanceCount: 0,
        },
        instances: [],
      }
      bySeries.set(seriesUid, entry)
    }
    const instanceNumber = firstNumber(item, tags.InstanceNumber) ?? 0
    const position = slicePositionAlongNormal(numbers(item, '00200037'), numbers(item, tags.ImagePositionPatient))
    entry.instances.push({
      sopInstanceUid: sopUid,
      seriesInstanceUid: seriesUid,
      studyInstanceUid,
      sopClassUid: firstString(item, tags.SOPClassUID),
      instanceNumber,
      sortKey: position ?? instanceNumber,
      numberOfFrames: firstNumber(item, tags.NumberOfFrames) ?? 1,
      byteLength: 0,
    })
  }
  const result = [...bySeries.values()]
  for (const entry of result) {
    entry.instances.sort(compareInstances)
    entry.series.instanceCount = entry.instances.length
  }
  return result.sort((a, b) => a.series.seriesNumber - b.series.seriesNumber)
}

/** Runs `worker` over `items` with at most `limit` in flight; the first failure stops new work and is thrown. */
async function runLimited<T>(items: readonly T[], limit: number, worker: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  let failure: unknown
  async function lane(): Promise<void> {
    while (failure === undefined && next < items.length) {
      const item = items[next++] as T
      try {
        await worker(item)
      } catch (error) {
        failure ??= error
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane))
  if (failure !== undefined) throw failure
}

/**
 * Makes sure every instance of the study is in the local cache and returns its series in
 * display order. Instances already cached are not fetched again, so an interrupted
 * download resumes where it stopped.
 */
export async function cacheStudy(options: CacheStudyOptions): Promise<SeriesWithInstances[]> {
  const { client, db, studyInstanceUid, onProgress, signal } = options
  const metadata = await client.retrieveStudyMetadata(studyInstanceUid)
  const seriesList = indexStudyMetadata(studyInstanceUid, metadata)
  const allInstances = seriesList.flatMap((s) => s.instances)

  const present = new Set(await db.instanceBlobs.where('sopInstanceUid').anyOf(allInstances.map((i) => i.sopInstanceUid)).primaryKeys())
  const knownSizes = new Map((await db.instances.bulkGet(allInstances.map((i) => i.sopInstanceUid))).flatMap((i) => (i ? [[i.sopInstanceUid, i.byteLength] as const] : [])))
  for (const instance of allInstances) instance.byteLength = present.has(instance.sopInstanceUid) ? (knownSizes.get(instance.sopInstanceUid) ?? 0) : 0

  const progress: CacheProgress = {
    totalInstances: allInstances.length,
    cachedInstances: present.size,
    cachedBytes: allInstances.reduce((sum, i) => sum + i.byteLength, 0),
  }
  const writeStudyRecord = () =>
    db.studies.put({
      studyInstanceUid,
      serverUrl: options.serverUrl,
      instanceCount: progress.totalInstances,
      cachedInstanceCount: progress.cachedInstances,
      cachedBytes: progress.cachedBytes,
      complete: progress.cachedInstances === progress.totalInstances,
      updatedAt: Date.now(),
    })

  await db.transaction('rw', [db.studies, db.series, db.instances], async () => {
    await db.series.bulkPut(seriesList.map((s) => s.series))
    await db.instances.bulkPut(allInstances)
    await writeStudyRecord()
  })
  onProgress?.({ ...progress })

  const missing = allInstances.filter((i) => !present.has(i.sopInstanceUid))
  await runLimited(missing, options.concurrency ?? 4, async (instance) => {
    signal?.throwIfAborted()
    const bytes = await client.retrieveInstance(studyInstanceUid, instance.seriesInstanceUid, instance.sopInstanceUid, signal)
    instance.byteLength = bytes.byteLength
    await db.transaction('rw', [db.instanceBlobs, db.instances], async () => {
      await db.instanceBlobs.put({ sopInstanceUid: instance.sopInstanceUid, bytes: new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/dicom' }) })
      await db.instances.update(instance.sopInstanceUid, { byteLength: bytes.byteLength })
    })
    progress.cachedInstances += 1
    progress.cachedBytes += bytes.byteLength
    onProgress?.({ ...progress })
  })
  await writeStudyRecord()
  return seriesList
}

/** The Part-10 bytes of a cached instance; throws when it is not in the cache. */
export async function readCachedInstance(db: WorkstationDb, sopInstanceUid: string): Promise<ArrayBuffer> {
  const record = await db.instanceBlobs.get(sopInstanceUid)
  if (!record) throw new Error(`instance ${sopInstanceUid} is not in the local cache`)
  return record.bytes.arrayBuffer()
}
