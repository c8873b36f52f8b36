/**
 * A bounds-checking walk over a DICOM data set's element headers, before any parser sees it.
 * No value is copied: each header is read, its length checked against the bytes that actually
 * remain (in the file, or in the item or sequence around it), and the walk moves on. Undefined
 * lengths are accepted only where PS3.5 allows them; sequence nesting and the number of
 * elements are bounded. Anything else ends the walk with a DicomSafetyError.
 */
import { DicomSafetyError } from './dicom-safety-error.ts'

export interface Encoding {
  explicit: boolean
  littleEndian: boolean
}

export interface WalkLimits {
  maxSequenceDepth: number
  maxElements: number
}

/**
 * The VR a reader will use for an element whose VR the file does not say (implicit VR, or UN):
 * the viewer's reader (dcmjs) takes it from its dictionary, and reads a fixed-size binary VR in
 * whole values, so a length that is not a whole number of values shifts everything after it.
 */
export type ImplicitVrLookup = (tag: number) => string | undefined

/** Where a top-level element's value lies. */
export interface ElementRef {
  vr: string | undefined
  offset: number
  length: number
}

export interface FragmentRef {
  offset: number
  length: number
}

export interface PixelDataRef {
  vr: string | undefined
  /** Where the value (native) or the first item (encapsulated) starts. */
  offset: number
  /** Native pixel data: its length. */
  length: number
  /** Encapsulated pixel data: the Basic Offset Table item, then the fragments. */
  items?: FragmentRef[]
}

export interface WalkedDataSet {
  /** The top-level elements asked for, by tag (group << 16 | element). */
  elements: Map<number, ElementRef>
  /** Top-level Pixel Data (7FE0,0010), if any. */
  pixelData?: PixelDataRef
  elementCount: number
  deepestSequence: number
}

const UNDEFINED = 0xffffffff
const ITEM = 0xfffee000
const ITEM_DELIMITER = 0xfffee00d
const SEQUENCE_DELIMITER = 0xfffee0dd
export const PIXEL_DATA = 0x7fe00010

