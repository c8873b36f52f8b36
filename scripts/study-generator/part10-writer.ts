/**
 * Serializes a data set as a DICOM Part-10 file: 128-byte preamble, "DICM", the File Meta group
 * (with its group length computed), then the data set in ascending tag order, every value
 * padded to even length. Explicit VR little endian, with Pixel Data either native or (for
 * JPEG 2000) encapsulated: frames already compressed, written as fragments of undefined length.
 */
import { writeFile } from 'node:fs/promises'
import { formatTag, LONG_LENGTH_VRS, readText, SPACE_PADDED_VRS, tagGroup, textElement, uidElement, unsignedLongElement, type DataElement } from './data-element.ts'
import { Tags } from './dicom-tags.ts'
import { isEncapsulated, type WritableTransferSyntaxUid } from './transfer-syntaxes.ts'
import { uidFromName } from './uid-generator.ts'

export interface Part10Instance {
  transferSyntaxUid: WritableTransferSyntaxUid
  /**
   * Data set elements in any order. Must hold SOP Class and SOP Instance UID, from which the
   * File Meta group is derived so the two can never disagree. Group 0002 and group lengths
   * (gggg,0000) are refused: the writer owns the first, and the second would go stale.
   */
  dataset: readonly DataElement[]
}

const PREAMBLE_LENGTH = 128
/** Identifies files written by this generator, as PS3.10 7.1 asks of every writer. */
export const IMPLEMENTATION_CLASS_UID = uidFromName('implementation-class/reading-workstation-study-generator')
export const IMPLEMENTATION_VERSION_NAME = 'RW_STUDYGEN_1'

/** The whole file in one buffer. */
export function encodePart10(instance: Part10Instance): Uint8Array {
  const dataset = sortedDataset(instance)
  const meta = metaGroup(instance.transferSyntaxUid, dataset)
  const size = PREAMBLE_LENGTH + 4 + [...meta, ...dataset].reduce((sum, element) => sum + encodedSize(element), 0)
  const bytes = new Uint8Array(size)
  const view = new DataView(bytes.buffer)
  bytes.set([0x44, 0x49, 0x43, 0x4d], PREAMBLE_LENGTH)
  let offset = PREAMBLE_LENGTH + 4
  for (const element of meta) offset = writeElement(bytes, view, offset, element)
  for (const element of dataset) offset = writeElement(bytes, view, offset, element)
  if (offset !== size) throw new Error(`internal error: wrote ${offset} of ${size} bytes`)
  return bytes
}

/** Writes the file and returns its size in bytes. */
export async function writePart10File(path: string, instance: Part10Instance): Promise<number> {
  const bytes = encodePart10(instance)
  await writeFile(path, bytes)
  return bytes.length
}

function sortedDataset(instance: Part10Instance): DataElement[] {
  const dataset = [...instance.dataset].sort((a, b) => a.tag - b.tag)
  for (const [index, element] of dataset.entries()) {
    const group = tagGroup(element.tag)
    if (group === 0x0002) throw new Error(`${formatTag(element.tag)} belongs to the File Meta group, which the writer builds itself`)
    if ((element.tag & 0xffff) === 0) throw new Error(`${formatTag(element.tag)} is a group length; leave it out (it is retired and would go stale)`)
    if (index > 0 && dataset[index - 1]?.tag === element.tag) throw new Error(`${formatTag(element.tag)} occurs twice in the data set`)
    if (element.encapsulated && !isEncapsulated(instance.transferSyntaxUid)) throw new Error(`${formatTag(element.tag)} is encapsulated, which ${instance.transferSyntaxUid} does not allow`)
    if (element.encapsulated && element.tag !== Tags.PixelData) throw new Error(`${formatTag(element.tag)} is encapsulated; only Pixel Data can be`)
    if (isEncapsulated(instance.transferSyntaxUid) && element.tag === Tags.PixelData && !element.encapsulated) {
      throw new Error(`${instance.transferSyntaxUid} needs encapsulated Pixel Data (compressed frames in fragments)`)
    }
  }
  return dataset
}

function metaGroup(transferSyntaxUid: string, dataset: readonly DataElement[]): DataElement[] {
  const required = (elementTag: number): string => {
    const element = dataset.find((candidate) => candidate.tag === elementTag)
    if (!element) throw new Error(`the data set has no ${formatTag(elementTag)}, which the File Meta group repeats`)
    return readText(element)
  }
  const group = [
    { tag: Tags.FileMetaInformationVersion, vr: 'OB', value: new Uint8Array([0x00, 0x01]) } satisfies DataElement,
    uidElement(Tags.MediaStorageSopClassUid, required(Tags.SopClassUid)),
    uidElement(Tags.MediaStorageSopInstanceUid, required(Tags.SopInstanceUid)),
    uidElement(Tags.TransferSyntaxUid, transferSyntaxUid),
    uidElement(Tags.ImplementationClassUid, IMPLEMENTATION_CLASS_UID),
    textElement(Tags.ImplementationVersionName, 'SH', IMPLEMENTATION_VERSION_NAME),
  ]
  const groupLength = group.reduce((sum, element) => sum + encodedSize(element), 0)
  return [unsignedLongElement(Tags.FileMetaInformationGroupLength, groupLength), ...group]
}

