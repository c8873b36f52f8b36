/**
 * Encapsulated Pixel Data (PS3.5 A.4) as the generator writes and reads it: an empty Basic
 * Offset Table item, then one fragment per frame, each padded to even length.
 */
import { tag } from './data-element.ts'

const ITEM = tag(0xfffe, 0xe000)

function itemHeader(view: DataView, offset: number, length: number): void {
  view.setUint16(offset, 0xfffe, true)
  view.setUint16(offset + 2, 0xe000, true)
  view.setUint32(offset + 4, length, true)
}

/** The items of encapsulated Pixel Data (without the sequence delimiter, which the writer adds). */
export function encapsulateFrames(frames: readonly Uint8Array[]): Uint8Array {
  const size = 8 + frames.reduce((sum, frame) => sum + 8 + frame.length + (frame.length % 2), 0)
  const bytes = new Uint8Array(size)
  const view = new DataView(bytes.buffer)
  itemHeader(view, 0, 0)
  let offset = 8
  for (const frame of frames) {
    const padded = frame.length + (frame.length % 2)
    itemHeader(view, offset, padded)
    bytes.set(frame, offset + 8)
    offset += 8 + padded
  }
  return bytes
}

/** The fragments after the offset table, as views on `items` (the value of an encapsulated Pixel Data element). */
export function readFragments(items: Uint8Array): Uint8Array[] {
  const view = new DataView(items.buffer, items.byteOffset, items.byteLength)
  const fragments: Uint8Array[] = []
  let offset = 0
  while (offset < items.length) {
    if (offset + 8 > items.length) throw new Error(`encapsulated pixel data ends inside an item header at byte ${offset}`)
    const itemTag = tag(view.getUint16(offset, true), view.getUint16(offset + 2, true))
    if (itemTag !== ITEM) throw new Error(`expected a pixel data item at byte ${offset}`)
    const length = view.getUint32(offset + 4, true)
    if (offset + 8 + length > items.length) throw new Error(`a pixel data fragment of ${length} bytes runs past the end`)
    fragments.push(items.subarray(offset + 8, offset + 8 + length))
    offset += 8 + length
  }
  // the first item is the Basic Offset Table
  return fragments.slice(1)
}
