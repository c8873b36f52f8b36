/**
 * A screening mammogram in the four standard views (RCC, LCC, RMLO, LMLO) at the real
 * mammogram's full size (4664×3064, 12 bits), uncompressed or JPEG 2000 lossless: the NEMA
 * WG04 MG1 left MLO, decoded once, is the left views as it is and the right views mirrored (so
 * every view hangs with the nipple toward the centre without a viewer flip, and its Patient
 * Orientation says so). CC and MLO of one side carry the same pixels: the set exercises
 * sizes, codecs and the four-view hanging, not image reading. Identifiers are new and
 * deterministic from the seed.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { decimalStringElement, integerStringElement, readText, readUnsignedShort, textElement, uidElement, unsignedShortElement, type DataElement } from './data-element.ts'
import { Tags } from './dicom-tags.ts'
import { encapsulateFrames, readFragments } from './encapsulated-frames.ts'
import { bitsStoredOf, littleEndianWords, mirrorHorizontally, subsample, type GreyImage } from './grey-image.ts'
import { decodeJpeg2000, encodeJpeg2000Lossless } from './openjpeg-codec.ts'
import { readPart10 } from './part10-reader.ts'
import { encodePart10, sequenceElement } from './part10-writer.ts'
import { isCopiedFromSource } from './source-element-policy.ts'
import { EXPLICIT_VR_LITTLE_ENDIAN, isEncapsulated, JPEG_2000_LOSSLESS } from './transfer-syntaxes.ts'
import { createUidGenerator } from './uid-generator.ts'

export const DEFAULT_MAMMO_SOURCE_FILE = fileURLToPath(new URL('../../server/demo-data/dicom/mammogram/MG1_J2KI.dcm', import.meta.url))
export const DIGITAL_MAMMOGRAPHY_FOR_PRESENTATION = '1.2.840.10008.5.1.4.1.1.1.2'

export type MammoEncoding = 'uncompressed' | 'jpeg2000'

export interface MammoSource {
  file: string
  /** Top-level elements of the source file, to copy from. */
  dataset: Map<number, DataElement>
  image: GreyImage
}

export interface MammoView {
  name: 'RCC' | 'LCC' | 'RMLO' | 'LMLO'
  laterality: 'R' | 'L'
  view: 'CC' | 'MLO'
  /** The right views are the source mirrored. */
  mirrored: boolean
  /** Patient Orientation (0020,0020) of the pixels as written: along a row, down a column. */
  patientOrientation: readonly [string, string]
}

/**
 * The source is a left MLO with the chest wall at the left edge: rows run toward anterior
 * (the nipple), columns toward the feet. Mirrored, rows run toward posterior. A CC view's top
 * is the lateral side, so its columns run toward the medial side: the patient's left for the
 * right breast, right for the left.
 */
export const MAMMO_VIEWS: readonly MammoView[] = [
  { name: 'RCC', laterality: 'R', view: 'CC', mirrored: true, patientOrientation: ['P', 'L'] },
  { name: 'LCC', laterality: 'L', view: 'CC', mirrored: false, patientOrientation: ['A', 'R'] },
  { name: 'RMLO', laterality: 'R', view: 'MLO', mirrored: true, patientOrientation: ['P', 'F'] },
  { name: 'LMLO', laterality: 'L', view: 'MLO', mirrored: false, patientOrientation: ['A', 'F'] },
]

export interface MammoFourViewOptions {
  /** Folder for RCC.dcm, LCC.dcm, RMLO.dcm and LMLO.dcm; created if missing. */
  outDir: string
  seed: string
  encoding: MammoEncoding
  /** Defaults to `BENCH^MG4` (uncompressed) or `BENCH^MG4J2K`. */
  patientName?: string
  /** Defaults to `BENCH-MG4` or `BENCH-MG4-J2K`: two patients, so neither set is taken for the other's prior. */
  patientId?: string
  /** Keep every n-th pixel (quick test data); default 1, the full size. */
  subsampling?: number
  /** A source already loaded (decoding it takes a second). */
  source?: MammoSource
  sourceFile?: string
}

export interface GeneratedMammoStudy {
  dir: string
  files: number
  bytes: number
  patientName: string
  patientId: string
  studyInstanceUid: string
  rows: number
  columns: number
}

/** Source-file elements not carried over: Secondary Capture's own, the film digitiser's dates, and remarks about the source's compression. */
const DROPPED_TAGS: ReadonlySet<number> = new Set([
  Tags.InstanceCreationDate,
  Tags.InstanceCreationTime,
  0x00080014, // Instance Creator UID
  0x00080064, // Conversion Type (Secondary Capture)
  0x00181012, // Date of Secondary Capture
  0x00181016, // Secondary Capture Device Manufacturer
  0x00280008, // Number of Frames (the mammography IOD is single-frame)
  Tags.ImageComments,
])

const STUDY_DATE = '20240610'
const STUDY_TIME = '093000'
/** The source film was digitised at 50 µm (its Spatial Resolution). */
const SOURCE_PIXEL_SPACING_MM = 0.05

