/**
 * Rewriting a Part-10 file: some top-level elements set, others left out, every remaining one
 * copied byte for byte (sequences of undefined length and encapsulated pixel data included),
 * and the File Meta group rebuilt for the result with the source's transfer syntax. Compressed
 * pixel data therefore stays exactly as it was: nothing is decoded or re-encoded.
 *
 * dicom-part10-writer.ts writes whole data sets in Explicit VR Little Endian only, so it cannot
 * carry a JPEG 2000 image over; this module can, for any transfer syntax whose data set is
 * explicit VR little endian (all but implicit VR, big endian and deflate).
 */
import type { DicomElement, DicomItem, ElementValue, Part10Identity, Tag } from './dicom-part10-writer.ts'
import { DicomParseError, parseDicom, type ParsedDicom } from './dicom-part10.ts'

export interface Part10Rewrite {
  /** Elements to write; each replaces the source's element of the same tag, if any. Not group 0002. */
  set: readonly DicomElement[]
  /** Source elements to leave out, by tag as 8 upper-case hex digits ("0008103E"). */
  drop?: (tag: Tag) => boolean
}

/** Transfer syntaxes whose data set is not explicit VR little endian, so its elements cannot be spliced. */
const NOT_SPLICEABLE = new Map([
  ['1.2.840.10008.1.2', 'Implicit VR Little Endian'],
  ['1.2.840.10008.1.2.2', 'Explicit VR Big Endian'],
  ['1.2.840.10008.1.2.1.99', 'Deflated Explicit VR Little Endian'],
])

// The VRs whose explicit-VR header is 12 bytes, as dicom-parser reads them: its dataOffset is what
// the header start is computed from, so the two must agree.
const LONG_HEADER_VRS = new Set(['OB', 'OD', 'OL', 'OW', 'SQ', 'OF', 'UC', 'UR', 'UT', 'UN'])
const WRITTEN_LONG_HEADER_VRS = new Set([...LONG_HEADER_VRS, 'OV', 'SV', 'UV'])
const utf8 = new TextEncoder()

/** A source element by its place in the file: header start to the next element's header start. */
interface SourceElement {
  tag: Tag
  start: number
  end: number
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let offset = 0
  for (const p of parts) {
    out.set(p, offset)
    offset += p.length
  }
  return out
}

function valueBytes(tag: Tag, vr: string, value: ElementValue): Uint8Array {
  if (vr === 'SQ') {
    if (!Array.isArray(value)) throw new Error(`${tag} SQ needs items`)
    return concat((value as readonly DicomItem[]).map(encodeItem))
  }
  if (value instanceof Uint8Array) return value.length % 2 ? concat([value, new Uint8Array(1)]) : value
  if (typeof value === 'number') {
    const bytes = new Uint8Array(vr === 'US' ? 2 : 4)
    const view = new DataView(bytes.buffer)
    if (vr === 'US') view.setUint16(0, value, true)
    else if (vr === 'UL') view.setUint32(0, value, true)
    else throw new Error(`${tag}: numbers are written for US and UL only, not ${vr}`)
    return bytes
  }
  const text = typeof value === 'string' ? value : (value as readonly string[]).join('\\')
  const bytes = utf8.encode(text)
  if (bytes.length % 2 === 0) return bytes
  // UI pads with NUL, every other string VR with a space (PS3.5 6.2).
  return concat([bytes, Uint8Array.of(vr === 'UI' ? 0 : 0x20)])
}

function encodeElement({ tag, vr, value }: DicomElement): Uint8Array {
  if (!/^[0-9A-F]{8}$/.test(tag)) throw new Error(`bad tag ${tag} (8 upper-case hex digits)`)
  const bytes = valueBytes(tag, vr, value)
  const long = WRITTEN_LONG_HEADER_VRS.has(vr)
  const head = new Uint8Array(long ? 12 : 8)
  const view = new DataView(head.buffer)
  view.setUint16(0, parseInt(tag.slice(0, 4), 16), true)
  view.setUint16(2, parseInt(tag.slice(4), 16), true)
  head[4] = vr.charCodeAt(0)
  head[5] = vr.charCodeAt(1)
  if (long) view.setUint32(8, bytes.length, true)
  else {
    if (bytes.length > 0xffff) throw new Error(`${tag} ${vr} is too long (${bytes.length} bytes)`)
    view.setUint16(6, bytes.length, true)
  }
  return concat([head, bytes])
}

