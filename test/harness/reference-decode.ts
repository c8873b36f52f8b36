/**
 * A reference decode of a Part-10 file, computed in Node by code independent of the viewer:
 * native pixel data is read with dicom-parser; compressed and deflated files are first
 * decompressed by DCMTK (dcmdjpeg, dcmdjpls, dcmdrle, dcmconv +te) and JPEG 2000 codestreams
 * by OpenJPEG's command-line decoder (opj_decompress), then read the same way.
 *
 * Greyscale frames come back as stored values (before the modality LUT); colour frames as
 * 8-bit RGB, interleaved: DCMTK converts YCbCr JPEG to RGB itself (dcmdjpeg), and palette colour
 * frames are DCMTK's own RGB rendering of them (dcmj2pnm, which applies the file's palette).
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import type * as DicomParser from 'dicom-parser'

// dicom-parser ships a UMD bundle whose named exports Node's ESM loader cannot see.
const dicomParser = createRequire(import.meta.url)('dicom-parser') as typeof DicomParser
const run = promisify(execFile)

export const TRANSFER_SYNTAX = {
  implicitLittleEndian: '1.2.840.10008.1.2',
  explicitLittleEndian: '1.2.840.10008.1.2.1',
  deflatedExplicitLittleEndian: '1.2.840.10008.1.2.1.99',
  explicitBigEndian: '1.2.840.10008.1.2.2',
  jpegBaseline: '1.2.840.10008.1.2.4.50',
  jpegExtended: '1.2.840.10008.1.2.4.51',
  jpegLossless: '1.2.840.10008.1.2.4.57',
  jpegLosslessSv1: '1.2.840.10008.1.2.4.70',
  jpegLsLossless: '1.2.840.10008.1.2.4.80',
  jpegLsNearLossless: '1.2.840.10008.1.2.4.81',
  jpeg2000Lossless: '1.2.840.10008.1.2.4.90',
  jpeg2000: '1.2.840.10008.1.2.4.91',
  rleLossless: '1.2.840.10008.1.2.5',
} as const

/** The DCMTK tool that writes an uncompressed (explicit little endian) copy, by transfer syntax. */
const DCMTK_DECOMPRESSOR: Record<string, readonly string[]> = {
  [TRANSFER_SYNTAX.deflatedExplicitLittleEndian]: ['dcmconv', '+te'],
  [TRANSFER_SYNTAX.jpegBaseline]: ['dcmdjpeg'],
  [TRANSFER_SYNTAX.jpegExtended]: ['dcmdjpeg'],
  [TRANSFER_SYNTAX.jpegLossless]: ['dcmdjpeg'],
  [TRANSFER_SYNTAX.jpegLosslessSv1]: ['dcmdjpeg'],
  [TRANSFER_SYNTAX.jpegLsLossless]: ['dcmdjpls'],
  [TRANSFER_SYNTAX.jpegLsNearLossless]: ['dcmdjpls'],
  [TRANSFER_SYNTAX.rleLossless]: ['dcmdrle'],
}

const NATIVE = new Set<string>([TRANSFER_SYNTAX.implicitLittleEndian, TRANSFER_SYNTAX.explicitLittleEndian, TRANSFER_SYNTAX.explicitBigEndian])
const JPEG_2000 = new Set<string>([TRANSFER_SYNTAX.jpeg2000Lossless, TRANSFER_SYNTAX.jpeg2000])

export interface PixelFormat {
  rows: number
  columns: number
  numberOfFrames: number
  samplesPerPixel: number
  bitsAllocated: number
  bitsStored: number
  pixelRepresentation: number
  planarConfiguration: number
  photometricInterpretation: string
}

export interface ReferenceFrame {
  rows: number
  columns: number
  /** 1: stored values of a greyscale frame; 3: 8-bit RGB, interleaved. */
  components: number
  values: Int32Array
}