/** Reads the source file and decodes its one frame (JPEG 2000, or native 16-bit words). */
export async function loadMammoSource(file: string = DEFAULT_MAMMO_SOURCE_FILE): Promise<MammoSource> {
  const part10 = readPart10(new Uint8Array(await readFile(file)), file)
  const { dataset } = part10
  const text = (elementTag: number) => {
    const element = dataset.get(elementTag)
    return element ? readText(element) : ''
  }
  if (text(Tags.PhotometricInterpretation) !== 'MONOCHROME2') throw new Error(`${file}: a MONOCHROME2 source is needed`)
  const pixelData = dataset.get(Tags.PixelData)
  if (!pixelData) throw new Error(`${file} has no pixel data`)
  let image: GreyImage
  if (isEncapsulated(part10.transferSyntaxUid)) {
    const fragments = readFragments(pixelData.value)
    const codestream = new Uint8Array(fragments.reduce((sum, fragment) => sum + fragment.length, 0))
    let offset = 0
    for (const fragment of fragments) {
      codestream.set(fragment, offset)
      offset += fragment.length
    }
    image = await decodeJpeg2000(codestream)
  } else {
    const unsigned = (elementTag: number) => {
      const element = dataset.get(elementTag)
      if (!element) throw new Error(`${file}: no ${elementTag.toString(16)}`)
      return readUnsignedShort(element)
    }
    if (unsigned(Tags.BitsAllocated) !== 16) throw new Error(`${file}: a native source must have 16 bits allocated`)
    const pixels = new Uint16Array(unsigned(Tags.Rows) * unsigned(Tags.Columns))
    if (pixelData.value.length < pixels.length * 2) throw new Error(`${file}: pixel data is shorter than one frame`)
    new Uint8Array(pixels.buffer).set(pixelData.value.subarray(0, pixels.length * 2))
    image = { width: unsigned(Tags.Columns), height: unsigned(Tags.Rows), maxValue: 2 ** unsigned(0x00280101) - 1, pixels }
  }
  return { file, dataset, image }
}

const code = (value: string, meaning: string): DataElement[] => [
  textElement(0x00080100, 'SH', value),
  textElement(0x00080102, 'SH', 'SCT'),
  textElement(0x00080104, 'LO', meaning),
]

// SNOMED CT codes of CID 4014 (View for Mammography)
const VIEW_CODES = { CC: ['399162004', 'cranio-caudal'], MLO: ['399368009', 'medio-lateral oblique'] } as const

/** What the Digital Mammography X-Ray Image IOD asks beyond the source's attributes, true of a film digitised at 50 µm. */
function mammographyElements(view: MammoView, pixelSpacing: number): DataElement[] {
  const [viewCode, viewMeaning] = VIEW_CODES[view.view]
  return [
    uidElement(Tags.SopClassUid, DIGITAL_MAMMOGRAPHY_FOR_PRESENTATION),
    textElement(Tags.Modality, 'CS', 'MG'),
    textElement(0x00080068, 'CS', 'FOR PRESENTATION'),
    sequenceElement(0x00082218, [code('76752008', 'Breast')]),
    decimalStringElement(0x00181164, [pixelSpacing, pixelSpacing]),
    textElement(0x00181508, 'CS', 'MAMMOGRAPHIC'),
    textElement(0x00185101, 'CS', view.view),
    textElement(0x00187004, 'CS', 'FILM'),
    textElement(Tags.PatientOrientation, 'CS', [...view.patientOrientation]),
    textElement(0x00200060, 'CS', view.laterality),
    textElement(0x00200062, 'CS', view.laterality),
    // the film's label is in the pixels
    textElement(0x00280301, 'CS', 'YES'),
    // digitised film: values follow optical density, higher means less exposure
    textElement(0x00281040, 'CS', 'LOG'),
    { tag: 0x00281041, vr: 'SS', value: Uint8Array.of(0xff, 0xff) },
    decimalStringElement(Tags.RescaleIntercept, [0]),
    decimalStringElement(Tags.RescaleSlope, [1]),
    textElement(0x00281054, 'LO', 'US'),
    // the source's pixels went through lossy JPEG 2000 once (its Lossy Image Compression 01 is copied)
    textElement(0x00282114, 'CS', 'ISO_15444_1'),
    textElement(0x00400318, 'CS', 'BREAST'),
    sequenceElement(0x00400555, []),
    sequenceElement(0x00540220, [[...code(viewCode, viewMeaning), sequenceElement(0x00540222, [])]]),
    textElement(0x20500020, 'CS', 'IDENTITY'),
  ]
}