function paddedLength(element: DataElement): number {
  return element.value.length + (element.value.length % 2)
}

/** Undefined length, closed by a Sequence Delimitation Item: how encapsulated Pixel Data is written (PS3.5 A.4). */
const UNDEFINED_LENGTH = 0xffffffff
const SEQUENCE_DELIMITER_LENGTH = 8

function encodedSize(element: DataElement): number {
  return (LONG_LENGTH_VRS.has(element.vr) ? 12 : 8) + paddedLength(element) + (element.encapsulated ? SEQUENCE_DELIMITER_LENGTH : 0)
}

function writeElement(bytes: Uint8Array, view: DataView, offset: number, element: DataElement): number {
  if (element.encapsulated) return writeEncapsulated(bytes, view, offset, element)
  const length = paddedLength(element)
  if (length !== element.value.length) {
    // Only strings and byte streams may have odd length; words and numbers never do.
    if (!SPACE_PADDED_VRS.has(element.vr) && element.vr !== 'UI' && element.vr !== 'OB' && element.vr !== 'UN') {
      throw new Error(`${formatTag(element.tag)} ${element.vr} has odd length ${element.value.length}`)
    }
  }
  view.setUint16(offset, tagGroup(element.tag), true)
  view.setUint16(offset + 2, element.tag & 0xffff, true)
  view.setUint8(offset + 4, element.vr.charCodeAt(0))
  view.setUint8(offset + 5, element.vr.charCodeAt(1))
  let valueOffset: number
  if (LONG_LENGTH_VRS.has(element.vr)) {
    view.setUint16(offset + 6, 0, true)
    view.setUint32(offset + 8, length, true)
    valueOffset = offset + 12
  } else {
    if (length > 0xffff) throw new Error(`${formatTag(element.tag)} ${element.vr} is ${length} bytes, more than a 2-byte length can say`)
    view.setUint16(offset + 6, length, true)
    valueOffset = offset + 8
  }
  bytes.set(element.value, valueOffset)
  if (length !== element.value.length) bytes[valueOffset + element.value.length] = SPACE_PADDED_VRS.has(element.vr) ? 0x20 : 0x00
  return valueOffset + length
}

/** The items were built whole (offset table, even-length fragments); only the header and the delimiter are added here. */
function writeEncapsulated(bytes: Uint8Array, view: DataView, offset: number, element: DataElement): number {
  if (element.value.length % 2 !== 0) throw new Error(`${formatTag(element.tag)}: encapsulated items have odd length ${element.value.length}`)
  view.setUint16(offset, tagGroup(element.tag), true)
  view.setUint16(offset + 2, element.tag & 0xffff, true)
  view.setUint8(offset + 4, 'O'.charCodeAt(0))
  view.setUint8(offset + 5, 'B'.charCodeAt(0))
  view.setUint16(offset + 6, 0, true)
  view.setUint32(offset + 8, UNDEFINED_LENGTH, true)
  bytes.set(element.value, offset + 12)
  const end = offset + 12 + element.value.length
  view.setUint16(end, 0xfffe, true)
  view.setUint16(end + 2, 0xe0dd, true)
  view.setUint32(end + 4, 0, true)
  return end + SEQUENCE_DELIMITER_LENGTH
}

/** A sequence (SQ) of items, each a list of elements, encoded with explicit lengths as the writer writes every value. */
export function sequenceElement(elementTag: number, items: readonly (readonly DataElement[])[]): DataElement {
  const encodedItems = items.map((item) => {
    const elements = [...item].sort((a, b) => a.tag - b.tag)
    const bytes = new Uint8Array(8 + elements.reduce((sum, element) => sum + encodedSize(element), 0))
    const view = new DataView(bytes.buffer)
    view.setUint16(0, 0xfffe, true)
    view.setUint16(2, 0xe000, true)
    view.setUint32(4, bytes.length - 8, true)
    let offset = 8
    for (const element of elements) offset = writeElement(bytes, view, offset, element)
    return bytes
  })
  const value = new Uint8Array(encodedItems.reduce((sum, item) => sum + item.length, 0))
  let offset = 0
  for (const item of encodedItems) {
    value.set(item, offset)
    offset += item.length
  }
  return { tag: elementTag, vr: 'SQ', value }
}