export interface ReferenceImage {
  path: string
  transferSyntaxUid: string
  /** The pixel format the file declares. */
  format: PixelFormat
  /** Rescale Slope/Intercept as the file states them; null when it has none. */
  rescale: { slope: number; intercept: number } | null
  /** JPEG-LS near-lossless: the NEAR value of the first frame's scan, the codec's bound on each sample's error. */
  jpegLsNear?: number
  /** Which independent decoder produced the reference, e.g. `dcmdjpls` or `opj_decompress`. */
  decoder: string
  /** One frame (1-based), decoded on first use. */
  frame(frameNumber: number): Promise<ReferenceFrame>
}

type DataSet = DicomParser.DataSet

function requiredUint16(dataSet: DataSet, tag: string, file: string): number {
  const value = dataSet.uint16(tag)
  if (value === undefined) throw new Error(`${file} has no ${tag}`)
  return value
}

export function pixelFormatOf(dataSet: DataSet, file: string): PixelFormat {
  return {
    rows: requiredUint16(dataSet, 'x00280010', file),
    columns: requiredUint16(dataSet, 'x00280011', file),
    numberOfFrames: Number(dataSet.string('x00280008') ?? '1') || 1,
    samplesPerPixel: requiredUint16(dataSet, 'x00280002', file),
    bitsAllocated: requiredUint16(dataSet, 'x00280100', file),
    bitsStored: requiredUint16(dataSet, 'x00280101', file),
    pixelRepresentation: requiredUint16(dataSet, 'x00280103', file),
    planarConfiguration: dataSet.uint16('x00280006') ?? 0,
    photometricInterpretation: (dataSet.string('x00280004') ?? '').trim(),
  }
}

function rescaleOf(dataSet: DataSet): ReferenceImage['rescale'] {
  const slope = dataSet.string('x00281053')
  const intercept = dataSet.string('x00281052')
  if (slope === undefined && intercept === undefined) return null
  return { slope: slope === undefined ? 1 : Number(slope), intercept: intercept === undefined ? 0 : Number(intercept) }
}

/**
 * Reads the samples of one native frame as numbers: words in the file's byte order, signed
 * values sign-extended from Bits Stored, unsigned ones masked to it (bits above are not pixel data).
 */
export function nativeFrameSamples(bytes: Uint8Array, format: PixelFormat, frameNumber: number, bigEndian: boolean): Int32Array {
  const { rows, columns, samplesPerPixel, bitsAllocated } = format
  if (bitsAllocated !== 8 && bitsAllocated !== 16) throw new Error(`unsupported Bits Allocated ${bitsAllocated}`)
  const bytesPerSample = bitsAllocated / 8
  const count = rows * columns * samplesPerPixel
  const start = (frameNumber - 1) * count * bytesPerSample
  if (frameNumber < 1 || start + count * bytesPerSample > bytes.length) throw new Error(`frame ${frameNumber} lies outside the pixel data`)
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, count * bytesPerSample)
  const words = new Int32Array(count)
  for (let i = 0; i < count; i++) words[i] = bytesPerSample === 1 ? view.getUint8(i) : view.getUint16(i * 2, !bigEndian)
  return storedValues(words, format)
}

/** Sign-extends signed samples from Bits Stored and masks unsigned ones to it (bits above it are not pixel data), in place. */
export function storedValues(samples: Int32Array, { bitsStored, pixelRepresentation }: Pick<PixelFormat, 'bitsStored' | 'pixelRepresentation'>): Int32Array {
  const shift = 32 - bitsStored
  const mask = bitsStored >= 32 ? -1 : 2 ** bitsStored - 1
  for (let i = 0; i < samples.length; i++) samples[i] = pixelRepresentation === 1 ? (samples[i]! << shift) >> shift : samples[i]! & mask
  return samples
}

