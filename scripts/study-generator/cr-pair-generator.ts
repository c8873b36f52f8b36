/**
 * A chest CR current/prior pair: two studies of one synthetic patient on different dates, each
 * one instance made from the real uncompressed CR chest file with new identifiers. Both carry
 * the same pixels; what the pair exercises is prior lookup, not image comparison.
 */
import { mkdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { integerStringElement, textElement, uidElement, type DataElement } from './data-element.ts'
import { Tags } from './dicom-tags.ts'
import { readPart10 } from './part10-reader.ts'
import { writePart10File } from './part10-writer.ts'
import { isCopiedFromSource } from './source-element-policy.ts'
import { EXPLICIT_VR_LITTLE_ENDIAN } from './transfer-syntaxes.ts'
import { createUidGenerator } from './uid-generator.ts'

export const DEFAULT_CR_SOURCE_FILE = fileURLToPath(new URL('../../server/demo-data/dicom/cr-chest/gdcm-CR-MONO1-10-chest.dcm', import.meta.url))

export interface CrPairOptions {
  /** Folder for `prior.dcm` and `current.dcm`; created if missing. */
  outDir: string
  seed: string
  /** Defaults to `BENCH^CRPAIR`. */
  patientName?: string
  /** Defaults to `BENCH-CRPAIR`. */
  patientId?: string
  /** DICOM DA dates, YYYYMMDD; default 20230612 and 20240610. */
  priorDate?: string
  currentDate?: string
  sourceFile?: string
}

export interface GeneratedStudy {
  file: string
  bytes: number
  studyInstanceUid: string
  studyDate: string
}

export interface GeneratedPair {
  patientName: string
  patientId: string
  prior: GeneratedStudy
  current: GeneratedStudy
}

/** Left out: the source writes them as "1995.07.20" and "11:22:07", which are not DICOM DA and TM. (Its acquisition date and time are rewritten per study.) */
const DROPPED_TAGS: ReadonlySet<number> = new Set([Tags.InstanceCreationDate, Tags.InstanceCreationTime])

/** Writes the two studies; the same options give the same bytes. */
export async function generateCrPair(options: CrPairOptions): Promise<GeneratedPair> {
  const sourceFile = options.sourceFile ?? DEFAULT_CR_SOURCE_FILE
  const source = readPart10(new Uint8Array(await readFile(sourceFile)), sourceFile)
  if (source.transferSyntaxUid !== EXPLICIT_VR_LITTLE_ENDIAN) throw new Error(`${sourceFile}: CR sources must be uncompressed explicit VR little endian`)
  const patientName = options.patientName ?? 'BENCH^CRPAIR'
  const patientId = options.patientId ?? 'BENCH-CRPAIR'
  const uid = createUidGenerator(`${options.seed}/cr-pair/${patientId}`)
  const dates = { prior: options.priorDate ?? '20230612', current: options.currentDate ?? '20240610' }
  for (const date of Object.values(dates)) if (!/^\d{8}$/.test(date)) throw new Error(`${date} is not a DICOM date (YYYYMMDD)`)
  await mkdir(options.outDir, { recursive: true })

  const writeStudy = async (which: 'prior' | 'current'): Promise<GeneratedStudy> => {
    const date = dates[which]
    const time = '101500'
    const studyInstanceUid = uid(`${which}/study`)
    const dataset = new Map<number, DataElement>()
    for (const element of source.dataset.values()) if (isCopiedFromSource(element, DROPPED_TAGS)) dataset.set(element.tag, element)
    const replacements: DataElement[] = [
      // The source writes its two values with a space instead of a backslash; the copy is derived in any case.
      textElement(Tags.ImageType, 'CS', ['DERIVED', 'PRIMARY']),
      uidElement(Tags.SopInstanceUid, uid(`${which}/instance`)),
      ...[Tags.StudyDate, Tags.SeriesDate, Tags.ContentDate, Tags.AcquisitionDate].map((elementTag) => textElement(elementTag, 'DA', date)),
      ...[Tags.StudyTime, Tags.SeriesTime, Tags.ContentTime, Tags.AcquisitionTime].map((elementTag) => textElement(elementTag, 'TM', time)),
      textElement(Tags.AccessionNumber, 'SH', `BN${uid(`${which}/accession`).slice(-14)}`),
      textElement(Tags.ReferringPhysicianName, 'PN', ''),
      textElement(Tags.StudyDescription, 'LO', `BENCH CR chest PA (${which})`),
      textElement(Tags.SeriesDescription, 'LO', 'CHEST PA'),
      textElement(
        Tags.DerivationDescription,
        'ST',
        `Synthetic benchmark data, not a patient: the ${which} of a current/prior pair, copied with new identifiers from a public CR chest sample by scripts/study-generator.`,
      ),
      textElement(Tags.PatientName, 'PN', patientName),
      textElement(Tags.PatientId, 'LO', patientId),
      textElement(Tags.PatientBirthDate, 'DA', ''),
      textElement(Tags.PatientSex, 'CS', ''),
      uidElement(Tags.StudyInstanceUid, studyInstanceUid),
      uidElement(Tags.SeriesInstanceUid, uid(`${which}/series`)),
      textElement(Tags.StudyId, 'SH', which === 'prior' ? '1' : '2'),
      integerStringElement(Tags.SeriesNumber, 1),
      integerStringElement(Tags.InstanceNumber, 1),
      textElement(Tags.PatientOrientation, 'CS', ''),
    ]
    for (const element of replacements) dataset.set(element.tag, element)
    const file = path.join(options.outDir, `${which}.dcm`)
    const bytes = await writePart10File(file, { transferSyntaxUid: EXPLICIT_VR_LITTLE_ENDIAN, dataset: [...dataset.values()] })
    return { file, bytes, studyInstanceUid, studyDate: date }
  }

  return { patientName, patientId, prior: await writeStudy('prior'), current: await writeStudy('current') }
}
