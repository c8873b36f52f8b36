/**
 * The fields of one DICOM file that the database indexes, at study, series and instance level.
 */
import { tags } from '../shared/dicom-json.ts'
import { DicomParseError, type ParsedDicom } from './dicom-part10.ts'

export interface StudyRecord {
  studyInstanceUid: string
  patientId: string
  /** The raw DICOM PN, component groups and carets included. */
  patientName: string
  patientSex: string
  patientAge: string
  patientBirthDate: string
  studyDate: string
  studyTime: string
  studyDescription: string
  accessionNumber: string
  bodyPart: string
  specificCharacterSet: string
}

export interface SeriesRecord {
  seriesInstanceUid: string
  modality: string
  seriesNumber: number | null
  seriesDescription: string
  bodyPart: string
}

export interface InstanceRecord {
  sopInstanceUid: string
  sopClassUid: string
  instanceNumber: number | null
  transferSyntaxUid: string
  rows: number | null
  columns: number | null
  numberOfFrames: number
}

export interface DicomIndexRecord {
  study: StudyRecord
  series: SeriesRecord
  instance: InstanceRecord
}

/** UIDs are used in file paths and URLs, so anything but digits and dots is refused outright. */
const UID_PATTERN = /^[0-9]+(\.[0-9]+)*$/

function integerOrNull(text: string): number | null {
  const n = Number.parseInt(text, 10)
  return Number.isFinite(n) ? n : null
}

/** Extracts the indexed fields; throws DicomParseError naming the first missing or malformed UID. */
export function indexRecordOf(parsed: ParsedDicom): DicomIndexRecord {
  const uid = (tag: string, name: string, group: string): string => {
    const value = parsed.text(tag, 'UI')
    if (value === '') throw new DicomParseError(`missing ${name} (${group})`)
    if (value.length > 64 || !UID_PATTERN.test(value)) throw new DicomParseError(`malformed ${name} ${JSON.stringify(value)}`)
    return value
  }
  const studyInstanceUid = uid(tags.StudyInstanceUID, 'StudyInstanceUID', '0020,000D')
  const seriesInstanceUid = uid(tags.SeriesInstanceUID, 'SeriesInstanceUID', '0020,000E')
  const sopInstanceUid = uid(tags.SOPInstanceUID, 'SOPInstanceUID', '0008,0018')
  const bodyPart = parsed.text(tags.BodyPartExamined, 'CS')
  const first = (tag: string, vr: string) => parsed.binaryNumbers(tag, vr)[0] ?? null
  return {
    study: {
      studyInstanceUid,
      patientId: parsed.text(tags.PatientID, 'LO'),
      patientName: parsed.text(tags.PatientName, 'PN'),
      patientSex: parsed.text(tags.PatientSex, 'CS'),
      patientAge: parsed.text(tags.PatientAge, 'AS'),
      patientBirthDate: parsed.text(tags.PatientBirthDate, 'DA'),
      studyDate: parsed.text(tags.StudyDate, 'DA'),
      studyTime: parsed.text(tags.StudyTime, 'TM'),
      studyDescription: parsed.text(tags.StudyDescription, 'LO'),
      accessionNumber: parsed.text(tags.AccessionNumber, 'SH'),
      bodyPart,
      specificCharacterSet: parsed.text(tags.SpecificCharacterSet, 'CS'),
    },
    series: {
      seriesInstanceUid,
      modality: parsed.text(tags.Modality, 'CS'),
      seriesNumber: integerOrNull(parsed.text(tags.SeriesNumber, 'IS')),
      seriesDescription: parsed.text(tags.SeriesDescription, 'LO'),
      bodyPart,
    },
    instance: {
      sopInstanceUid,
      sopClassUid: parsed.text(tags.SOPClassUID, 'UI'),
      instanceNumber: integerOrNull(parsed.text(tags.InstanceNumber, 'IS')),
      transferSyntaxUid: parsed.text(tags.TransferSyntaxUID, 'UI'),
      rows: first(tags.Rows, 'US'),
      columns: first(tags.Columns, 'US'),
      numberOfFrames: integerOrNull(parsed.text(tags.NumberOfFrames, 'IS')) ?? 1,
    },
  }
}