/** Colour-by-plane (RRR…GGG…BBB…) to colour-by-pixel (RGBRGB…). */
export function interleavePlanes(planes: Int32Array, pixelCount: number, components: number): Int32Array {
  const interleaved = new Int32Array(planes.length)
  for (let c = 0; c < components; c++) {
    for (let i = 0; i < pixelCount; i++) interleaved[i * components + c] = planes[c * pixelCount + i]!
  }
  return interleaved
}

/** The NEAR parameter of the first scan of a JPEG-LS codestream (0 for lossless). */
export function jpegLsNear(codestream: Uint8Array): number {
  for (let i = 0; i + 1 < codestream.length; i++) {
    // SOS: length (2), component count (1), per component id and table (2 each), then NEAR
    if (codestream[i] === 0xff && codestream[i + 1] === 0xda) {
      const components = codestream[i + 4]!
      const near = codestream[i + 5 + components * 2]
      if (near === undefined) break
      return near
    }
  }
  throw new Error('no start-of-scan marker in the JPEG-LS codestream')
}

/** A frame's compressed bytes from encapsulated pixel data. */
function encapsulatedFrame(dataSet: DataSet, format: PixelFormat, frameNumber: number): Uint8Array {
  const element = dataSet.elements.x7fe00010
  if (!element?.encapsulatedPixelData || !element.fragments) throw new Error('pixel data is not encapsulated')
  if (format.numberOfFrames === 1) return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, element, 0, element.fragments.length)
  const offsets = element.basicOffsetTable?.length ? element.basicOffsetTable : dicomParser.createJPEGBasicOffsetTable(dataSet, element)
  return dicomParser.readEncapsulatedImageFrame(dataSet, element, frameNumber - 1, offsets)
}

/** Image and component layout from a JPEG 2000 codestream's SIZ segment. */
function jpeg2000Size(codestream: Uint8Array): { width: number; height: number; components: { bits: number; signed: boolean }[] } {
  // SIZ follows the start-of-codestream marker directly (ISO/IEC 15444-1 A.5.1)
  const i = 2
  if (codestream[i] !== 0xff || codestream[i + 1] !== 0x51) throw new Error('no SIZ segment after the JPEG 2000 start of codestream')
  const view = new DataView(codestream.buffer, codestream.byteOffset, codestream.byteLength)
  const width = view.getUint32(i + 6) - view.getUint32(i + 14)
  const height = view.getUint32(i + 10) - view.getUint32(i + 18)
  const count = view.getUint16(i + 38)
  const components = Array.from({ length: count }, (_, c) => {
    const ssiz = codestream[i + 40 + c * 3]!
    return { bits: (ssiz & 0x7f) + 1, signed: (ssiz & 0x80) !== 0 }
  })
  return { width, height, components }
}

/** Decodes one JPEG 2000 codestream with opj_decompress into samples (interleaved when several components). */
async function decodeJpeg2000(codestream: Uint8Array, workDir: string, name: string): Promise<{ size: ReturnType<typeof jpeg2000Size>; values: Int32Array }> {
  if (codestream[0] !== 0xff || codestream[1] !== 0x4f) throw new Error('not a bare JPEG 2000 codestream (a JP2 file?)')
  const input = path.join(workDir, `${name}.j2k`)
  const output = path.join(workDir, `${name}.rawl`)
  await writeFile(input, codestream)
  await run('opj_decompress', ['-quiet', '-i', input, '-o', output])
  const raw = new Uint8Array(await readFile(output))
  const size = jpeg2000Size(codestream)
  const pixels = size.width * size.height
  const planes = new Int32Array(pixels * size.components.length)
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength)
  let offset = 0
  size.components.forEach(({ bits, signed }, c) => {
    // .rawl: each component in turn, one byte per sample up to 8 bits, else two, little endian
    for (let i = 0; i < pixels; i++) {
      if (bits <= 8) {
        planes[c * pixels + i] = signed ? view.getInt8(offset) : view.getUint8(offset)
        offset += 1
      } else {
        planes[c * pixels + i] = signed ? view.getInt16(offset, true) : view.getUint16(offset, true)
        offset += 2
      }
    }
  })
  if (offset !== raw.length) throw new Error(`opj_decompress wrote ${raw.length} bytes, ${offset} expected`)
  return { size, values: size.components.length === 1 ? planes : interleavePlanes(planes, pixels, size.components.length) }
}

