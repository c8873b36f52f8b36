/**
 * The peer path's data, as OHIF Viewer v3 reads it from a DICOMweb server: QIDO-RS for the
 * study list, series and priors; WADO-RS series metadata (DICOM JSON) for every instance,
 * registered with the DICOM image loader's wadors metadata manager; `wadors:` image IDs, one
 * per frame, that make the loader fetch each frame with WADO-RS when it is shown. Nothing is
 * kept between page loads. Part of the benchmark's peer page only, never of the workstation.
 */
import { wadors } from '@cornerstonejs/dicom-image-loader'

/** DICOM JSON (PS3.18 F.2), as QIDO-RS and WADO-RS metadata answer. */
export type DicomJson = Record<string, { vr: string; Value?: unknown[] } | undefined>

export interface PeerStudySummary {
  studyInstanceUid: string
  patientId: string
  patientName: string
  studyDate: string
  modalities: string[]
  description: string
}

export interface PeerSeries {
  seriesInstanceUid: string
  modality: string
  seriesNumber: number
  /** Sorted as OHIF sorts a stack: by Instance Number. */
  imageIds: string[]
  instances: DicomJson[]
}

export interface PeerStudy {
  studyInstanceUid: string
  series: PeerSeries[]
}

const first = (json: DicomJson, tag: string): unknown => json[tag]?.Value?.[0]
const text = (json: DicomJson, tag: string): string => {
  const value = first(json, tag)
  if (value && typeof value === 'object' && 'Alphabetic' in value) return String((value as { Alphabetic: unknown }).Alphabetic)
  return value === undefined ? '' : String(value)
}
const number = (json: DicomJson, tag: string): number => Number(first(json, tag) ?? 0)

async function getJson(url: string): Promise<DicomJson[]> {
  const response = await fetch(url, { headers: { accept: 'application/dicom+json' } })
  if (!response.ok) throw new Error(`GET ${url}: ${response.status}`)
  // QIDO answers 204 or an empty body when nothing matches
  const body = await response.text()
  return body ? (JSON.parse(body) as DicomJson[]) : []
}

function summary(json: DicomJson): PeerStudySummary {
  return {
    studyInstanceUid: text(json, '0020000D'),
    patientId: text(json, '00100020'),
    patientName: text(json, '00100010'),
    studyDate: text(json, '00080020'),
    modalities: (json['00080061']?.Value ?? []).map(String),
    description: text(json, '00081030'),
  }
}

/** Every study the server holds (the study list), or those of one patient (priors). */
export async function searchStudies(root: string, patientId?: string): Promise<PeerStudySummary[]> {
  const query = new URLSearchParams({ includefield: '00081030,00080061' })
  if (patientId) query.set('PatientID', patientId)
  return (await getJson(`${root}/studies?${query}`)).map(summary)
}

/** A study's series with their instances' metadata, registered for the image loader. */
export async function loadStudy(root: string, studyInstanceUid: string): Promise<PeerStudy> {
  const absoluteRoot = new URL(root, location.href).href.replace(/\/$/, '')
  const seriesList = await getJson(`${root}/studies/${studyInstanceUid}/series`)
  const series = await Promise.all(
    seriesList.map(async (seriesJson): Promise<PeerSeries> => {
      const seriesInstanceUid = text(seriesJson, '0020000E')
      const instances = await getJson(`${root}/studies/${studyInstanceUid}/series/${seriesInstanceUid}/metadata`)
      instances.sort((a, b) => number(a, '00200013') - number(b, '00200013'))
      const imageIds = instances.flatMap((instance) => {
        const base = `wadors:${absoluteRoot}/studies/${studyInstanceUid}/series/${seriesInstanceUid}/instances/${text(instance, '00080018')}/frames/`
        const frames = Math.max(1, number(instance, '00280008'))
        return Array.from({ length: frames }, (_, frame) => {
          const imageId = `${base}${frame + 1}`
          wadors.metaDataManager.add(imageId, instance as never)
          return imageId
        })
      })
      return { seriesInstanceUid, modality: text(seriesJson, '00080060'), seriesNumber: number(seriesJson, '00200011'), imageIds, instances }
    }),
  )
  series.sort((a, b) => a.seriesNumber - b.seriesNumber)
  return { studyInstanceUid, series }
}

/** The laterality and view of a mammogram ("RCC", "LMLO"), from its first instance. */
export function mammoViewOf(series: PeerSeries): string {
  const instance = series.instances[0]
  return instance ? `${text(instance, '00200062')}${text(instance, '00185101')}` : ''
}
