/**
 * Splits a Part-10 file whose data set is explicit VR little endian into its top-level
 * elements, each a view on the file's bytes. Nested sequences are not decoded: their items are
 * kept as bytes so they can be written back unchanged.
 */
import { formatTag, isVr, LONG_LENGTH_VRS, readText, tag, type DataElement } from './data-element.ts'
import { Tags } from './dicom-tags.ts'
import { encodesExplicitLittleEndian, IMPLICIT_VR_LITTLE_ENDIAN } from './transfer-syntaxes.ts'

export interface Part10File {
  transferSyntaxUid: string
  /** File Meta elements, group 0002. */
  meta: Map<number, DataElement>
  /** Top-level data set elements in file order. */
  dataset: Map<number, DataElement>
}

const PREAMBLE_LENGTH = 128
const UNDEFINED_LENGTH = 0xffffffff
const ITEM = tag(0xfffe, 0xe000)
const ITEM_DELIMITATION = tag(0xfffe, 0xe00d)
const SEQUENCE_DELIMITATION = tag(0xfffe, 0xe0dd)

/** Reads a Part-10 file; `name` only labels error messages. */
export function readPart10(bytes: Uint8Array, name: string): Part10File {
  if (bytes.length < PREAMBLE_LENGTH + 4 || String.fromCharCode(...bytes.subarray(PREAMBLE_LENGTH, PREAMBLE_LENGTH + 4)) !== 'DICM') {
    throw new Error(`${name}: not a DICOM Part-10 file (no "DICM" marker at byte 128)`)
  }
  const reader = new ElementReader(bytes, name)
  const meta = new Map<number, DataElement>()
  let offset = PREAMBLE_LENGTH + 4
  // The meta group is always explicit VR little endian, whatever the data set uses.
  while (offset < bytes.length && reader.groupAt(offset) === 0x0002) {
    const { element, next } = reader.elementAt(offset)
    meta.set(element.tag, element)
    offset = next
  }
  const transferSyntaxElement = meta.get(Tags.TransferSyntaxUid)
  if (!transferSyntaxElement) throw new Error(`${name}: the File Meta group has no Transfer Syntax UID`)
  const transferSyntaxUid = readText(transferSyntaxElement)
  if (!encodesExplicitLittleEndian(transferSyntaxUid)) {
    const hint = transferSyntaxUid === IMPLICIT_VR_LITTLE_ENDIAN ? ' (implicit VR: convert it first, e.g. `dcmconv +te`)' : ''
    throw new Error(`${name}: transfer syntax ${transferSyntaxUid} does not encode the data set as explicit VR little endian${hint}; only such sources can be copied`)
  }
  const dataset = new Map<number, DataElement>()
  while (offset < bytes.length) {
    const { element, next } = reader.elementAt(offset)
    if (dataset.has(element.tag)) throw new Error(`${name}: ${formatTag(element.tag)} occurs twice`)
    dataset.set(element.tag, element)
    offset = next
  }
  return { transferSyntaxUid, meta, dataset }
}

/** Walks explicit VR little endian elements, checking every length against the bytes that are there. */
class ElementReader {
  private readonly view: DataView
  private readonly bytes: Uint8Array
  private readonly name: string

  constructor(bytes: Uint8Array, name: string) {
    this.bytes = bytes
    this.name = name
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }

  groupAt(offset: number): number {
    this.need(offset, 2)
    return this.view.getUint16(offset, true)
  }

  elementAt(offset: number): { element: DataElement; next: number } {
    const elementTag = this.tagAt(offset)
    this.need(offset, 8)
    const vr = String.fromCharCode(this.view.getUint8(offset + 4), this.view.getUint8(offset + 5))
    if (!isVr(vr)) throw this.error(offset, `${formatTag(elementTag)} has no valid VR (${JSON.stringify(vr)}); the data set is not explicit VR`)
    const longForm = LONG_LENGTH_VRS.has(vr)
    const valueOffset = offset + (longForm ? 12 : 8)
    this.need(offset, longForm ? 12 : 8)
    const length = longForm ? this.view.getUint32(offset + 8, true) : this.view.getUint16(offset + 6, true)
    if (length !== UNDEFINED_LENGTH) {
      this.need(valueOffset, length)
      return { element: { tag: elementTag, vr, value: this.bytes.subarray(valueOffset, valueOffset + length) }, next: valueOffset + length }
    }
    if (vr === 'SQ') {
      const delimiter = this.skipItems(valueOffset, true)
      return { element: { tag: elementTag, vr, value: this.bytes.subarray(valueOffset, delimiter) }, next: delimiter + 8 }
    }
    if (elementTag === Tags.PixelData && (vr === 'OB' || vr === 'OW')) {
      const delimiter = this.skipItems(valueOffset, false)
      return { element: { tag: elementTag, vr, value: this.bytes.subarray(valueOffset, delimiter), encapsulated: true }, next: delimiter + 8 }
    }
    // UN of undefined length holds an implicit VR sequence, which this reader does not walk.
    throw this.error(offset, `${formatTag(elementTag)} ${vr} has undefined length, which is not supported`)
  }

  /** Skips the items of a sequence or of encapsulated pixel data; returns the offset of the sequence delimiter. */
  private skipItems(offset: number, itemsMayBeUndefinedLength: boolean): number {
    let position = offset
    for (;;) {
      const itemTag = this.tagAt(position)
      this.need(position, 8)
      const length = this.view.getUint32(position + 4, true)
      if (itemTag === SEQUENCE_DELIMITATION) return position
      if (itemTag !== ITEM) throw this.error(position, `expected an item or a sequence delimiter, found ${formatTag(itemTag)}`)
      if (length !== UNDEFINED_LENGTH) {
        this.need(position + 8, length)
        position += 8 + length
      } else if (itemsMayBeUndefinedLength) {
        position = this.skipUntilItemDelimiter(position + 8)
      } else {
        throw this.error(position, 'a pixel data fragment has undefined length')
      }
    }
  }

  private skipUntilItemDelimiter(offset: number): number {
    let position = offset
    while (this.tagAt(position) !== ITEM_DELIMITATION) position = this.elementAt(position).next
    return position + 8
  }

  private tagAt(offset: number): number {
    this.need(offset, 4)
    return tag(this.view.getUint16(offset, true), this.view.getUint16(offset + 2, true))
  }

  private need(offset: number, length: number): void {
    if (offset + length > this.bytes.length) throw this.error(offset, `needs ${length} bytes but the file ends at ${this.bytes.length}; it is truncated`)
  }

  private error(offset: number, message: string): Error {
    return new Error(`${this.name}: at byte ${offset}: ${message}`)
  }
}
