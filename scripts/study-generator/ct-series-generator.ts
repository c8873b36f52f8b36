/**
 * A CT study of one axial series with any number of 512×512 slices, derived from the real
 * 28-slice phantom: slices are linearly interpolated between their two nearest source slices
 * (see slice-geometry.ts for where they lie), every identifier is new and deterministic from
 * the seed, and everything else is copied from the nearest source slice.
 */
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  decimalStringElement,
  formatDecimalString,
  integerStringElement,
  readTextValues,
  textElement,
  uidElement,
  type DataElement,
} from './data-element.ts'
import { loadCtSourceSeries, type CtSourceSeries } from './ct-source-series.ts'
import { Tags } from './dicom-tags.ts'
import { encodePart10 } from './part10-writer.ts'
import { interpolateSlice } from './slice-interpolation.ts'
import { planSlices } from './slice-geometry.ts'
import { isCopiedFromSource } from './source-element-policy.ts'
import { EXPLICIT_VR_LITTLE_ENDIAN } from './transfer-syntaxes.ts'
import { createUidGenerator } from './uid-generator.ts'
import { createWriteQueue } from './write-queue.ts'

export const DEFAULT_CT_SOURCE_DIR = fileURLToPath(new URL('../../server/demo-data/dicom/ct-phantom', import.meta.url))

export interface CtSeriesOptions {
  /** Folder the slices are written to, as `1.dcm` … `<sliceCount>.dcm`; created if missing. */
  outDir: string
  sliceCount: number
  seed: string
  /** Defaults to `BENCH^CT<sliceCount>`. */
  patientName?: string
  /** Defaults to `BENCH-CT<sliceCount>`. */
  patientId?: string
  /** A source series already loaded, to share between several sizes. */
  source?: CtSourceSeries
  /** Defaults to the phantom in server/demo-data. */
  sourceDir?: string
}

export interface GeneratedSeries {
  dir: string
  files: number
  bytes: number
  patientName: string
  patientId: string
  studyInstanceUid: string
  seriesInstanceUid: string
  /** Slice spacing and thickness, mm. */
  spacing: number
}

/** Public source elements not carried over: they name other instances or the source's own reconstruction, and would dangle or mislead in the new study. */
const DROPPED_TAGS: ReadonlySet<number> = new Set([
  // The phantom's scout and its MPPS: neither exists in the generated study.
  Tags.ReferencedImageSequence,
  Tags.ReferencedPerformedProcedureStepSequence,
  // Names the source's 5 mm reconstruction, which the generated slices are not.
  Tags.ImageComments,
])

/** Writes the series and returns what was written. Files are identical for the same options, byte for byte. */
export async function generateCtSeries(options: CtSeriesOptions): Promise<GeneratedSeries> {
  const { sliceCount, seed } = options
  const source = options.source ?? (await loadCtSourceSeries(options.sourceDir ?? DEFAULT_CT_SOURCE_DIR))
  const patientName = options.patientName ?? `BENCH^CT${sliceCount}`
  const patientId = options.patientId ?? `BENCH-CT${sliceCount}`
  const plan = planSlices(source.slices, source.orientation, sliceCount)

  // The patient is part of every UID name, so two patients generated with one seed do not share UIDs.
  const uid = createUidGenerator(`${seed}/ct/${sliceCount}/${patientId}`)
  const studyInstanceUid = uid('study')
  const seriesInstanceUid = uid('series')
  const spacing = formatDecimalString(plan.spacing)
  const sourceImageType = source.slices[0]?.dataset.get(Tags.ImageType)
  // The same in every slice of the series.
  const seriesElements: DataElement[] = [
    // Interpolated pixels are derived, not acquired (PS3.3 C.7.6.1.1.2).
    textElement(Tags.ImageType, 'CS', ['DERIVED', 'SECONDARY', ...(sourceImageType ? readTextValues(sourceImageType).slice(2) : ['AXIAL'])]),
    textElement(Tags.AccessionNumber, 'SH', `BN${uid('accession').slice(-14)}`),
    textElement(Tags.StudyDescription, 'LO', `BENCH CT ${sliceCount} slices`),
    textElement(Tags.SeriesDescription, 'LO', `${sliceCount} x ${spacing} mm interpolated`),
    textElement(
      Tags.DerivationDescription,
      'ST',
      `Synthetic benchmark data, not a patient: linearly interpolated to ${sliceCount} slices at ${spacing} mm from a ${source.slices.length}-slice CT phantom series by scripts/study-generator.`,
    ),
    textElement(Tags.PatientName, 'PN', patientName),
    textElement(Tags.PatientId, 'LO', patientId),
    decimalStringElement(Tags.SliceThickness, [plan.spacing]),
    decimalStringElement(Tags.SpacingBetweenSlices, [plan.spacing]),
    uidElement(Tags.StudyInstanceUid, studyInstanceUid),
    uidElement(Tags.SeriesInstanceUid, seriesInstanceUid),
    uidElement(Tags.FrameOfReferenceUid, uid('frame-of-reference')),
  ]

  await mkdir(options.outDir, { recursive: true })
  const queue = createWriteQueue(8)
  let bytes = 0
  for (const [index, planned] of plan.slices.entries()) {
    const lower = source.slices[planned.lowerSource]
    const upper = source.slices[planned.lowerSource + 1]
    if (!lower || !upper) throw new Error(`internal error: no source slices around slice ${index + 1}`)
    const pixels = source.signed ? new Int16Array(source.rows * source.columns) : new Uint16Array(source.rows * source.columns)
    interpolateSlice(lower.pixels, upper.pixels, planned.fraction, pixels)

    const dataset = new Map<number, DataElement>()
    const nearest = planned.fraction < 0.5 ? lower : upper
    for (const element of nearest.dataset.values()) if (isCopiedFromSource(element, DROPPED_TAGS)) dataset.set(element.tag, element)
    const sliceElements: DataElement[] = [
      uidElement(Tags.SopInstanceUid, uid(`instance/${index + 1}`)),
      integerStringElement(Tags.InstanceNumber, index + 1),
      decimalStringElement(Tags.ImagePositionPatient, planned.position),
      { tag: Tags.PixelData, vr: 'OW', value: new Uint8Array(pixels.buffer) },
    ]
    if (planned.sliceLocation !== undefined) sliceElements.push(decimalStringElement(Tags.SliceLocation, [planned.sliceLocation]))
    for (const element of [...seriesElements, ...sliceElements]) dataset.set(element.tag, element)

    const file = encodePart10({ transferSyntaxUid: EXPLICIT_VR_LITTLE_ENDIAN, dataset: [...dataset.values()] })
    bytes += file.length
    await queue.write(path.join(options.outDir, `${index + 1}.dcm`), file)
  }
  await queue.drain()
  return { dir: options.outDir, files: sliceCount, bytes, patientName, patientId, studyInstanceUid, seriesInstanceUid, spacing: plan.spacing }
}
