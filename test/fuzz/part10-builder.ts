/**
 * Part-10 files built byte by byte for tests: any transfer syntax's encoding, sequences and
 * items of defined or undefined length, encapsulated pixel data, and lengths that lie. The
 * safety check's unit tests and the fuzz test's mutations both build with it.
 */

export const UNDEFINED_LENGTH = 0xffffffff
export const EXPLICIT_LE = '1.2.840.10008.1.2.1'
export const IMPLICIT_LE = '1.2.840.10008.1.2'
export const EXPLICIT_BE = '1.2.840.10008.1.2.2'
export const DEFLATED_LE = '1.2.840.10008.1.2.1.99'
export const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7'

export interface Encoding {
  explicit: boolean
  littleEndian: boolean
}
export const EXPLICIT_LITTLE: Encoding = { explicit: true, littleEndian: true }
export const IMPLICIT_LITTLE: Encoding = { explicit: false, littleEndian: true }
export const EXPLICIT_BIG: Encoding = { explicit: true, littleEndian: false }

const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV'])

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

/** Text padded to even length (UI with NUL, others with a space). */
export function text(value: string, vr = 'UI'): Uint8Array {
  const bytes = new TextEncoder().encode(value)
  return bytes.length % 2 ? concat([bytes, Uint8Array.of(vr === 'UI' ? 0 : 0x20)]) : bytes
}

export function us(value: number, enc: Encoding = EXPLICIT_LITTLE): Uint8Array {
  const out = new Uint8Array(2)
  new DataView(out.buffer).setUint16(0, value, enc.littleEndian)
  return out
}

export function ul(value: number, enc: Encoding = EXPLICIT_LITTLE): Uint8Array {
  const out = new Uint8Array(4)
  new DataView(out.buffer).setUint32(0, value, enc.littleEndian)
  return out
}

/**
 * One element: tag as 0xGGGGEEEE. `length` overrides the length field (a lie, or UNDEFINED_LENGTH);
 * a 2-byte length field gets its low 16 bits.
 */
export function element(tag: number, vr: string, value: Uint8Array, enc: Encoding = EXPLICIT_LITTLE, length = value.length): Uint8Array {
  const long = LONG_VRS.has(vr)
  const headerLength = enc.explicit ? (long ? 12 : 8) : 8
  const header = new Uint8Array(headerLength)
  const view = new DataView(header.buffer)
  view.setUint16(0, tag >>> 16, enc.littleEndian)
  view.setUint16(2, tag & 0xffff, enc.littleEndian)
  if (enc.explicit) {
    header[4] = vr.charCodeAt(0)
    header[5] = vr.charCodeAt(1)
    if (long) view.setUint32(8, length >>> 0, enc.littleEndian)
    else view.setUint16(6, length & 0xffff, enc.littleEndian)
  } else {
    view.setUint32(4, length >>> 0, enc.littleEndian)
  }
  return concat([header, value])
}

/** An item (FFFE,E000) of a sequence; undefined length closes it with an item delimiter. */
export function item(content: Uint8Array, enc: Encoding = EXPLICIT_LITTLE, undefinedLength = false): Uint8Array {
  const header = new Uint8Array(8)
  const view = new DataView(header.buffer)
  view.setUint16(0, 0xfffe, enc.littleEndian)
  view.setUint16(2, 0xe000, enc.littleEndian)
  view.setUint32(4, undefinedLength ? UNDEFINED_LENGTH : content.length, enc.littleEndian)
  return undefinedLength ? concat([header, content, delimiter(0xe00d, enc)]) : concat([header, content])
}

export function delimiter(element: number, enc: Encoding = EXPLICIT_LITTLE): Uint8Array {
  const out = new Uint8Array(8)
  const view = new DataView(out.buffer)
  view.setUint16(0, 0xfffe, enc.littleEndian)
  view.setUint16(2, element, enc.littleEndian)
  return out
}

/** A sequence element of these items; undefined length closes it with a sequence delimiter. */
export function sequence(tag: number, items: readonly Uint8Array[], enc: Encoding = EXPLICIT_LITTLE, undefinedLength = false): Uint8Array {
  const body = concat(items)
  if (undefinedLength) return concat([element(tag, 'SQ', body, enc, UNDEFINED_LENGTH), delimiter(0xe0dd, enc)])
  return element(tag, 'SQ', body, enc)
}

/**
 * Sequences nested `depth` levels deep, each with one item holding the next. Written in one
 * pass (headers outside-in, then the delimiters), so 100,000 levels take milliseconds.
 */
