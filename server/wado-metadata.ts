/**
 * WADO-RS metadata: DICOM JSON built from the stored files themselves (headers only), with
 * the facility's patient display policy applied to the patient name. Each instance's JSON is
 * kept in an InstanceJsonCache, so only the first request for a study reads its files.
 */
import { join } from 'node:path'
import { tags, type DicomJsonDataset } from '../shared/dicom-json.ts'
import type { Queryable } from './database.ts'
import { buildDicomJson, jsonAttribute } from './dicom-json-builder.ts'
import { readDicomHeader } from './dicom-part10.ts'
import type { InstanceJsonCache } from './instance-json-cache.ts'
import { visiblePatientName } from './patient-display.ts'
import type { StudyAccess } from './study-access.ts'

// Reading a few headers at once keeps the disk busy without opening hundreds of files together.
const PARALLEL_READS = 8

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await fn(items[index] as T)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

/**
 * Metadata of every instance of a study, or of one series in it, in series then instance order,
 * as the JSON text of the response body (a DICOM JSON array).
 */
export async function studyMetadataJson(
  db: Queryable,
  storageDir: string,
  cache: InstanceJsonCache,
  access: StudyAccess,
  seriesUid?: string,
): Promise<string> {
  const params: unknown[] = [access.studyInstanceUid]
  if (seriesUid !== undefined) params.push(seriesUid)
  const { rows } = await db.query<{ sop_instance_uid: string; sha256: string; file_path: string; patient_name: string }>(
    `select i.sop_instance_uid, i.sha256, i.file_path, s.patient_name
       from instances i
       join series se on se.series_instance_uid = i.series_instance_uid
       join studies s on s.study_instance_uid = se.study_instance_uid
      where se.study_instance_uid = $1 ${seriesUid !== undefined ? 'and se.series_instance_uid = $2' : ''}
      order by se.series_number nulls last, se.series_instance_uid, i.instance_number nulls last, i.sop_instance_uid`,
    params,
  )
  const datasets = await mapLimited(rows, PARALLEL_READS, async (row) => {
    let json = cache.get(row.sop_instance_uid, row.sha256)
    if (json === undefined) {
      json = JSON.stringify(buildDicomJson(await readDicomHeader(join(storageDir, row.file_path))))
      cache.set(row.sop_instance_uid, row.sha256, json)
    }
    if (access.patientDisplayPolicy !== 'anonymised') return json
    const dataset = JSON.parse(json) as DicomJsonDataset
    dataset[tags.PatientName] = jsonAttribute('PN', [
      visiblePatientName(access.patientDisplayPolicy, access.anonymisedPrefix, row.patient_name, access.studyInstanceUid),
    ])
    return JSON.stringify(dataset)
  })
  return `[${datasets.join(',')}]`
}