/** An 8-bit binary PPM (P6) as interleaved RGB. */
export function parsePpm(ppm: Uint8Array): { width: number; height: number; rgb: Int32Array } {
  // header: "P6", width, height, maxval, each followed by whitespace; comments do not occur in DCMTK's output
  const fields: string[] = []
  let offset = 0
  while (fields.length < 4) {
    let token = ''
    while (offset < ppm.length && /\s/.test(String.fromCharCode(ppm[offset]!))) offset++
    while (offset < ppm.length && !/\s/.test(String.fromCharCode(ppm[offset]!))) token += String.fromCharCode(ppm[offset++]!)
    fields.push(token)
  }
  offset++ // the single whitespace after maxval
  const [magic, width, height, maxval] = [fields[0], Number(fields[1]), Number(fields[2]), Number(fields[3])]
  if (magic !== 'P6' || maxval !== 255) throw new Error(`not an 8-bit binary PPM (${magic}, maxval ${maxval})`)
  const data = ppm.subarray(offset)
  if (data.length !== width * height * 3) throw new Error(`PPM holds ${data.length} bytes, ${width * height * 3} expected`)
  return { width, height, rgb: Int32Array.from(data) }
}

/** DCMTK's RGB rendering of one frame of a palette colour image. */
async function paletteFrame(file: string, format: PixelFormat, frameNumber: number): Promise<ReferenceFrame> {
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'reference-decode-'))
  try {
    const output = path.join(workDir, 'frame.ppm')
    await run('dcmj2pnm', ['--frame', String(frameNumber), '--write-raw-pnm', file, output])
    const { width, height, rgb } = parsePpm(new Uint8Array(await readFile(output)))
    if (width !== format.columns || height !== format.rows) throw new Error(`${file}: dcmj2pnm wrote ${width}×${height}`)
    return { rows: height, columns: width, components: 3, values: rgb }
  } finally {
    await rm(workDir, { recursive: true, force: true })
  }
}

/** Greyscale samples as they are; RGB ones interleaved. */
function referenceFrameFrom(samples: Int32Array, format: PixelFormat, file: string): ReferenceFrame {
  const { rows, columns, samplesPerPixel, planarConfiguration, photometricInterpretation } = format
  const base = { rows, columns }
  if (samplesPerPixel === 1 && photometricInterpretation.startsWith('MONOCHROME')) return { ...base, components: 1, values: samples }
  if (photometricInterpretation !== 'RGB') throw new Error(`${file}: the reference decode gives RGB only, not ${photometricInterpretation}`)
  return { ...base, components: 3, values: planarConfiguration === 1 ? interleavePlanes(samples, rows * columns, 3) : samples }
}

/** Reads a native (uncompressed) Part-10 file's frames. */
function nativeFrames(bytes: Uint8Array, file: string) {
  const dataSet = dicomParser.parseDicom(bytes)
  const transferSyntaxUid = dataSet.string('x00020010') ?? ''
  if (!NATIVE.has(transferSyntaxUid)) throw new Error(`${file} is not native (${transferSyntaxUid})`)
  const format = pixelFormatOf(dataSet, file)
  const element = dataSet.elements.x7fe00010
  if (!element) throw new Error(`${file} has no pixel data`)
  const pixelBytes = bytes.subarray(element.dataOffset, element.dataOffset + element.length)
  const bigEndian = transferSyntaxUid === TRANSFER_SYNTAX.explicitBigEndian
  return {
    format,
    frame: (n: number) => referenceFrameFrom(nativeFrameSamples(pixelBytes, format, n, bigEndian), format, file),
  }
}

