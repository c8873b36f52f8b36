/**
 * One DICOM data element as the study generator handles it: a tag, a VR and the value bytes
 * exactly as they go on the wire in explicit VR little endian, without padding (the writer
 * pads). Builders for the VRs the generator writes, and readers for the ones it inspects.
 */

export type Vr =
  | 'AE' | 'AS' | 'AT' | 'CS' | 'DA' | 'DS' | 'DT' | 'FD' | 'FL' | 'IS' | 'LO' | 'LT' | 'OB' | 'OD' | 'OF' | 'OL' | 'OV'
  | 'OW' | 'PN' | 'SH' | 'SL' | 'SQ' | 'SS' | 'ST' | 'SV' | 'TM' | 'UC' | 'UI' | 'UL' | 'UN' | 'UR' | 'US' | 'UT' | 'UV'

export interface DataElement {
  /** (group << 16) | element, as an unsigned 32-bit number. */
  tag: number
  vr: Vr
  /** Value bytes in little endian; for SQ, the encoded items (explicit VR LE) without a sequence delimiter. */
  value: Uint8Array
  /**
   * Pixel data in fragments (compressed transfer syntaxes): `value` holds the items (offset
   * table, then fragments) without the sequence delimiter, and the length is written undefined.
   */
  encapsulated?: boolean
}

const ALL_VRS: ReadonlySet<string> = new Set<Vr>([
  'AE', 'AS', 'AT', 'CS', 'DA', 'DS', 'DT', 'FD', 'FL', 'IS', 'LO', 'LT', 'OB', 'OD', 'OF', 'OL', 'OV',
  'OW', 'PN', 'SH', 'SL', 'SQ', 'SS', 'ST', 'SV', 'TM', 'UC', 'UI', 'UL', 'UN', 'UR', 'US', 'UT', 'UV',
])

/** VRs whose explicit-VR header has two reserved bytes and a 4-byte length (PS3.5 7.1.2). */
export const LONG_LENGTH_VRS: ReadonlySet<Vr> = new Set<Vr>(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV'])

/** Character-string VRs, padded to even length with a space (PS3.5 6.2); UI pads with NUL instead. */
export const SPACE_PADDED_VRS: ReadonlySet<Vr> = new Set<Vr>(['AE', 'AS', 'CS', 'DA', 'DS', 'DT', 'IS', 'LO', 'LT', 'PN', 'SH', 'ST', 'TM', 'UC', 'UR', 'UT'])

export function isVr(text: string): text is Vr {
  return ALL_VRS.has(text)
}

export function tag(group: number, element: number): number {
  return ((group << 16) | element) >>> 0
}

export function tagGroup(value: number): number {
  return value >>> 16
}

/** "(0020,0032)", as DICOM people write tags, for error messages. */
export function formatTag(value: number): string {
  const hex = value.toString(16).toUpperCase().padStart(8, '0')
  return `(${hex.slice(0, 4)},${hex.slice(4)})`
}

const latin1 = new TextDecoder('latin1')

/** Longest value of each string VR in characters (PS3.5 table 6.2-1); PN counts per component group. */
const MAX_VALUE_LENGTH: Partial<Record<Vr, number>> = {
  AE: 16, AS: 4, CS: 16, DA: 8, DS: 16, DT: 26, IS: 12, LO: 64, LT: 10240, PN: 64, SH: 16, ST: 1024, TM: 14, UI: 64,
}
/** Text VRs that hold one value, in which a backslash is just a character. */
const SINGLE_VALUE_VRS: ReadonlySet<Vr> = new Set<Vr>(['LT', 'ST', 'UT', 'UR'])

/** A string element; several values are joined with backslashes. Values must be ASCII, which the default character repertoire guarantees to every reader. */
export function textElement(elementTag: number, vr: Vr, values: string | readonly string[]): DataElement {
  const text = typeof values === 'string' ? values : values.join('\\')
  const maxLength = MAX_VALUE_LENGTH[vr]
  if (maxLength !== undefined) {
    const parts = SINGLE_VALUE_VRS.has(vr) ? [text] : text.split('\\').flatMap((value) => (vr === 'PN' ? value.split('=') : [value]))
    const tooLong = parts.find((part) => part.length > maxLength)
    if (tooLong !== undefined) throw new Error(`${formatTag(elementTag)} ${vr}: ${JSON.stringify(tooLong)} is longer than ${maxLength} characters`)
  }
  const value = new Uint8Array(text.length)
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code > 0x7e || (code < 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x0c && code !== 0x1b)) {
      throw new Error(`${formatTag(elementTag)} ${vr}: only ASCII text can be written, got ${JSON.stringify(text)}`)
    }
    value[i] = code
  }
  return { tag: elementTag, vr, value }
}

