/**
 * The DICOM JSON model (PS3.18 F.2) used by QIDO-RS and WADO-RS metadata, and the few
 * tags the workstation reads from it.
 */
import { z } from 'zod'

export const dicomJsonAttributeSchema = z.object({
  vr: z.string().length(2),
  Value: z.array(z.unknown()).optional(),
  InlineBinary: z.string().optional(),
  BulkDataURI: z.string().optional(),
})
export type DicomJsonAttribute = z.infer<typeof dicomJsonAttributeSchema>

/** One dataset: keys are 8-digit upper-case hex tags such as "0020000D". */
export const dicomJsonDatasetSchema = z
  .record(z.string().regex(/^[0-9A-F]{8}$/), dicomJsonAttributeSchema)
  .meta({ id: 'DicomJsonDataset' })
export type DicomJsonDataset = z.infer<typeof dicomJsonDatasetSchema>

export const dicomJsonListSchema = z.array(dicomJsonDatasetSchema).meta({ id: 'DicomJsonList' })

export const tags = {
  SpecificCharacterSet: '00080005',
  SOPClassUID: '00080016',
  SOPInstanceUID: '00080018',
  StudyDate: '00080020',
  StudyTime: '00080030',
  AccessionNumber: '00080050',
  Modality: '00080060',
  ModalitiesInStudy: '00080061',
  InstitutionName: '00080080',
  StudyDescription: '00081030',
  SeriesDescription: '0008103E',
  PatientName: '00100010',
  PatientID: '00100020',
  PatientBirthDate: '00100030',
  PatientSex: '00100040',
  PatientAge: '00101010',
  BodyPartExamined: '00180015',
  SliceThickness: '00180050',
  StudyInstanceUID: '0020000D',
  SeriesInstanceUID: '0020000E',
  StudyID: '00200010',
  SeriesNumber: '00200011',
  InstanceNumber: '00200013',
  ImagePositionPatient: '00200032',
  SliceLocation: '00201041',
  NumberOfStudyRelatedSeries: '00201206',
  NumberOfStudyRelatedInstances: '00201208',
  NumberOfSeriesRelatedInstances: '00201209',
  NumberOfFrames: '00280008',
  Rows: '00280010',
  Columns: '00280011',
  TransferSyntaxUID: '00020010',
} as const

/** The first value of an attribute as a string, or '' when absent. Person names give their Alphabetic part. */
export function firstString(dataset: DicomJsonDataset, tag: string): string {
  const value = dataset[tag]?.Value?.[0]
  if (value === undefined || value === null) return ''
  if (typeof value === 'object' && 'Alphabetic' in value) return String((value as { Alphabetic: unknown }).Alphabetic ?? '')
  return String(value)
}

/** The first value of a numeric attribute, or undefined when absent or not a number. */
export function firstNumber(dataset: DicomJsonDataset, tag: string): number | undefined {
  const value = dataset[tag]?.Value?.[0]
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN
  return Number.isFinite(n) ? n : undefined
}
