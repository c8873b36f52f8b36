/**
 * A small DICOM Part-10 writer for what the server produces itself (report SRs): Explicit VR
 * Little Endian, the File Meta group derived from the data set, sequences with defined lengths,
 * text in UTF-8 (the data set must declare ISO_IR 192 when it holds anything but ASCII).
 */

/** A tag as 8 hex digits, "0040A730". */
export type Tag = string

export type ElementValue = string | readonly string[] | Uint8Array | number | readonly DicomItem[]

export interface DicomElement {
  tag: Tag
  vr: string
  value: ElementValue
}

/** One item of a sequence: its elements, in any order. */
export type DicomItem = readonly DicomElement[]

export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1'

const LONG_LENGTH_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV'])
const utf8 = new TextEncoder()

function tagNumbers(tag: Tag): [number, number] {
  if (!/^[0-9A-Fa-f]{8}$/.test(tag)) throw new Error(`bad tag ${tag}`)
  return [parseInt(tag.slice(0, 4), 16), parseInt(tag.slice(4), 16)]
}

/** The parts one after the other, in one array. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let offset = 0
  for (const p of parts) {
    out.set(p, offset)
    offset += p.length
  }
  return out
}

function valueBytes(element: DicomElement): Uint8Array {
  const { vr, value } = element
  if (vr === 'SQ') {
    if (!Array.isArray(value)) throw new Error(`${element.tag} SQ needs items`)
    return concat((value as readonly DicomItem[]).map(encodeItem))
  }
  if (value instanceof Uint8Array) return value.length % 2 ? concat([value, new Uint8Array(1)]) : value
  if (typeof value === 'number') {
    const bytes = new Uint8Array(vr === 'US' ? 2 : 4)
    const view = new DataView(bytes.buffer)
    if (vr === 'US') view.setUint16(0, value, true)
    else if (vr === 'UL') view.setUint32(0, value, true)
    else throw new Error(`${element.tag}: numbers are written for US and UL only, not ${vr}`)
    return bytes
  }
  const text = typeof value === 'string' ? value : (value as readonly string[]).join('\\')
  const bytes = utf8.encode(text)
  if (bytes.length % 2 === 0) return bytes
  // UI pads with NUL, every other string VR with a space (PS3.5 6.2).
  return concat([bytes, Uint8Array.of(vr === 'UI' ? 0 : 0x20)])
}

/** One element in Explicit VR Little Endian: header, then its value padded to even length. */
export function encodeElement(element: DicomElement): Uint8Array {
  const [group, number] = tagNumbers(element.tag)
  const value = valueBytes(element)
  const long = LONG_LENGTH_VRS.has(element.vr)
  const head = new Uint8Array(long ? 12 : 8)
  const view = new DataView(head.buffer)
  view.setUint16(0, group, true)
  view.setUint16(2, number, true)
  head[4] = element.vr.charCodeAt(0)
  head[5] = element.vr.charCodeAt(1)
  if (long) view.setUint32(8, value.length, true)
  else {
    if (value.length > 0xffff) throw new Error(`${element.tag} ${element.vr} is too long (${value.length} bytes)`)
    view.setUint16(6, value.length, true)
  }
  return concat([head, value])
}

function sorted(elements: readonly DicomElement[]): DicomElement[] {
  const out = [...elements].sort((a, b) => (a.tag.toUpperCase() < b.tag.toUpperCase() ? -1 : 1))
  out.forEach((e, i) => {
    if (i > 0 && out[i - 1]?.tag.toUpperCase() === e.tag.toUpperCase()) throw new Error(`${e.tag} occurs twice`)
  })
  return out
}

function encodeDataset(elements: readonly DicomElement[]): Uint8Array {
  return concat(sorted(elements).map(encodeElement))
}

/** An item (FFFE,E000) with a defined length. */
function encodeItem(item: DicomItem): Uint8Array {
  const body = encodeDataset(item)
  const head = new Uint8Array(8)
  const view = new DataView(head.buffer)
  view.setUint16(0, 0xfffe, true)
  view.setUint16(2, 0xe000, true)
  view.setUint32(4, body.length, true)
  return concat([head, body])
}

function textOf(elements: readonly DicomElement[], tag: Tag): string {
  const value = elements.find((e) => e.tag === tag)?.value
  if (typeof value !== 'string' || value === '') throw new Error(`the data set needs ${tag} for the File Meta group`)
  return value
}

export interface Part10Identity {
  implementationClassUid: string
  implementationVersionName: string
}

/**
 * Preamble, "DICM" and the File Meta group of a file whose data set has these SOP Class and
 * Instance UIDs and is written in this transfer syntax.
 */
export function encodePart10Preamble(sopClassUid: string, sopInstanceUid: string, transferSyntaxUid: string, identity: Part10Identity): Uint8Array {
  const meta = encodeDataset([
    { tag: '00020001', vr: 'OB', value: Uint8Array.of(0, 1) },
    { tag: '00020002', vr: 'UI', value: sopClassUid },
    { tag: '00020003', vr: 'UI', value: sopInstanceUid },
    { tag: '00020010', vr: 'UI', value: transferSyntaxUid },
    { tag: '00020012', vr: 'UI', value: identity.implementationClassUid },
    { tag: '00020013', vr: 'SH', value: identity.implementationVersionName },
  ])
  const groupLength = encodeElement({ tag: '00020000', vr: 'UL', value: meta.length })
  const preamble = new Uint8Array(132)
  preamble.set(utf8.encode('DICM'), 128)
  return concat([preamble, groupLength, meta])
}

/** The whole file: preamble, "DICM", File Meta (from the data set's SOP Class and Instance UIDs), data set. */
export function encodePart10(dataset: readonly DicomElement[], identity: Part10Identity): Uint8Array {
  if (dataset.some((e) => e.tag.startsWith('0002'))) throw new Error('group 0002 is written by the writer itself')
  const head = encodePart10Preamble(textOf(dataset, '00080016'), textOf(dataset, '00080018'), EXPLICIT_VR_LITTLE_ENDIAN, identity)
  return concat([head, encodeDataset(dataset)])
}
