/**
 * Deflated Explicit VR Little Endian (1.2.840.10008.1.2.1.99) made readable for the image loader.
 *
 * Cornerstone's Part-10 reader (dcmjs' asynchronous reader) does not inflate a deflated data
 * set, so such an instance parses without pixel data and never displays. Everything after the
 * File Meta Information is one raw deflate stream (PS3.5 A.5); the safety check inflates it
 * (within its bound, shared/dicom-safety-inflate.ts) and this puts it back behind the meta
 * information, which then declares Explicit VR Little Endian.
 */
import { readFileMeta, type MetaElement } from '../../../shared/dicom-safety-meta.ts'
import { LONG_LENGTH_VRS } from '../../../shared/dicom-safety-walker.ts'

const PREAMBLE_AND_PREFIX = 132
const EXPLICIT_LITTLE_ENDIAN = '1.2.840.10008.1.2.1'

interface Encodable {
  element: number
  vr: string
  value: Uint8Array
}

function encodeMetaElement({ element, vr, value }: Encodable): Uint8Array {
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

/**
 * The Part-10 file the parsers can read: without an inflated data set, the file itself (the
 * same bytes); with one, the preamble and meta information of `part10` (its Transfer Syntax UID
 * and group length rewritten) followed by the inflated data set.
 */
export function readablePart10(part10: Uint8Array, inflatedDataSet: Uint8Array | undefined): Uint8Array {
  if (!inflatedDataSet) return part10
  const meta = readFileMeta(part10)
  const valueOf = (e: MetaElement) => part10.subarray(e.offset, e.offset + e.length)
  const rewritten = meta.elements
    .filter((e) => e.element !== 0x0000)
    .map((e) => encodeMetaElement({ element: e.element, vr: e.vr, value: e.element === 0x0010 ? uidValue(EXPLICIT_LITTLE_ENDIAN) : valueOf(e) }))
  const groupLength = rewritten.reduce((sum, e) => sum + e.length, 0)
  const groupLengthValue = new Uint8Array(4)
  new DataView(groupLengthValue.buffer).setUint32(0, groupLength, true)
  const groupLengthElement = encodeMetaElement({ element: 0x0000, vr: 'UL', value: groupLengthValue })

  const out = new Uint8Array(PREAMBLE_AND_PREFIX + groupLengthElement.length + groupLength + inflatedDataSet.length)
  out.set(part10.subarray(0, PREAMBLE_AND_PREFIX))
  let offset = PREAMBLE_AND_PREFIX
  for (const part of [groupLengthElement, ...rewritten, inflatedDataSet]) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}