function byTag(a: { tag: Tag }, b: { tag: Tag }): number {
  return a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0
}

/** An item (FFFE,E000) of defined length, its elements in tag order. */
function encodeItem(item: DicomItem): Uint8Array {
  const body = concat([...item].sort(byTag).map(encodeElement))
  const head = new Uint8Array(8)
  const view = new DataView(head.buffer)
  view.setUint16(0, 0xfffe, true)
  view.setUint16(2, 0xe000, true)
  view.setUint32(4, body.length, true)
  return concat([head, body])
}

/** The top-level data set elements of a parsed file, in file order, with their byte ranges. */
function sourceElements(bytes: Uint8Array): { parsed: ParsedDicom; transferSyntaxUid: string; elements: SourceElement[] } {
  const parsed = parseDicom(bytes)
  const transferSyntaxUid = parsed.text('00020010', 'UI')
  const refused = NOT_SPLICEABLE.get(transferSyntaxUid)
  if (transferSyntaxUid === '' || refused) {
    throw new DicomParseError(`the data set must be explicit VR little endian to be rewritten, not ${refused ?? 'unknown (no transfer syntax)'}`)
  }
  const located = Object.entries(parsed.dataSet.elements)
    .map(([key, element]) => ({
      tag: key.slice(1).toUpperCase(),
      start: element.dataOffset - (LONG_HEADER_VRS.has(element.vr ?? '') ? 12 : 8),
    }))
    .filter((e) => !e.tag.startsWith('0002'))
    .sort((a, b) => a.start - b.start)
  const elements = located.map((e, i) => ({ ...e, end: located[i + 1]?.start ?? bytes.length }))
  return { parsed, transferSyntaxUid, elements }
}

/** The rewritten file. Deterministic: the same source and rewrite give the same bytes. */
export function rewritePart10(source: Uint8Array, rewrite: Part10Rewrite, identity: Part10Identity): Uint8Array {
  const { parsed, transferSyntaxUid, elements } = sourceElements(source)
  const setTags = new Set<Tag>()
  for (const e of rewrite.set) {
    if (e.tag.startsWith('0002')) throw new Error(`${e.tag}: group 0002 is written by the rewriter itself`)
    if (setTags.has(e.tag)) throw new Error(`${e.tag} is set twice`)
    setTags.add(e.tag)
  }
  const kept = elements.filter((e) => !setTags.has(e.tag) && !rewrite.drop?.(e.tag))
  const body = [
    ...kept.map((e) => ({ tag: e.tag, bytes: source.subarray(e.start, e.end) })),
    ...rewrite.set.map((e) => ({ tag: e.tag, bytes: encodeElement(e) })),
  ].sort(byTag)

  const textOf = (tag: Tag): string => {
    const fromSet = rewrite.set.find((e) => e.tag === tag)?.value
    if (typeof fromSet === 'string') return fromSet
    const value = kept.some((e) => e.tag === tag) ? parsed.text(tag, 'UI') : ''
    if (value === '') throw new Error(`the rewritten data set has no ${tag}, which the File Meta group repeats`)
    return value
  }
  const meta = concat(
    [
      { tag: '00020001', vr: 'OB', value: Uint8Array.of(0, 1) },
      { tag: '00020002', vr: 'UI', value: textOf('00080016') },
      { tag: '00020003', vr: 'UI', value: textOf('00080018') },
      { tag: '00020010', vr: 'UI', value: transferSyntaxUid },
      { tag: '00020012', vr: 'UI', value: identity.implementationClassUid },
      { tag: '00020013', vr: 'SH', value: identity.implementationVersionName },
    ].map(encodeElement),
  )
  const preamble = new Uint8Array(132)
  preamble.set(utf8.encode('DICM'), 128)
  return concat([preamble, encodeElement({ tag: '00020000', vr: 'UL', value: meta.length }), meta, ...body.map((b) => b.bytes)])
}
