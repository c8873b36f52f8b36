/** A stored checkup report and its export source, for the export tests (not used by the server). */
import type { FindingMaster } from '../shared/finding-master.ts'
import { loadDemoMaster } from './demo-seed.ts'
import type { ReportExportSource } from './report-export-source.ts'

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
  }
}
