/**
 * The one check every DICOM Part-10 file passes before a parser or a decoder sees it, on the
 * server's import and in the viewer's parse worker alike. It reads headers only, never copies
 * a value, and says what the file is: an image the viewer can show, a non-image object (SR,
 * KOS, waveform, presentation state… skipped without error), or a file refused with a code
 * and a reason a person can read.
 */
import { DicomSafetyError, describeThrown, type DicomSafetyCode } from './dicom-safety-error.ts'
import { formatBytes, inflateRawBounded } from './dicom-safety-inflate.ts'
import { asciiValue, readFileMeta } from './dicom-safety-meta.ts'
import { rleProblem } from './dicom-safety-rle.ts'
import { isNonImageSopClass } from './dicom-safety-sop-class.ts'
import { transferSyntaxLabel, transferSyntaxOf, type TransferSyntax } from './dicom-safety-transfer-syntax.ts'
import { walkDataSet, type ElementRef, type Encoding, type FragmentRef, type ImplicitVrLookup, type WalkedDataSet } from './dicom-safety-walker.ts'

export interface DicomSafetyLimits {
  /** The largest file one instance may be. */
  maxFileBytes: number
  /** A deflated data set may inflate to max(minInflateAllowance, maxInflateRatio × its deflated size), and never beyond maxInflatedBytes. */
  maxInflatedBytes: number
  minInflateAllowance: number
  maxInflateRatio: number
  maxSequenceDepth: number
  maxElements: number
  /** Memory one decoded frame may take. */
  maxFrameBytes: number
  maxFrames: number
}

export const DEFAULT_DICOM_SAFETY_LIMITS: DicomSafetyLimits = {
  maxFileBytes: 1024 ** 3,
  // deflate takes medical images to a half or a fifth of their size; a blank image far further,
  // which the 32 MB floor covers. Past these a stream is a bomb, refused after inflating at most
  // the allowance (a 4 MB stream of 4 GB of zeros: 40 MB, a few hundred milliseconds)
  maxInflatedBytes: 256 * 1024 ** 2,
  minInflateAllowance: 32 * 1024 ** 2,
  maxInflateRatio: 10,
  // SR content trees are the deepest real data sets; a dozen levels is already unusual
  maxSequenceDepth: 32,
  // an enhanced multi-frame CT of a few thousand frames has a few hundred thousand elements
  maxElements: 1_000_000,
  // 16k × 16k RGB at 8 bits is 768 MB; no modality's single frame comes near 256 MB
  maxFrameBytes: 256 * 1024 ** 2,
  maxFrames: 50_000,
}

interface Accepted {
  transferSyntax: TransferSyntax
  sopClassUid: string
  sopInstanceUid: string
  /** Where the data set starts (after the File Meta Information). */
  dataSetOffset: number
  /** The data set inflated, when the file was deflated (the parsers then read these bytes). */
  inflatedDataSet?: Uint8Array
  elementCount: number
}

export interface DicomImage extends Accepted {
  kind: 'image'
  rows: number
  columns: number
  frames: number
  samplesPerPixel: number
  bitsAllocated: number
  photometricInterpretation: string
  /** Bytes one decoded frame takes. */
  frameBytes: number
  /** Encapsulated pixel data: the fragments (without the offset table). */
  fragments?: FragmentRef[]
}

export interface DicomNonImage extends Accepted {
  kind: 'non-image'
  /** Why it is not an image: its SOP class, or no Pixel Data. */
  because: 'sop-class' | 'no-pixel-data'
}

export interface DicomRejected {
  kind: 'rejected'
  code: DicomSafetyCode
  reason: string
}

export type DicomSafetyResult = DicomImage | DicomNonImage | DicomRejected

const TAG = {
  sopClassUid: 0x00080016,
  sopInstanceUid: 0x00080018,
  samplesPerPixel: 0x00280002,
  photometricInterpretation: 0x00280004,
  numberOfFrames: 0x00280008,
  rows: 0x00280010,
  columns: 0x00280011,
  bitsAllocated: 0x00280100,
  bitsStored: 0x00280101,
  pixelRepresentation: 0x00280103,
}
const WANTED = new Set(Object.values(TAG))
const RLE_LOSSLESS = '1.2.840.10008.1.2.5'

const ENCODING: Record<TransferSyntax['encoding'], Encoding> = {
  'implicit-little': { explicit: false, littleEndian: true },
  'explicit-little': { explicit: true, littleEndian: true },
  'explicit-big': { explicit: true, littleEndian: false },
}

const reject = (code: DicomSafetyCode, reason: string): DicomRejected => ({ kind: 'rejected', code, reason })

export interface DicomSafetyOptions {
  /** The VR the parser that comes next takes for an element the file gives none (implicit VR, UN). */
  implicitVr?: ImplicitVrLookup
}