/** Decimal String values: at most 16 characters each (PS3.5 6.2), so precision gives way to length. */
export function formatDecimalString(number: number): string {
  if (!Number.isFinite(number)) throw new Error(`DS cannot hold ${number}`)
  for (let decimals = 6; decimals >= 0; decimals--) {
    let text = number.toFixed(decimals)
    if (text.includes('.')) text = text.replace(/0+$/, '').replace(/\.$/, '')
    if (text === '-0') text = '0'
    if (text.length <= 16) return text
  }
  throw new Error(`DS cannot hold ${number} in 16 characters`)
}

export function decimalStringElement(elementTag: number, numbers: readonly number[]): DataElement {
  return textElement(elementTag, 'DS', numbers.map(formatDecimalString))
}

export function integerStringElement(elementTag: number, number: number): DataElement {
  if (!Number.isInteger(number) || Math.abs(number) >= 2 ** 31) throw new Error(`${formatTag(elementTag)} IS cannot hold ${number}`)
  return textElement(elementTag, 'IS', String(number))
}

export function uidElement(elementTag: number, uid: string): DataElement {
  if (!isValidUid(uid)) throw new Error(`${formatTag(elementTag)}: ${JSON.stringify(uid)} is not a valid UID`)
  return textElement(elementTag, 'UI', uid)
}

/** PS3.5 9.1: at most 64 characters, digits and dots, no empty component, no leading zero in a component. */
export function isValidUid(uid: string): boolean {
  return uid.length <= 64 && /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/.test(uid)
}

export function unsignedShortElement(elementTag: number, number: number): DataElement {
  const value = new Uint8Array(2)
  new DataView(value.buffer).setUint16(0, number, true)
  return { tag: elementTag, vr: 'US', value }
}

export function unsignedLongElement(elementTag: number, number: number): DataElement {
  const value = new Uint8Array(4)
  new DataView(value.buffer).setUint32(0, number, true)
  return { tag: elementTag, vr: 'UL', value }
}

/** A string value with its padding (trailing spaces and NULs) removed; leading spaces are kept for the few VRs where they count. */
export function readText(element: DataElement): string {
  return latin1.decode(element.value).replace(/[\0 ]+$/, '')
}

/** The values of a multi-valued string element, trimmed. */
export function readTextValues(element: DataElement): string[] {
  return readText(element).split('\\').map((value) => value.trim())
}

/** The numbers of a DS or IS element; throws on anything that is not a number, since geometry must not be guessed. */
export function readNumbers(element: DataElement): number[] {
  return readTextValues(element).map((text) => {
    const number = Number(text)
    if (text === '' || !Number.isFinite(number)) throw new Error(`${formatTag(element.tag)} ${element.vr}: ${JSON.stringify(text)} is not a number`)
    return number
  })
}

export function readUnsignedShort(element: DataElement): number {
  if (element.vr !== 'US' || element.value.length < 2) throw new Error(`${formatTag(element.tag)} is ${element.vr} of ${element.value.length} bytes, not US`)
  return new DataView(element.value.buffer, element.value.byteOffset, element.value.byteLength).getUint16(0, true)
}
