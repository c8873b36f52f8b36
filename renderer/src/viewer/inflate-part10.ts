/**
 * Deflated Explicit VR Little Endian (1.2.840.10008.1.2.1.99) made readable for the image loader.
 *
 * Cornerstone's Part-10 reader (dcmjs' asynchronous reader) does not inflate a deflated data
 * set, so such an instance parses without pixel data and never displays. Everything after the
 * File Meta Information is one raw deflate stream (PS3.5 A.5); inflated, it is an Explicit VR
 * Little Endian data set, and the file says so once its meta information does.
 */

const PREAMBLE_AND_PREFIX = 132
const DEFLATED = '1.2.840.10008.1.2.1.99'
const EXPLICIT_LITTLE_ENDIAN = '1.2.840.10008.1.2.1'
/** Value representations whose explicit-VR header has a 4-byte length after 2 reserved bytes (PS3.5 7.1.2). */
const LONG_LENGTH_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV'])

interface MetaElement {
  element: number
  vr: string
  value: Uint8Array
}

/** The File Meta Information elements (group 0002, always explicit VR little endian) and where the data set starts. */
function readMetaElements(bytes: Uint8Array): { elements: MetaElement[]; end: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const elements: MetaElement[] = []
  let offset = PREAMBLE_AND_PREFIX
  while (offset + 8 <= bytes.length && view.getUint16(offset, true) === 0x0002) {
    const element = view.getUint16(offset + 2, true)
    const vr = String.fromCharCode(bytes[offset + 4]!, bytes[offset + 5]!)
    const long = LONG_LENGTH_VRS.has(vr)
    const length = long ? view.getUint32(offset + 8, true) : view.getUint16(offset + 6, true)
    const start = offset + (long ? 12 : 8)
    if (start + length > bytes.length) throw new Error('the File Meta Information runs past the end of the file')
    elements.push({ element, vr, value: bytes.subarray(start, start + length) })
    offset = start + length
  }
  return { elements, end: offset }
}

function encodeMetaElement({ element, vr, value }: MetaElement): Uint8Array {
  const long = LONG_LENGTH_VRS.has(vr)
  const header = new Uint8Array(long ? 12 : 8)
  const view = new DataView(header.buffer)
  view.setUint16(0, 0x0002, true)
  view.setUint16(2, element, true)
  header[4] = vr.charCodeAt(0)
  header[5] = vr.charCodeAt(1)
  if (long) view.setUint32(8, value.length, true)
  else view.setUint16(6, value.length, true)
  const encoded = new Uint8Array(header.length + value.length)
  encoded.set(header)
  encoded.set(value, header.length)
  return encoded
}

/** A UI value, padded with NUL to an even length. */
function uidValue(uid: string): Uint8Array {
  const value = new Uint8Array(uid.length + (uid.length % 2))
  for (let i = 0; i < uid.length; i++) value[i] = uid.charCodeAt(i)
  return value
}

const textOf = (value: Uint8Array): string => String.fromCharCode(...value).replace(/[\0 ]+$/, '')

async function inflateRaw(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('deflate-raw'))
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

/** Bytes some writers leave after the end of the deflate stream that the decompressor rejects as junk. */
const MAX_TRAILING_BYTES = 8

/**
 * Inflates the data set. A deflated data set of odd length is padded with one 00H (PS3.5 A.5),
 * and some writers append a gzip trailer (CRC-32 and length, as in NEMA's deflate samples);
 * the stream is then retried without up to 8 trailing bytes until it ends where the data does.
 */
async function inflateDataSet(bytes: Uint8Array): Promise<Uint8Array> {
  let firstError: unknown
  for (let trim = 0; trim <= Math.min(MAX_TRAILING_BYTES, bytes.length); trim++) {
    try {
      return await inflateRaw(bytes.subarray(0, bytes.length - trim))
    } catch (error) {
      firstError ??= error
    }
  }
  throw firstError
}

/**
 * The Part-10 file as the loader can read it: a deflated one inflated, with its Transfer Syntax
 * UID (and the meta group's length) rewritten; any other file unchanged (the same buffer).
 */
export async function inflateDeflatedPart10(part10: ArrayBuffer): Promise<ArrayBuffer> {
  const bytes = new Uint8Array(part10)
  const hasPrefix = bytes.length > PREAMBLE_AND_PREFIX && String.fromCharCode(...bytes.subarray(128, 132)) === 'DICM'
  if (!hasPrefix) return part10
  const { elements, end } = readMetaElements(bytes)
  const transferSyntax = elements.find((e) => e.element === 0x0010)
  if (!transferSyntax || textOf(transferSyntax.value) !== DEFLATED) return part10

  const rewritten = elements
    .filter((e) => e.element !== 0x0000)
    .map((e) => (e.element === 0x0010 ? { ...e, value: uidValue(EXPLICIT_LITTLE_ENDIAN) } : e))
    .map(encodeMetaElement)
  const groupLength = rewritten.reduce((sum, e) => sum + e.length, 0)
  const groupLengthValue = new Uint8Array(4)
  new DataView(groupLengthValue.buffer).setUint32(0, groupLength, true)
  const groupLengthElement = encodeMetaElement({ element: 0x0000, vr: 'UL', value: groupLengthValue })
  const dataSet = await inflateDataSet(bytes.subarray(end))

  const out = new Uint8Array(PREAMBLE_AND_PREFIX + groupLengthElement.length + groupLength + dataSet.length)
  out.set(bytes.subarray(0, PREAMBLE_AND_PREFIX))
  let offset = PREAMBLE_AND_PREFIX
  for (const part of [groupLengthElement, ...rewritten, dataSet]) {
    out.set(part, offset)
    offset += part.length
  }
  return out.buffer
}