/**
 * Checks a Part-10 file and says what it is. Never throws: whatever goes wrong becomes a
 * `rejected` result with a code and a reason.
 */
export async function checkPart10(bytes: Uint8Array, limits: DicomSafetyLimits = DEFAULT_DICOM_SAFETY_LIMITS, options: DicomSafetyOptions = {}): Promise<DicomSafetyResult> {
  try {
    return await classify(bytes, limits, options)
  } catch (error) {
    if (error instanceof DicomSafetyError) return reject(error.code, error.message)
    // a fault of this check itself: still a typed answer, never an exception
    return reject('parse-failed', `the file could not be checked (${describeThrown(error)})`)
  }
}

async function classify(bytes: Uint8Array, limits: DicomSafetyLimits, options: DicomSafetyOptions): Promise<DicomSafetyResult> {
  if (bytes.length > limits.maxFileBytes) return reject('too-large', `the file is ${formatBytes(bytes.length)}; one instance may be at most ${formatBytes(limits.maxFileBytes)}`)
  const meta = readFileMeta(bytes)
  const transferSyntax = transferSyntaxOf(meta.transferSyntaxUid)
  if (!transferSyntax) return reject('unknown-transfer-syntax', `unknown transfer syntax ${meta.transferSyntaxUid}`)

  let dataSet = bytes
  let start = meta.end
  let inflatedDataSet: Uint8Array | undefined
  if (transferSyntax.deflated) {
    const deflated = bytes.subarray(meta.end)
    const allowance = Math.min(limits.maxInflatedBytes, Math.max(limits.minInflateAllowance, deflated.length * limits.maxInflateRatio))
    inflatedDataSet = await inflateRawBounded(deflated, allowance)
    dataSet = inflatedDataSet
    start = 0
  }
  const walked = walkDataSet(dataSet, start, ENCODING[transferSyntax.encoding], transferSyntax.encapsulated, limits, WANTED, options.implicitVr)
  const values = valueReader(dataSet, walked, ENCODING[transferSyntax.encoding].littleEndian)

  const accepted: Accepted = {
    transferSyntax,
    sopClassUid: meta.mediaStorageSopClassUid || values.text(TAG.sopClassUid),
    sopInstanceUid: values.text(TAG.sopInstanceUid),
    dataSetOffset: meta.end,
    elementCount: walked.elementCount,
    ...(inflatedDataSet ? { inflatedDataSet } : {}),
  }
  if (isNonImageSopClass(accepted.sopClassUid)) return { kind: 'non-image', because: 'sop-class', ...accepted }
  if (!walked.pixelData) return { kind: 'non-image', because: 'no-pixel-data', ...accepted }
  if (!transferSyntax.supported) return reject('unsupported-transfer-syntax', `${transferSyntaxLabel(transferSyntax.uid)} is not supported`)
  return checkPixels(accepted, dataSet, ENCODING[transferSyntax.encoding].littleEndian, walked, values, limits)
}

interface ValueReader {
  text(tag: number): string
  /** A US value; undefined when absent or not two bytes. */
  us(tag: number): number | undefined
}

function valueReader(bytes: Uint8Array, walked: WalkedDataSet, littleEndian: boolean): ValueReader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const ref = (tag: number): ElementRef | undefined => walked.elements.get(tag)
  return {
    text(tag) {
      const found = ref(tag)
      // only short strings are read: a long "UID" is not one
      return found && found.length <= 1024 ? asciiValue(bytes, found.offset, found.length) : ''
    },
    us(tag) {
      const found = ref(tag)
      return found && found.length === 2 ? view.getUint16(found.offset, littleEndian) : undefined
    },
  }
}