/** Every value representation PS3.5 defines. */
export const VALID_VRS = new Set(['AE', 'AS', 'AT', 'CS', 'DA', 'DS', 'DT', 'FL', 'FD', 'IS', 'LO', 'LT', 'OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'PN', 'SH', 'SL', 'SQ', 'SS', 'ST', 'SV', 'TM', 'UC', 'UI', 'UL', 'UN', 'UR', 'US', 'UT', 'UV'])
/** Explicit VRs whose header has 2 reserved bytes and a 4-byte length (PS3.5 7.1.2). */
export const LONG_LENGTH_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV'])
/** Binary VRs read value by value: their length must be a whole number of values (PS3.5 6.2). */
const VALUE_SIZE: Record<string, number> = { US: 2, SS: 2, UL: 4, SL: 4, FL: 4, AT: 4, FD: 8, SV: 8, UV: 8 }
/** CP-246: an undefined-length UN is a sequence encoded in implicit VR little endian. */
const IMPLICIT_LITTLE: Encoding = { explicit: false, littleEndian: true }

export const tagLabel = (tag: number) => `(${(tag >>> 16).toString(16).toUpperCase().padStart(4, '0')},${(tag & 0xffff).toString(16).toUpperCase().padStart(4, '0')})`
const count = (n: number) => n.toLocaleString('en-US')

class Walker {
  private readonly bytes: Uint8Array
  private readonly view: DataView
  private readonly limits: WalkLimits
  private readonly wanted: ReadonlySet<number>
  private readonly encapsulated: boolean
  private readonly implicitVr: ImplicitVrLookup | undefined
  elementCount = 0
  deepestSequence = 0
  readonly elements = new Map<number, ElementRef>()
  pixelData: PixelDataRef | undefined

  constructor(bytes: Uint8Array, limits: WalkLimits, wanted: ReadonlySet<number>, encapsulated: boolean, implicitVr: ImplicitVrLookup | undefined) {
    this.bytes = bytes
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    this.limits = limits
    this.wanted = wanted
    this.encapsulated = encapsulated
    this.implicitVr = implicitVr
  }

  /** A fixed-size binary value must hold whole values, whether its VR is in the file or in the reader's dictionary. */
  private wholeValues(tag: number, vr: string | undefined, length: number, pos: number): void {
    const effective = vr === undefined || vr === 'UN' ? this.implicitVr?.(tag) : vr
    const size = effective ? VALUE_SIZE[effective] : undefined
    if (size && length % size !== 0) {
      throw new DicomSafetyError('bad-length', `${tagLabel(tag)} ${effective} at byte ${count(pos)} is ${count(length)} bytes, not a whole number of ${size}-byte values`)
    }
  }

  private counted(): void {
    if (++this.elementCount > this.limits.maxElements) {
      throw new DicomSafetyError('too-many-elements', `the data set has more than ${count(this.limits.maxElements)} elements`)
    }
  }

  private need(pos: number, size: number, end: number, what: string): void {
    if (pos + size > end) {
      const code = end === this.bytes.length ? 'truncated' : 'length-out-of-bounds'
      throw new DicomSafetyError(code, `${what} at byte ${count(pos)} runs past the end of ${end === this.bytes.length ? 'the file' : 'its item or sequence'} (byte ${count(end)})`)
    }
  }

  private tagAt(pos: number, enc: Encoding): number {
    return ((this.view.getUint16(pos, enc.littleEndian) << 16) | this.view.getUint16(pos + 2, enc.littleEndian)) >>> 0
  }

  private valueFits(tag: number, pos: number, length: number, end: number): void {
    if (pos + length > end) {
      const where = end === this.bytes.length ? `only ${count(end - pos)} remain in the file` : `only ${count(end - pos)} remain in its item or sequence`
      throw new DicomSafetyError('length-out-of-bounds', `${tagLabel(tag)} declares ${count(length)} bytes at byte ${count(pos)} but ${where}: the file is truncated or the length is corrupt`)
    }
  }

  /**
   * Elements from `pos` up to `end` (a defined-length item or the whole data set), or up to
   * an Item Delimitation Item when `delimited` (an undefined-length item). Returns where it stopped.
   */
  walkElements(pos: number, end: number, enc: Encoding, depth: number, delimited: boolean): number {
    const topLevel = depth === 0
    while (pos < end) {
      this.need(pos, 4, end, 'an element tag')
      const tag = this.tagAt(pos, enc)
      if (tag === ITEM_DELIMITER) {
        this.need(pos, 8, end, 'an item delimiter')
        if (!delimited) throw new DicomSafetyError('bad-item', `an item delimiter at byte ${count(pos)} closes no undefined-length item`)
        return pos + 8
      }
      if (tag === ITEM || tag === SEQUENCE_DELIMITER) {
        throw new DicomSafetyError('bad-item', `${tag === ITEM ? 'an item' : 'a sequence delimiter'} at byte ${count(pos)} stands outside any sequence`)
      }
      this.counted()
      let vr: string | undefined
      let length: number
      let valueStart: number
      if (enc.explicit) {
        this.need(pos, 8, end, `the header of ${tagLabel(tag)}`)
        vr = String.fromCharCode(this.bytes[pos + 4]!, this.bytes[pos + 5]!)
        if (!VALID_VRS.has(vr)) throw new DicomSafetyError('bad-vr', `${tagLabel(tag)} at byte ${count(pos)} has no valid value representation ("${printable(vr)}")`)
        if (LONG_LENGTH_VRS.has(vr)) {
          this.need(pos, 12, end, `the header of ${tagLabel(tag)}`)
          length = this.view.getUint32(pos + 8, enc.littleEndian)
          valueStart = pos + 12
        } else {
          length = this.view.getUint16(pos + 6, enc.littleEndian)
          valueStart = pos + 8
        }
      } else {
        this.need(pos, 8, end, `the header of ${tagLabel(tag)}`)
        length = this.view.getUint32(pos + 4, enc.littleEndian)
        valueStart = pos + 8
      }

      if (length === UNDEFINED) {
        pos = this.walkUndefinedLength(tag, vr, valueStart, end, enc, depth, topLevel)
        continue
      }
      this.valueFits(tag, valueStart, length, end)
      this.wholeValues(tag, vr, length, pos)
      if (topLevel && tag === PIXEL_DATA) {
        if (this.encapsulated) throw new DicomSafetyError('bad-fragments', 'Pixel Data of a compressed transfer syntax must be encapsulated (undefined length), but it has a defined length')
        this.pixelData = { vr, offset: valueStart, length }
      } else if (vr === 'SQ' || (!enc.explicit && this.looksLikeImplicitSequence(tag, valueStart, length))) {
        this.walkSequence(tag, valueStart, valueStart + length, enc, depth + 1, false)
      }
      if (topLevel && this.wanted.has(tag)) this.elements.set(tag, { vr, offset: valueStart, length })
      pos = valueStart + length
    }
    if (delimited) throw new DicomSafetyError(end === this.bytes.length ? 'truncated' : 'bad-item', `an undefined-length item is never closed (no item delimiter before byte ${count(end)})`)
    if (pos !== end) throw new DicomSafetyError('length-out-of-bounds', `elements run past their item's end at byte ${count(end)}`)
    return pos
  }

  /**
   * dicom-parser reads an implicit VR element of a public tag as a sequence when its value
   * starts with an item tag: such values are walked as sequences too, so their nesting is bounded.
   */
  private looksLikeImplicitSequence(tag: number, valueStart: number, length: number): boolean {
    if (length < 8 || tag === PIXEL_DATA || ((tag >>> 16) & 1) === 1) return false
    const next = this.tagAt(valueStart, IMPLICIT_LITTLE)
    return next === ITEM || next === SEQUENCE_DELIMITER
  }

  private walkUndefinedLength(tag: number, vr: string | undefined, valueStart: number, end: number, enc: Encoding, depth: number, topLevel: boolean): number {
    if (topLevel && tag === PIXEL_DATA) {
      if (!this.encapsulated) throw new DicomSafetyError('undefined-length-not-allowed', 'Pixel Data has an undefined length, but the transfer syntax is not a compressed (encapsulated) one')
      return this.walkFragments(valueStart, end, enc, vr)
    }
    if (!enc.explicit || vr === 'SQ') return this.walkSequence(tag, valueStart, end, enc, depth + 1, true)
    if (vr === 'UN') return this.walkSequence(tag, valueStart, end, IMPLICIT_LITTLE, depth + 1, true)
    throw new DicomSafetyError('undefined-length-not-allowed', `${tagLabel(tag)} ${vr} has an undefined length (FFFFFFFF), which only sequences and encapsulated pixel data may have`)
  }

  /** Items of a sequence in [pos, end), or up to its Sequence Delimitation Item when `delimited`. */
  private walkSequence(tag: number, pos: number, end: number, enc: Encoding, depth: number, delimited: boolean): number {
    if (depth > this.limits.maxSequenceDepth) {
      throw new DicomSafetyError('too-deep', `sequences are nested deeper than ${this.limits.maxSequenceDepth} levels (at ${tagLabel(tag)}, byte ${count(pos)})`)
    }
    this.deepestSequence = Math.max(this.deepestSequence, depth)
    while (pos < end) {
      this.need(pos, 8, end, `an item of ${tagLabel(tag)}`)
      const itemTag = this.tagAt(pos, enc)
      const length = this.view.getUint32(pos + 4, enc.littleEndian)
      if (itemTag === SEQUENCE_DELIMITER) {
        if (!delimited) throw new DicomSafetyError('bad-item', `a sequence delimiter at byte ${count(pos)} ends ${tagLabel(tag)}, which has a defined length`)
        return pos + 8
      }
      if (itemTag !== ITEM) throw new DicomSafetyError('bad-item', `${tagLabel(tag)} holds ${tagLabel(itemTag)} at byte ${count(pos)} where an item should be`)
      this.counted()
      const itemStart = pos + 8
      if (length === UNDEFINED) {
        pos = this.walkElements(itemStart, end, enc, depth, true)
      } else {
        this.valueFits(itemTag, itemStart, length, end)
        this.walkElements(itemStart, itemStart + length, enc, depth, false)
        pos = itemStart + length
      }
    }
    if (delimited) throw new DicomSafetyError(end === this.bytes.length ? 'truncated' : 'bad-item', `sequence ${tagLabel(tag)} is never closed (no sequence delimiter before byte ${count(end)})`)
    return pos
  }

  /** Encapsulated Pixel Data: defined-length items (the offset table, then fragments) up to the sequence delimiter. */
  private walkFragments(pos: number, end: number, enc: Encoding, vr: string | undefined): number {
    const items: FragmentRef[] = []
    const start = pos
    for (;;) {
      this.need(pos, 8, end, 'a Pixel Data fragment')
      const itemTag = this.tagAt(pos, enc)
      const length = this.view.getUint32(pos + 4, enc.littleEndian)
      if (itemTag === SEQUENCE_DELIMITER) {
        this.pixelData = { vr, offset: start, length: pos - start, items }
        return pos + 8
      }
      if (itemTag !== ITEM) throw new DicomSafetyError('bad-fragments', `Pixel Data holds ${tagLabel(itemTag)} at byte ${count(pos)} where a fragment should be`)
      if (length === UNDEFINED) throw new DicomSafetyError('bad-fragments', `a Pixel Data fragment at byte ${count(pos)} has an undefined length`)
      this.counted()
      this.valueFits(PIXEL_DATA, pos + 8, length, end)
      items.push({ offset: pos + 8, length })
      pos += 8 + length
    }
  }
}

function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
}

/**
 * Walks the data set in bytes[start, end of bytes) and returns the top-level elements asked
 * for and where Pixel Data lies. Throws a DicomSafetyError at the first violation.
 */
export function walkDataSet(
  bytes: Uint8Array,
  start: number,
  encoding: Encoding,
  encapsulated: boolean,
  limits: WalkLimits,
  wanted: ReadonlySet<number>,
  implicitVr?: ImplicitVrLookup,
): WalkedDataSet {
  const walker = new Walker(bytes, limits, wanted, encapsulated, implicitVr)
  walker.walkElements(start, bytes.length, encoding, 0, false)
  return { elements: walker.elements, pixelData: walker.pixelData, elementCount: walker.elementCount, deepestSequence: walker.deepestSequence }
}
