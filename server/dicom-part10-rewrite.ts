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
import { concat, encodeElement, encodePart10Preamble, type DicomElement, type Part10Identity, type Tag } from './dicom-part10-writer.ts'
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

/** A source element by its place in the file: header start to the next element's header start. */
interface SourceElement {
  tag: Tag
  start: number
  end: number
}

function byTag(a: { tag: Tag }, b: { tag: Tag }): number {
  return a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0
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
    // upper case, as the source's tags are read: the merged elements are put in order by comparing them
    if (!/^[0-9A-F]{8}$/.test(e.tag)) throw new Error(`bad tag ${e.tag} (8 upper-case hex digits)`)
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
  const head = encodePart10Preamble(textOf('00080016'), textOf('00080018'), transferSyntaxUid, identity)
  return concat([head, ...body.map((b) => b.bytes)])
}
