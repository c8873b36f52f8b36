/**
 * The per-image attributes the viewer needs before it decodes a pixel (geometry for MPR and
 * synchronised scrolling, laterality and view for hanging protocols, window values for
 * presets), read once from WADO-RS metadata and kept with each cached instance.
 */
import { firstString, type DicomJsonDataset } from '../../../shared/dicom-json.ts'

export interface ImageAttributes {
  rows: number
  columns: number
  /** '' when absent. */
  photometricInterpretation: string
  imagePositionPatient?: [number, number, number]
  imageOrientationPatient?: [number, number, number, number, number, number]
  /** (0028,0030) row, column spacing in mm. */
  pixelSpacing?: [number, number]
  /** (0018,1164) */
  imagerPixelSpacing?: [number, number]
  sliceThickness?: number
  sliceLocation?: number
  frameOfReferenceUid?: string
  /** (0018,1120) degrees */
  gantryTilt?: number
  /** Upper-case, '' when absent. */
  bodyPartExamined?: string
  /** ImageLaterality (0020,0062), else Laterality (0020,0060). */
  laterality?: 'R' | 'L'
  /** (0018,5101) e.g. 'CC', 'MLO', 'PA'. */
  viewPosition?: string
  /** (0020,0020) row direction, column direction, e.g. ['A', 'FR']. */
  patientOrientation?: [string, string]
  /** All values of (0028,1050) and (0028,1051). */
  windowCenter?: number[]
  windowWidth?: number[]
  rescaleSlope?: number
  rescaleIntercept?: number
}

/** The tags read here and nowhere else (the shared list holds the ones the whole app reads). */
const attributeTags = {
  ImageLaterality: '00200062',
  Laterality: '00200060',
  PatientOrientation: '00200020',
  ImageOrientationPatient: '00200037',
  ImagePositionPatient: '00200032',
  FrameOfReferenceUID: '00200052',
  SliceLocation: '00201041',
  SliceThickness: '00180050',
  GantryDetectorTilt: '00181120',
  BodyPartExamined: '00180015',
  ViewPosition: '00185101',
  ImagerPixelSpacing: '00181164',
  Rows: '00280010',
  Columns: '00280011',
  PhotometricInterpretation: '00280004',
  PixelSpacing: '00280030',
  WindowCenter: '00281050',
  WindowWidth: '00281051',
  RescaleIntercept: '00281052',
  RescaleSlope: '00281053',
} as const

/** Every value of a numeric attribute (DS and IS arrive as numbers or as strings), or undefined when any is not a number. */
function numbers(dataset: DicomJsonDataset, tag: string): number[] | undefined {
  const values = dataset[tag]?.Value
  if (!values || values.length === 0) return undefined
  const out = values.map((v) => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN))
  return out.every(Number.isFinite) ? out : undefined
}

/** All values when there are exactly `length` of them. */
function tuple<T extends number[]>(dataset: DicomJsonDataset, tag: string, length: T['length']): T | undefined {
  const values = numbers(dataset, tag)
  return values?.length === length ? (values as T) : undefined
}

function single(dataset: DicomJsonDataset, tag: string): number | undefined {
  return numbers(dataset, tag)?.[0]
}

function trimmed(dataset: DicomJsonDataset, tag: string): string {
  return firstString(dataset, tag).trim()
}

function lateralityOf(dataset: DicomJsonDataset): 'R' | 'L' | undefined {
  // ImageLaterality may say 'B' or 'U' (both, unpaired): then the series-level value cannot help either
  for (const tag of [attributeTags.ImageLaterality, attributeTags.Laterality]) {
    const value = trimmed(dataset, tag).toUpperCase()
    if (value === 'R' || value === 'L') return value
    if (value) return undefined
  }
  return undefined
}

/** Assigns only the values present, so that absent attributes stay absent (not undefined-valued keys) in the database. */
function withDefined<T extends object>(target: T, extra: Partial<T>): T {
  for (const [key, value] of Object.entries(extra)) if (value !== undefined && value !== '') (target as Record<string, unknown>)[key] = value
  return target
}

function patientOrientationOf(dataset: DicomJsonDataset): [string, string] | undefined {
  const values = dataset[attributeTags.PatientOrientation]?.Value ?? []
  // some archives send the DICOM string 'A\\F' as one value instead of two
  const parts = (values.length === 1 ? String(values[0] ?? '').split('\\') : values.map((v) => String(v ?? ''))).map((v) => v.trim().toUpperCase())
  return parts.length === 2 && parts.every((p) => /^[APLRHF]+$/.test(p)) ? [parts[0]!, parts[1]!] : undefined
}

/** Reads an image's attributes from its DICOM JSON metadata; missing or malformed values are left out. */
export function imageAttributesFrom(dataset: DicomJsonDataset): ImageAttributes {
  const windowCenter = numbers(dataset, attributeTags.WindowCenter)
  const windowWidth = numbers(dataset, attributeTags.WindowWidth)
  const attributes: ImageAttributes = {
    rows: single(dataset, attributeTags.Rows) ?? 0,
    columns: single(dataset, attributeTags.Columns) ?? 0,
    photometricInterpretation: trimmed(dataset, attributeTags.PhotometricInterpretation).toUpperCase(),
    bodyPartExamined: trimmed(dataset, attributeTags.BodyPartExamined).toUpperCase(),
  }
  return withDefined(attributes, {
    imagePositionPatient: tuple<[number, number, number]>(dataset, attributeTags.ImagePositionPatient, 3),
    imageOrientationPatient: tuple<[number, number, number, number, number, number]>(dataset, attributeTags.ImageOrientationPatient, 6),
    pixelSpacing: tuple<[number, number]>(dataset, attributeTags.PixelSpacing, 2),
    imagerPixelSpacing: tuple<[number, number]>(dataset, attributeTags.ImagerPixelSpacing, 2),
    sliceThickness: single(dataset, attributeTags.SliceThickness),
    sliceLocation: single(dataset, attributeTags.SliceLocation),
    frameOfReferenceUid: trimmed(dataset, attributeTags.FrameOfReferenceUID),
    gantryTilt: single(dataset, attributeTags.GantryDetectorTilt),
    laterality: lateralityOf(dataset),
    viewPosition: trimmed(dataset, attributeTags.ViewPosition).toUpperCase(),
    patientOrientation: patientOrientationOf(dataset),
    windowCenter,
    windowWidth,
    rescaleSlope: single(dataset, attributeTags.RescaleSlope),
    rescaleIntercept: single(dataset, attributeTags.RescaleIntercept),
  })
}