function checkPixels(
  accepted: Accepted,
  bytes: Uint8Array,
  littleEndian: boolean,
  walked: WalkedDataSet,
  values: ValueReader,
  limits: DicomSafetyLimits,
): DicomImage | DicomRejected {
  const rows = values.us(TAG.rows)
  const columns = values.us(TAG.columns)
  const bitsAllocated = values.us(TAG.bitsAllocated)
  const bitsStored = values.us(TAG.bitsStored)
  const samplesPerPixel = values.us(TAG.samplesPerPixel) ?? 1
  const pixelRepresentation = values.us(TAG.pixelRepresentation) ?? 0
  const photometricInterpretation = values.text(TAG.photometricInterpretation)
  const framesText = values.text(TAG.numberOfFrames)
  const frames = framesText === '' ? 1 : /^[+]?\d{1,9}$/.test(framesText) ? Number(framesText) : NaN

  const invalid = (what: string) => reject('pixel-module-invalid', `the image's ${what}`)
  if (!rows || !columns) return invalid(`Rows (0028,0010) and Columns (0028,0011) must both be present and above zero (they are ${rows ?? 'absent'} × ${columns ?? 'absent'})`)
  if (bitsAllocated === undefined || ![1, 8, 16, 32].includes(bitsAllocated)) return invalid(`Bits Allocated (0028,0100) is ${bitsAllocated ?? 'absent'}; 1, 8, 16 or 32 are possible`)
  if (bitsStored !== undefined && (bitsStored < 1 || bitsStored > bitsAllocated)) return invalid(`Bits Stored (0028,0101) is ${bitsStored}, outside 1–${bitsAllocated}`)
  if (![1, 3, 4].includes(samplesPerPixel)) return invalid(`Samples per Pixel (0028,0002) is ${samplesPerPixel}; 1, 3 or 4 are possible`)
  if (pixelRepresentation > 1) return invalid(`Pixel Representation (0028,0103) is ${pixelRepresentation}; 0 or 1 are possible`)
  if (!photometricInterpretation) return invalid('Photometric Interpretation (0028,0004) is missing')
  if (!Number.isInteger(frames) || frames < 1 || frames > limits.maxFrames) return invalid(`Number of Frames (0028,0008) is "${framesText}"; 1 to ${limits.maxFrames.toLocaleString('en-US')} are possible`)

  const pixelsPerFrame = rows * columns * samplesPerPixel
  const frameBytes = bitsAllocated === 1 ? Math.ceil(pixelsPerFrame / 8) : pixelsPerFrame * (bitsAllocated / 8)
  if (frameBytes > limits.maxFrameBytes) return reject('frame-too-large', `one ${columns} × ${rows} frame would take ${formatBytes(frameBytes)} decoded; at most ${formatBytes(limits.maxFrameBytes)} are allowed`)

  const image: DicomImage = { kind: 'image', ...accepted, rows, columns, frames, samplesPerPixel, bitsAllocated, photometricInterpretation, frameBytes }
  const pixelData = walked.pixelData!
  if (!pixelData.items) {
    // YBR_FULL_422 stores two samples per pixel on average (Y Y Cb Cr for two pixels)
    const storedPerFrame = photometricInterpretation === 'YBR_FULL_422' ? (frameBytes * 2) / 3 : frameBytes
    const needed = bitsAllocated === 1 ? Math.ceil((rows * columns * samplesPerPixel * frames) / 8) : storedPerFrame * frames
    if (pixelData.length < needed) {
      return reject('pixel-data-short', `Pixel Data holds ${pixelData.length.toLocaleString('en-US')} bytes, but ${frames} frame(s) of ${columns} × ${rows} × ${samplesPerPixel} × ${bitsAllocated} bits need ${needed.toLocaleString('en-US')}`)
    }
    return image
  }
  const [offsetTable, ...fragments] = pixelData.items
  if (!offsetTable) return reject('bad-fragments', 'encapsulated Pixel Data has no Basic Offset Table item')
  if (fragments.length < frames) return reject('bad-fragments', `encapsulated Pixel Data has ${fragments.length} fragment(s) for ${frames} frame(s)`)
  const problem = offsetTableProblem(bytes, littleEndian, offsetTable, fragments)
  if (problem) return reject('bad-fragments', problem)
  const rle = accepted.transferSyntax.uid === RLE_LOSSLESS ? rleProblem(bytes, fragments, frames, samplesPerPixel, bitsAllocated) : undefined
  if (rle) return reject('bad-fragments', rle)
  return { ...image, fragments }
}

/** Basic Offset Table entries must start at 0, rise, and each point at the start of a fragment (PS3.5 A.4). */
function offsetTableProblem(bytes: Uint8Array, littleEndian: boolean, table: FragmentRef, fragments: readonly FragmentRef[]): string | undefined {
  if (table.length === 0) return undefined
  if (table.length % 4 !== 0) return `the Basic Offset Table is ${table.length} bytes, not a whole number of 4-byte offsets`
  const entries = table.length / 4
  if (entries > fragments.length) return `the Basic Offset Table lists ${entries} frames but there are only ${fragments.length} fragments`
  // offsets count from the first byte of the first fragment's item tag
  const base = fragments[0]!.offset - 8
  const fragmentStarts = new Set(fragments.map((f) => f.offset - 8 - base))
  const view = new DataView(bytes.buffer, bytes.byteOffset + table.offset, table.length)
  let previous = -1
  for (let i = 0; i < entries; i++) {
    const offset = view.getUint32(i * 4, littleEndian)
    if (i === 0 && offset !== 0) return `the Basic Offset Table's first offset is ${offset}, not 0`
    if (offset <= previous) return `the Basic Offset Table's offsets do not rise (entry ${i + 1} is ${offset})`
    if (!fragmentStarts.has(offset)) return `the Basic Offset Table's entry ${i + 1} (${offset}) points at no fragment`
    previous = offset
  }
  return undefined
}