/** The reference decode of a Part-10 file (see the module comment for which decoder serves which transfer syntax). */
/** Runs a DCMTK tool that writes an uncompressed copy of `file` and returns the copy's bytes. */
async function uncompressedCopy(tool: readonly string[], file: string): Promise<Uint8Array> {
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'reference-decode-'))
  try {
    const output = path.join(workDir, 'uncompressed.dcm')
    await run(tool[0]!, [...tool.slice(1), file, output])
    return new Uint8Array(await readFile(output))
  } finally {
    await rm(workDir, { recursive: true, force: true })
  }
}

/** One JPEG 2000 frame decoded by opj_decompress, as stored values. */
async function jpeg2000Frame(dataSet: DataSet, format: PixelFormat, frameNumber: number, file: string): Promise<ReferenceFrame> {
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'reference-decode-'))
  try {
    const { size, values } = await decodeJpeg2000(encapsulatedFrame(dataSet, format, frameNumber), workDir, `frame-${frameNumber}`)
    if (size.width !== format.columns || size.height !== format.rows) throw new Error(`${file}: codestream is ${size.width}×${size.height}, the header says ${format.columns}×${format.rows}`)
    // the codestream's sign can disagree with Pixel Representation; the header is what a viewer must follow
    return referenceFrameFrom(storedValues(values, format), format, file)
  } finally {
    await rm(workDir, { recursive: true, force: true })
  }
}

/** The reference decode of a Part-10 file (see the module comment for which decoder serves which transfer syntax). */
export async function decodeReference(file: string): Promise<ReferenceImage> {
  const bytes = new Uint8Array(await readFile(file))
  const transferSyntaxUid = dicomParser.readPart10Header(bytes).string('x00020010') ?? ''
  const deflated = transferSyntaxUid === TRANSFER_SYNTAX.deflatedExplicitLittleEndian
  const tool = DCMTK_DECOMPRESSOR[transferSyntaxUid]
  if (!NATIVE.has(transferSyntaxUid) && !JPEG_2000.has(transferSyntaxUid) && !tool) throw new Error(`${file}: no reference decoder for transfer syntax ${transferSyntaxUid}`)

  // a deflated data set cannot be read before it is inflated: its uncompressed copy has the same attributes
  const uncompressed = NATIVE.has(transferSyntaxUid) ? bytes : tool ? await uncompressedCopy(tool, file) : undefined
  const dataSet = dicomParser.parseDicom(deflated ? uncompressed! : bytes)
  const format = pixelFormatOf(dataSet, file)
  const memo = new Map<number, Promise<ReferenceFrame>>()
  const base = { path: file, transferSyntaxUid, format, rescale: rescaleOf(dataSet) }
  const frames = (decode: (n: number) => Promise<ReferenceFrame>) => (n: number) => {
    if (n < 1 || n > format.numberOfFrames) return Promise.reject(new Error(`${file} has no frame ${n}`))
    let frame = memo.get(n)
    if (!frame) memo.set(n, (frame = decode(n)))
    return frame
  }

  if (format.photometricInterpretation === 'PALETTE COLOR') return { ...base, decoder: 'dcmj2pnm', frame: frames((n) => paletteFrame(file, format, n)) }
  if (JPEG_2000.has(transferSyntaxUid)) return { ...base, decoder: 'opj_decompress', frame: frames((n) => jpeg2000Frame(dataSet, format, n, file)) }

  const native = nativeFrames(uncompressed!, file)
  const reference: ReferenceImage = { ...base, decoder: tool ? tool.join(' ') : 'dicom-parser', frame: frames(async (n) => native.frame(n)) }
  if (transferSyntaxUid === TRANSFER_SYNTAX.jpegLsNearLossless || transferSyntaxUid === TRANSFER_SYNTAX.jpegLsLossless) {
    reference.jpegLsNear = jpegLsNear(encapsulatedFrame(dataSet, format, 1))
  }
  return reference
}
