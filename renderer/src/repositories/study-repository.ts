/**
 * The one place that combines the DICOMweb client with the local cache's study tables:
 * indexes a study's metadata and says which of its instances are still missing.
 */
import { firstNumber, firstString, tags, type DicomJsonDataset } from '../../../shared/dicom-json.ts'
import type { DicomwebClient } from '../api/dicomweb-client.ts'
import type { CachedInstance, CachedSeries, WorkstationDb } from '../cache/workstation-db.ts'
import { imageAttributesFrom } from './image-attributes.ts'
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
    const attributes = imageAttributesFrom(item)
    const position = slicePositionAlongNormal(attributes.imageOrientationPatient, attributes.imagePositionPatient)
    entry.instances.push({
      sopInstanceUid: sopUid,
      seriesInstanceUid: seriesUid,
      studyInstanceUid,
      sopClassUid: firstString(item, tags.SOPClassUID),
      instanceNumber,
      sortKey: position ?? instanceNumber,
      numberOfFrames: firstNumber(item, tags.NumberOfFrames) ?? 1,
      byteLength: 0,
      attributes,
    })
  }
  const result = [...bySeries.values()]
  for (const entry of result) {
    entry.instances.sort(compareInstances)
    entry.series.instanceCount = entry.instances.length
  }
  return result.sort((a, b) => a.series.seriesNumber - b.series.seriesNumber)
}

export interface StudyPlan {
  series: SeriesWithInstances[]
  /** Instances not yet in the cache, in display order, series by series. */
  missing: CachedInstance[]
}

/**
 * What the cache holds of a study and what it still lacks. A study already complete in
 * the cache is answered from it alone (no network, so it works offline); otherwise its
 * metadata is fetched (WADO-RS) and indexed.
 */
export async function planStudy(client: DicomwebClient, db: WorkstationDb, serverUrl: string, studyInstanceUid: string): Promise<StudyPlan> {
  const known = await db.studies.get(studyInstanceUid)
  if (known?.complete) return { series: await listCachedSeries(db, studyInstanceUid), missing: [] }

  const seriesList = indexStudyMetadata(studyInstanceUid, await client.retrieveStudyMetadata(studyInstanceUid))
  const allInstances = seriesList.flatMap((s) => s.instances)
  const uids = allInstances.map((i) => i.sopInstanceUid)
  const present = new Set(await db.instanceBlobs.where('sopInstanceUid').anyOf(uids).primaryKeys())
  const stored = new Map((await db.instances.bulkGet(uids)).flatMap((i) => (i ? [[i.sopInstanceUid, i.byteLength] as const] : [])))
  for (const instance of allInstances) instance.byteLength = present.has(instance.sopInstanceUid) ? (stored.get(instance.sopInstanceUid) ?? 0) : 0

  await db.transaction('rw', [db.studies, db.series, db.instances], async () => {
    await db.series.bulkPut(seriesList.map((s) => s.series))
    await db.instances.bulkPut(allInstances)
    const cachedInstanceCount = present.size
    await db.studies.put({
      ...known,
      studyInstanceUid,
      serverUrl,
      instanceCount: allInstances.length,
      cachedInstanceCount,
      cachedBytes: allInstances.reduce((sum, i) => sum + i.byteLength, 0),
      complete: cachedInstanceCount === allInstances.length,
      updatedAt: Date.now(),
      needed: 1,
      submittedAt: undefined,
    })
  })
  return { series: seriesList, missing: allInstances.filter((i) => !present.has(i.sopInstanceUid)) }
}

/** The series of a study as indexed in the cache, in display order; empty when it was never indexed. */
export async function listCachedSeries(db: WorkstationDb, studyInstanceUid: string): Promise<SeriesWithInstances[]> {
  const [series, instances] = await Promise.all([
    db.series.where('studyInstanceUid').equals(studyInstanceUid).toArray(),
    db.instances.where('studyInstanceUid').equals(studyInstanceUid).toArray(),
  ])
  const bySeries = new Map(series.map((s) => [s.seriesInstanceUid, { series: s, instances: [] as CachedInstance[] }]))
  for (const instance of instances) bySeries.get(instance.seriesInstanceUid)?.instances.push(instance)
  const result = [...bySeries.values()]
  for (const entry of result) entry.instances.sort(compareInstances)
  return result.sort((a, b) => a.series.seriesNumber - b.series.seriesNumber)
}
