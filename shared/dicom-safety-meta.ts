/**
 * The File Meta Information of a Part-10 file (PS3.10 7.1): the 128-byte preamble, "DICM",
 * then group 0002 elements, always explicit VR little endian. Each element is bounds-checked;
 * the group length must agree with the elements (dcmjs, which parses for the viewer, reads
 * exactly that many bytes as the meta group).
 */
import { DicomSafetyError } from './dicom-safety-error.ts'
import { LONG_LENGTH_VRS, tagLabel, VALID_VRS } from './dicom-safety-walker.ts'

export const PREAMBLE_AND_PREFIX = 132

export interface MetaElement {
  element: number
  vr: string
  /** Where the value starts, and its length. */
  offset: number
  length: number
}

export interface FileMeta {
  elements: MetaElement[]
  /** Where the data set starts. */
  end: number
  transferSyntaxUid: string
  mediaStorageSopClassUid: string
}

/** At most this many meta elements: the standard defines eleven. */
const MAX_META_ELEMENTS = 256
const UNDEFINED = 0xffffffff

/** True when the bytes carry the "DICM" marker after the preamble. */
export function hasDicmPrefix(bytes: Uint8Array): boolean {
  return bytes.length >= PREAMBLE_AND_PREFIX && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d
}

/** A UI or CS value as text, without its NUL or space padding. */
export function asciiValue(bytes: Uint8Array, offset: number, length: number): string {
  let text = ''
  for (let i = offset; i < offset + length; i++) text += String.fromCharCode(bytes[i]!)
  return text.replace(/[\0 ]+$/, '').replace(/^ +/, '')
}

export function readFileMeta(bytes: Uint8Array): FileMeta {
  if (!hasDicmPrefix(bytes)) throw new DicomSafetyError('not-part10', 'not a DICOM Part-10 file (no "DICM" marker at byte 128)')
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const elements: MetaElement[] = []
  let offset = PREAMBLE_AND_PREFIX
  while (offset + 4 <= bytes.length && view.getUint16(offset, true) === 0x0002) {
    const element = view.getUint16(offset + 2, true)
    const tag = (0x0002 << 16) | element
    if (offset + 8 > bytes.length) throw new DicomSafetyError('truncated', `the File Meta Information ends inside ${tagLabel(tag)}`)
    const vr = String.fromCharCode(bytes[offset + 4]!, bytes[offset + 5]!)
    // an unknown VR is not harmless: dcmjs then reads a 4-byte length from the value (a UID's
    // "1.3." is 775,106,097) and allocates that much
    if (!VALID_VRS.has(vr)) throw new DicomSafetyError('bad-vr', `${tagLabel(tag)} in the File Meta Information has no valid value representation ("${vr.replace(/[^\x20-\x7e]/g, '?')}")`)
    const long = LONG_LENGTH_VRS.has(vr)
    if (long && offset + 12 > bytes.length) throw new DicomSafetyError('truncated', `the File Meta Information ends inside ${tagLabel(tag)}`)
    const length = long ? view.getUint32(offset + 8, true) : view.getUint16(offset + 6, true)
    const start = offset + (long ? 12 : 8)
    if (length === UNDEFINED) throw new DicomSafetyError('undefined-length-not-allowed', `${tagLabel(tag)} in the File Meta Information has an undefined length`)
    if (start + length > bytes.length) {
      throw new DicomSafetyError('length-out-of-bounds', `${tagLabel(tag)} in the File Meta Information declares ${length.toLocaleString('en-US')} bytes but only ${(bytes.length - start).toLocaleString('en-US')} remain`)
    }
    if (elements.length >= MAX_META_ELEMENTS) throw new DicomSafetyError('bad-meta', `the File Meta Information has more than ${MAX_META_ELEMENTS} elements`)
    elements.push({ element, vr, offset: start, length })
    offset = start + length
  }

  const groupLength = elements[0]?.element === 0x0000 ? elements[0] : undefined
  if (!groupLength || groupLength.vr !== 'UL' || groupLength.length !== 4) {
    throw new DicomSafetyError('bad-meta', 'the File Meta Information has no group length (0002,0000) as its first element, which PS3.10 requires')
  }
  const declaredEnd = groupLength.offset + 4 + view.getUint32(groupLength.offset, true)
  if (declaredEnd !== offset) {
    throw new DicomSafetyError('bad-meta', `the File Meta Information group length (0002,0000) says it ends at byte ${declaredEnd.toLocaleString('en-US')}, but its elements end at byte ${offset.toLocaleString('en-US')}`)
  }
  const value = (element: number) => {
    const found = elements.find((e) => e.element === element)
    return found ? asciiValue(bytes, found.offset, found.length) : ''
  }
  const transferSyntaxUid = value(0x0010)
  if (!transferSyntaxUid) throw new DicomSafetyError('bad-meta', 'the File Meta Information names no Transfer Syntax UID (0002,0010)')
  return { elements, end: offset, transferSyntaxUid, mediaStorageSopClassUid: value(0x0002) }
}