export function nestedSequences(depth: number, enc: Encoding = EXPLICIT_LITTLE, undefinedLength = true, tag = 0x00091010): Uint8Array {
  const inner = element(0x00091011, 'LO', text('deepest', 'LO'), enc)
  const sequenceHeader = enc.explicit ? 12 : 8
  const perLevel = sequenceHeader + 8 + (undefinedLength ? 16 : 0)
  const out = new Uint8Array(inner.length + depth * perLevel)
  const view = new DataView(out.buffer)
  const writeTag = (at: number, group: number, elementNumber: number) => {
    view.setUint16(at, group, enc.littleEndian)
    view.setUint16(at + 2, elementNumber, enc.littleEndian)
  }
  let at = 0
  for (let level = depth; level > 0; level--) {
    // what this level's sequence holds: its item header, the levels inside, their delimiters
    const innerLength = inner.length + (level - 1) * perLevel
    writeTag(at, tag >>> 16, tag & 0xffff)
    if (enc.explicit) {
      out[at + 4] = 0x53 // S
      out[at + 5] = 0x51 // Q
      view.setUint32(at + 8, undefinedLength ? UNDEFINED_LENGTH : 8 + innerLength, enc.littleEndian)
    } else {
      view.setUint32(at + 4, undefinedLength ? UNDEFINED_LENGTH : 8 + innerLength, enc.littleEndian)
    }
    at += sequenceHeader
    writeTag(at, 0xfffe, 0xe000)
    view.setUint32(at + 4, undefinedLength ? UNDEFINED_LENGTH : innerLength, enc.littleEndian)
    at += 8
  }
  out.set(inner, at)
  at += inner.length
  if (undefinedLength) {
    for (let level = 0; level < depth; level++) {
      writeTag(at, 0xfffe, 0xe00d)
      writeTag(at + 8, 0xfffe, 0xe0dd)
      at += 16
    }
  }
  return out
}

/** Encapsulated Pixel Data: an offset table item, the fragments, the sequence delimiter. */
export function encapsulatedPixelData(fragments: readonly Uint8Array[], offsetTable: readonly number[] = [], enc: Encoding = EXPLICIT_LITTLE): Uint8Array {
  const table = new Uint8Array(offsetTable.length * 4)
  offsetTable.forEach((offset, i) => new DataView(table.buffer).setUint32(i * 4, offset, enc.littleEndian))
  return concat([element(0x7fe00010, 'OB', new Uint8Array(0), enc, UNDEFINED_LENGTH), item(table, enc), ...fragments.map((f) => item(f, enc)), delimiter(0xe0dd, enc)])
}

export interface MetaOptions {
  transferSyntaxUid: string
  sopClassUid?: string
  sopInstanceUid?: string
  /** Overrides the group length value (a lie). */
  groupLength?: number
  omitGroupLength?: boolean
}

/** Preamble, "DICM" and the File Meta Information (explicit VR little endian, with its group length). */
export function fileMeta(options: MetaOptions): Uint8Array {
  const elements = concat([
    element(0x00020001, 'OB', Uint8Array.of(0, 1)),
    element(0x00020002, 'UI', text(options.sopClassUid ?? SECONDARY_CAPTURE)),
    element(0x00020003, 'UI', text(options.sopInstanceUid ?? '1.2.826.0.1.3680043.10.1.1')),
    element(0x00020010, 'UI', text(options.transferSyntaxUid)),
  ])
  const groupLength = options.omitGroupLength ? new Uint8Array(0) : element(0x00020000, 'UL', ul(options.groupLength ?? elements.length))
  const prefix = new Uint8Array(132)
  prefix.set([0x44, 0x49, 0x43, 0x4d], 128)
  return concat([prefix, groupLength, elements])
}

export interface ImageOptions {
  rows?: number
  columns?: number
  bitsAllocated?: number
  samplesPerPixel?: number
  frames?: number
  photometricInterpretation?: string
  sopClassUid?: string
}

/** The image pixel module's elements (Pixel Data not included), in tag order. */
export function imagePixelModule(options: ImageOptions = {}, enc: Encoding = EXPLICIT_LITTLE): Uint8Array {
  const parts = [
    element(0x00080016, 'UI', text(options.sopClassUid ?? SECONDARY_CAPTURE), enc),
    element(0x00080018, 'UI', text('1.2.826.0.1.3680043.10.1.1'), enc),
    element(0x00280002, 'US', us(options.samplesPerPixel ?? 1, enc), enc),
    element(0x00280004, 'CS', text(options.photometricInterpretation ?? 'MONOCHROME2', 'CS'), enc),
  ]
  if (options.frames !== undefined) parts.push(element(0x00280008, 'IS', text(String(options.frames), 'IS'), enc))
  parts.push(
    element(0x00280010, 'US', us(options.rows ?? 4, enc), enc),
    element(0x00280011, 'US', us(options.columns ?? 4, enc), enc),
    element(0x00280100, 'US', us(options.bitsAllocated ?? 16, enc), enc),
    element(0x00280101, 'US', us(Math.min(12, options.bitsAllocated ?? 16), enc), enc),
    element(0x00280103, 'US', us(0, enc), enc),
  )
  return concat(parts)
}

/** A small native greyscale image file: meta, pixel module, `extra` elements, then Pixel Data. */
export function nativeImageFile(options: ImageOptions & { transferSyntaxUid?: string; extra?: Uint8Array; pixelData?: Uint8Array; enc?: Encoding } = {}): Uint8Array {
  const enc = options.enc ?? EXPLICIT_LITTLE
  const rows = options.rows ?? 4
  const columns = options.columns ?? 4
  const frameBytes = rows * columns * (options.samplesPerPixel ?? 1) * ((options.bitsAllocated ?? 16) / 8)
  const pixels = options.pixelData ?? new Uint8Array(frameBytes * (options.frames ?? 1)).map((_, i) => i & 0xff)
  return concat([
    fileMeta({ transferSyntaxUid: options.transferSyntaxUid ?? EXPLICIT_LE, sopClassUid: options.sopClassUid }),
    imagePixelModule(options, enc),
    options.extra ?? new Uint8Array(0),
    element(0x7fe00010, 'OW', pixels, enc),
  ])
}
