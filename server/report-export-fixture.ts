/** Stored checkup reports and their export sources, for the export tests (not used by the server). */
import type { FindingMaster } from '../shared/finding-master.ts'
import type { Measurement } from '../shared/report-annotations.ts'
import { loadDemoMaster } from './demo-seed.ts'
import type { ReportExportSource } from './report-export-source.ts'
import type { ReportImage } from './report-images.ts'

export async function checkupExportSource(): Promise<ReportExportSource> {
  const content = await loadDemoMaster('minato-checkup')
  const master: FindingMaster = { ...content, facilityId: 'minato-checkup', version: 1, frozen: true }
  return {
    report: {
      id: '6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f',
      assignmentId: 'a-1',
      studyInstanceUid: '1.2.826.0.1.3680043.10.99.501',
      readerId: 'u-reader1',
      masterVersion: 1,
      content: {
        masterVersion: 1,
        scale: 'lung-xray',
        findings: [
          { findingCode: 'cx-nodule', bodyPartCode: 'lung-field', laterality: 'R', judgement: 'E', location: '上肺野', size: '15mm', keyImages: [], measurements: [] },
          { findingCode: 'cx-cardiomegaly', bodyPartCode: 'heart', judgement: 'C', location: '心陰影', size: '55%', keyImages: [], measurements: [] },
        ],
        impression: '右上肺野に15mm大の結節影を認めます。\n肺癌の疑いがあり、CTによる精密検査を勧めます。',
        comments: '前年度の画像と比較しました。',
        keyImages: [],
        measurements: [],
      },
      overallJudgement: 'E',
      requiresFurtherExamination: true,
      submittedAt: '2026-03-04T05:06:07.000Z',
    },
    master,
    facilityId: 'minato-checkup',
    facilityName: 'みなと健診センター',
    study: {
      studyInstanceUid: '1.2.826.0.1.3680043.10.99.501',
      patientName: 'MHC-1A2B3C',
      patientId: 'P-0001',
      patientBirthDate: '',
      patientSex: 'F',
      studyDate: '20260301',
      studyTime: '093000',
      studyDescription: '胸部X線 PA',
      accessionNumber: 'ACC-77',
    },
    reader: { id: 'u-reader1', displayName: '読影 太郎' },
    images: new Map(),
  }
}

export const FIXTURE_IMAGES = {
  /** The chest X-ray itself (CR). */
  chest: { sopInstanceUid: '1.2.826.0.1.3680043.10.99.501.1.1', sopClassUid: '1.2.840.10008.5.1.4.1.1.1', seriesInstanceUid: '1.2.826.0.1.3680043.10.99.501.1', studyInstanceUid: '1.2.826.0.1.3680043.10.99.501', numberOfFrames: 1 },
  /** A prior CT slice of the same patient. */
  priorCt: { sopInstanceUid: '1.2.826.0.1.3680043.10.99.400.2.7', sopClassUid: '1.2.840.10008.5.1.4.1.1.2', seriesInstanceUid: '1.2.826.0.1.3680043.10.99.400.2', studyInstanceUid: '1.2.826.0.1.3680043.10.99.400', numberOfFrames: 1 },
  /** A multi-frame image of the study. */
  cine: { sopInstanceUid: '1.2.826.0.1.3680043.10.99.501.3.1', sopClassUid: '1.2.840.10008.5.1.4.1.1.3.1', seriesInstanceUid: '1.2.826.0.1.3680043.10.99.501.3', studyInstanceUid: '1.2.826.0.1.3680043.10.99.501', numberOfFrames: 12 },
} as const satisfies Record<string, ReportImage>

const on = (image: ReportImage) => ({ sopInstanceUid: image.sopInstanceUid, seriesInstanceUid: image.seriesInstanceUid })
const geometry = { viewPlaneNormal: [0, 0, 1] as [number, number, number], viewUp: [0, -1, 0] as [number, number, number] }

export const FIXTURE_MEASUREMENTS: Measurement[] = [
  { id: 'ann-length', kind: 'length', ...on(FIXTURE_IMAGES.chest), ...geometry, points: [[10, 20, 0], [25.2, 20, 0]], values: { length: 15.2 }, lengthUnit: 'mm', label: '結節' },
  { id: 'ann-roi', kind: 'ellipse', ...on(FIXTURE_IMAGES.priorCt), ...geometry, points: [[0, 0, 0], [10, 0, 0], [5, 4, 0], [5, -4, 0]], values: { area: 31.4, mean: 41.25, stdDev: 3.5, min: 30, max: 52 }, lengthUnit: 'mm', intensityUnit: 'HU' },
  { id: 'ann-angle', kind: 'angle', ...on(FIXTURE_IMAGES.chest), ...geometry, points: [[0, 0, 0], [10, 0, 0], [10, 10, 0]], values: { angle: 35.5 } },
  { id: 'ann-px', kind: 'length', ...on(FIXTURE_IMAGES.cine), frame: 4, ...geometry, points: [[0, 0, 0], [120, 0, 0]], values: { length: 120 }, lengthUnit: 'px' },
  { id: 'ann-probe', kind: 'probe', ...on(FIXTURE_IMAGES.priorCt), ...geometry, points: [[3, 3, 0]], values: { value: -998 }, intensityUnit: 'HU' },
]

/**
 * The checkup report with key images (one a frame of a multi-frame image) and measurements on
 * the study and on a prior; the nodule finding links the length and the ROI, and has the chest as its key image.
 */
export async function annotatedExportSource(): Promise<ReportExportSource> {
  const source = await checkupExportSource()
  const content = source.report.content
  const [nodule, ...others] = content.findings
  return {
    ...source,
    report: {
      ...source.report,
      content: {
        ...content,
        findings: [{ ...nodule!, keyImages: [FIXTURE_IMAGES.chest.sopInstanceUid], measurements: ['ann-length', 'ann-roi'] }, ...others],
        keyImages: [on(FIXTURE_IMAGES.chest), { ...on(FIXTURE_IMAGES.cine), frame: 4 }, on(FIXTURE_IMAGES.priorCt)],
        measurements: FIXTURE_MEASUREMENTS,
      },
    },
    images: new Map(Object.values(FIXTURE_IMAGES).map((image) => [image.sopInstanceUid, image])),
  }
}