/** Writes the four views and returns what was written. Files are identical for the same options, byte for byte. */
export async function generateMammoFourView(options: MammoFourViewOptions): Promise<GeneratedMammoStudy> {
  const source = options.source ?? (await loadMammoSource(options.sourceFile))
  const subsampling = options.subsampling ?? 1
  const left = subsample(source.image, subsampling)
  const right = mirrorHorizontally(left)
  const j2k = options.encoding === 'jpeg2000'
  const patientName = options.patientName ?? (j2k ? 'BENCH^MG4J2K' : 'BENCH^MG4')
  const patientId = options.patientId ?? (j2k ? 'BENCH-MG4-J2K' : 'BENCH-MG4')
  const uid = createUidGenerator(`${options.seed}/mammo-four-view/${options.encoding}/${subsampling}/${patientId}`)
  const studyInstanceUid = uid('study')
  const transferSyntaxUid = j2k ? JPEG_2000_LOSSLESS : EXPLICIT_VR_LITTLE_ENDIAN
  // two distinct images: the left views share one, the right views the other
  const [leftPixels, rightPixels] = await Promise.all(
    [left, right].map(async (image): Promise<DataElement> =>
      j2k
        ? { tag: Tags.PixelData, vr: 'OB', value: encapsulateFrames([await encodeJpeg2000Lossless(image)]), encapsulated: true }
        : { tag: Tags.PixelData, vr: 'OW', value: littleEndianWords(image) },
    ),
  )
  const sourceSop = source.dataset.get(Tags.SopInstanceUid)
  const sourceClass = source.dataset.get(Tags.SopClassUid)
  const description = j2k ? 'JPEG 2000 lossless' : 'uncompressed'

  await mkdir(options.outDir, { recursive: true })
  let bytes = 0
  for (const [index, view] of MAMMO_VIEWS.entries()) {
    const dataset = new Map<number, DataElement>()
    for (const element of source.dataset.values()) if (isCopiedFromSource(element, DROPPED_TAGS)) dataset.set(element.tag, element)
    const elements: DataElement[] = [
      ...mammographyElements(view, SOURCE_PIXEL_SPACING_MM * subsampling),
      textElement(Tags.ImageType, 'CS', ['DERIVED', 'PRIMARY']),
      uidElement(Tags.SopInstanceUid, uid(`instance/${view.name}`)),
      ...[Tags.StudyDate, Tags.SeriesDate, Tags.ContentDate, Tags.AcquisitionDate].map((elementTag) => textElement(elementTag, 'DA', STUDY_DATE)),
      ...[Tags.StudyTime, Tags.SeriesTime, Tags.ContentTime, Tags.AcquisitionTime].map((elementTag) => textElement(elementTag, 'TM', STUDY_TIME)),
      textElement(Tags.AccessionNumber, 'SH', `BN${uid('accession').slice(-14)}`),
      textElement(Tags.ReferringPhysicianName, 'PN', ''),
      textElement(Tags.StudyDescription, 'LO', `BENCH MG four-view (${description})`),
      textElement(Tags.SeriesDescription, 'LO', `${view.laterality} ${view.view}`),
      textElement(
        Tags.DerivationDescription,
        'ST',
        `Synthetic benchmark data, not a four-view examination: the NEMA WG04 MG1 left MLO (a digitised film, once JPEG 2000 lossy) ${view.mirrored ? 'mirrored left to right ' : ''}as the ${view.name} view, ${description}, by scripts/study-generator. Its burned-in label reads L MLO${view.mirrored ? ', mirrored' : ''}.`,
      ),
      ...(sourceSop && sourceClass ? [sequenceElement(0x00082112, [[uidElement(0x00081150, readText(sourceClass)), uidElement(0x00081155, readText(sourceSop))]])] : []),
      textElement(Tags.PatientName, 'PN', patientName),
      textElement(Tags.PatientId, 'LO', patientId),
      textElement(Tags.PatientBirthDate, 'DA', ''),
      textElement(Tags.PatientSex, 'CS', 'F'),
      uidElement(Tags.StudyInstanceUid, studyInstanceUid),
      uidElement(Tags.SeriesInstanceUid, uid(`series/${view.name}`)),
      textElement(Tags.StudyId, 'SH', '1'),
      integerStringElement(Tags.SeriesNumber, index + 1),
      integerStringElement(Tags.InstanceNumber, 1),
      unsignedShortElement(Tags.SamplesPerPixel, 1),
      textElement(Tags.PhotometricInterpretation, 'CS', 'MONOCHROME2'),
      unsignedShortElement(Tags.Rows, left.height),
      unsignedShortElement(Tags.Columns, left.width),
      unsignedShortElement(Tags.BitsAllocated, 16),
      unsignedShortElement(0x00280101, bitsStoredOf(left)),
      unsignedShortElement(0x00280102, bitsStoredOf(left) - 1),
      unsignedShortElement(Tags.PixelRepresentation, 0),
      view.mirrored ? rightPixels! : leftPixels!,
    ]
    for (const element of elements) dataset.set(element.tag, element)
    const file = encodePart10({ transferSyntaxUid, dataset: [...dataset.values()] })
    await writeFile(path.join(options.outDir, `${view.name}.dcm`), file)
    bytes += file.length
  }
  return { dir: options.outDir, files: MAMMO_VIEWS.length, bytes, patientName, patientId, studyInstanceUid, rows: left.height, columns: left.width }
}
