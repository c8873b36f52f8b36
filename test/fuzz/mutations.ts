/**
 * The fuzz test's mutations of a corpus file, each driven by a seeded random source so that a
 * case is reproduced from (file, seed) alone: truncation, lying length fields (0xFFFFFFFF,
 * 0xFFFFFFF0 and others), bit flips in the header region, deeply nested sequences, wrong
 * transfer syntax UIDs, deflate bombs, and — for the decoders — bit flips and random bytes in
 * the pixel data.
 */
import { constants, deflateRawSync } from 'node:zlib'
import type { FuzzSource } from './fuzz-source.ts'
import { concat, DEFLATED_LE, element, nestedSequences, text, UNDEFINED_LENGTH } from './part10-builder.ts'
import type { Random } from './seeded-random.ts'

export const MUTATIONS = ['truncate', 'length-field', 'header-bit-flips', 'deep-nesting', 'transfer-syntax', 'deflate-bomb', 'pixel-bit-flips', 'random-bytes'] as const
export type MutationKind = (typeof MUTATIONS)[number]

/** How often each mutation is drawn. */
const WEIGHTS: Record<MutationKind, number> = {
  truncate: 16,
  'length-field': 22,
  'header-bit-flips': 16,
  'deep-nesting': 8,
  'transfer-syntax': 10,
  'deflate-bomb': 6,
  'pixel-bit-flips': 14,
  'random-bytes': 8,
}

export interface Mutated {
  kind: MutationKind
  /** What was done, precisely enough to read in a report. */
  description: string
  bytes: Uint8Array
}

export function pickMutation(random: Random): MutationKind {
  const total = Object.values(WEIGHTS).reduce((a, b) => a + b, 0)
  let roll = random.next() * total
  for (const kind of MUTATIONS) {
    roll -= WEIGHTS[kind]
    if (roll < 0) return kind
  }
  return 'truncate'
}

const hex = (n: number) => `0x${n.toString(16).toUpperCase().padStart(8, '0')}`

/** The file again from its parts: the data set deflated when the source was. */
function assemble(source: FuzzSource, dataSet: Uint8Array): Uint8Array {
  return concat([source.meta, source.deflated ? deflateRawSync(dataSet) : dataSet])
}

/** Where the header region ends in the data set: just into the pixel data, or the whole data set. */
const headerEnd = (source: FuzzSource) => Math.min(source.dataSet.length, (source.pixelData?.valueStart ?? source.dataSet.length) + 16)

function truncate(source: FuzzSource, random: Random): Mutated {
  const whole = source.bytes
  const inHeader = random.chance(0.5)
  const limit = inHeader ? source.meta.length + headerEnd(source) : whole.length
  const at = random.int(0, Math.max(0, limit - 1))
  return { kind: 'truncate', description: `cut at byte ${at} of ${whole.length}`, bytes: whole.slice(0, at) }
}

function lengthField(source: FuzzSource, random: Random): Mutated {
  const dataSet = source.dataSet.slice()
  const view = new DataView(dataSet.buffer)
  const changes: string[] = []
  const count = random.chance(0.8) ? 1 : random.int(2, 3)
  for (let i = 0; i < count && source.lengthFields.length > 0; i++) {
    const field = random.pick(source.lengthFields)
    const remaining = dataSet.length - field.offset - field.size
    const candidates =
      field.size === 4
        ? [0xffffffff, 0xfffffff0, random.uint32(), 0, field.value + 1, field.value - 1, field.value * 2, field.value + 2 ** random.int(8, 31), remaining + 2, remaining - 2]
        : [0xffff, 0xfff0, random.int(0, 0xffff), 0, field.value + 1, field.value - 1]
    const value = random.pick(candidates) >>> 0
    if (field.size === 4) view.setUint32(field.offset, value, source.encoding.littleEndian)
    else view.setUint16(field.offset, value & 0xffff, source.encoding.littleEndian)
    changes.push(`length at data set byte ${field.offset} ${hex(field.value)} → ${hex(field.size === 4 ? value : value & 0xffff)}`)
  }
  return { kind: 'length-field', description: changes.join('; ') || 'no length fields', bytes: assemble(source, dataSet) }
}

function flipBits(bytes: Uint8Array, from: number, to: number, flips: number, random: Random): string[] {
  const done: string[] = []
  for (let i = 0; i < flips && to > from; i++) {
    const at = random.int(from, to - 1)
    const bit = random.int(0, 7)
    bytes[at]! ^= 1 << bit
    done.push(`${at}.${bit}`)
  }
  return done
}

function headerBitFlips(source: FuzzSource, random: Random): Mutated {
  const flips = random.int(1, 16)
  if (source.deflated && random.chance(0.5)) {
    const dataSet = source.dataSet.slice()
    const done = flipBits(dataSet, 0, headerEnd(source), flips, random)
    return { kind: 'header-bit-flips', description: `${flips} bit(s) flipped in the inflated data set at ${done.join(', ')}`, bytes: assemble(source, dataSet) }
  }
  const bytes = source.bytes.slice()
  // the meta group and the data set up to the pixel data (for a deflated file: its compressed start)
  const end = source.deflated ? Math.min(bytes.length, source.meta.length + 256) : source.meta.length + headerEnd(source)
  const done = flipBits(bytes, 128, end, flips, random)
  return { kind: 'header-bit-flips', description: `${flips} bit(s) flipped at file byte.bit ${done.join(', ')}`, bytes }
}

const DEPTHS = [2, 8, 16, 31, 32, 33, 40, 64, 100, 1_000, 10_000, 100_000]

function deepNesting(source: FuzzSource, random: Random): Mutated {
  const depth = random.pick(DEPTHS)
  const undefinedLength = random.chance(0.5)
  // a public sequence tag (parsers recurse on it by dictionary) or a private one
  const tag = random.pick([0x00081140, 0x00091010, 0x00400275])
  const nested = nestedSequences(depth, source.encoding, undefinedLength, tag)
  const at = source.pixelData?.headerStart ?? source.dataSet.length
  const dataSet = concat([source.dataSet.subarray(0, at), nested, source.dataSet.subarray(at)])
  return {
    kind: 'deep-nesting',
    description: `${depth} nested ${undefinedLength ? 'undefined' : 'defined'}-length sequences (${hex(tag)}) inserted at data set byte ${at}`,
    bytes: assemble(source, dataSet),
  }
}

const TRANSFER_SYNTAXES = [
  '1.2.840.10008.1.2',
  '1.2.840.10008.1.2.1',
  '1.2.840.10008.1.2.2',
  '1.2.840.10008.1.2.1.99',
  '1.2.840.10008.1.2.4.50',
  '1.2.840.10008.1.2.4.51',
  '1.2.840.10008.1.2.4.57',
  '1.2.840.10008.1.2.4.70',
  '1.2.840.10008.1.2.4.80',
  '1.2.840.10008.1.2.4.90',
  '1.2.840.10008.1.2.4.91',
  '1.2.840.10008.1.2.5',
  '1.2.840.10008.1.2.4.110',
  '1.2.840.10008.1.2.4.201',
  '1.2.840.10008.1.2.4.100',
  '1.2.840.10008.1.2.1.98',
  '1.2.3.4.5.6',
  '',
  'NOT A UID',
  `1.2.${'9'.repeat(60)}`,
]

/** The meta group rebuilt with another Transfer Syntax UID (and its group length fixed, unless `staleLength`). */
function metaWithTransferSyntax(source: FuzzSource, uid: string, staleLength: boolean): Uint8Array {
  const meta = source.meta
  const view = new DataView(meta.buffer, meta.byteOffset, meta.byteLength)
  const parts: Uint8Array[] = []
  let offset = 132
  while (offset + 8 <= meta.length) {
    const elementNumber = view.getUint16(offset + 2, true)
    const vr = String.fromCharCode(meta[offset + 4]!, meta[offset + 5]!)
    const long = ['OB', 'OW', 'UN', 'SQ', 'UT', 'UC', 'UR'].includes(vr)
    const length = long ? view.getUint32(offset + 8, true) : view.getUint16(offset + 6, true)
    const header = long ? 12 : 8
    if (elementNumber === 0x0010) parts.push(element(0x00020010, 'UI', text(uid)))
    else if (elementNumber !== 0x0000) parts.push(meta.subarray(offset, offset + header + length))
    offset += header + length
  }
  const elements = concat(parts)
  const groupLength = staleLength ? view.getUint32(140, true) : elements.length
  const groupLengthElement = element(0x00020000, 'UL', Uint8Array.of(groupLength & 0xff, (groupLength >>> 8) & 0xff, (groupLength >>> 16) & 0xff, groupLength >>> 24))
  return concat([meta.subarray(0, 132), groupLengthElement, elements])
}

function transferSyntax(source: FuzzSource, random: Random): Mutated {
  const uid = random.pick(TRANSFER_SYNTAXES.filter((u) => u !== source.transferSyntaxUid))
  const stale = random.chance(0.1)
  const body = source.bytes.subarray(source.meta.length)
  return {
    kind: 'transfer-syntax',
    description: `Transfer Syntax UID ${source.transferSyntaxUid} → "${uid}"${stale ? ' (group length left stale)' : ''}`,
    bytes: concat([metaWithTransferSyntax(source, uid, stale), body]),
  }
}

/** 64 MB of zeros deflated and sync-flushed: copies of it, back to back, are one deflate stream. */
let zeroBlock: Uint8Array | undefined
const ZERO_BLOCK_BYTES = 64 * 1024 ** 2
/** Makes the block once (a few hundred milliseconds), before any case is timed. */
export function prepareDeflateBombs(): void {
  zeroBlock ??= new Uint8Array(deflateRawSync(new Uint8Array(ZERO_BLOCK_BYTES), { finishFlush: constants.Z_SYNC_FLUSH }))
}
function zeros(bytes: number): Uint8Array[] {
  prepareDeflateBombs()
  const blocks = Math.ceil(bytes / ZERO_BLOCK_BYTES)
  return Array.from({ length: blocks }, () => zeroBlock!)
}
/** A final, empty fixed-Huffman block: the end of a deflate stream. */
const FINAL_BLOCK = Uint8Array.of(0x03, 0x00)

/** A raw deflate stream of `bytes` zeros (rounded up to 64 MB), about 1/1000 of that size, made without allocating them. */
export function zeroBomb(bytes: number): Uint8Array {
  return concat([...zeros(bytes), FINAL_BLOCK])
}

const BOMB_SIZES = [2 * 1024 ** 2, 64 * 1024 ** 2, 256 * 1024 ** 2, 1024 ** 3, 4 * 1024 ** 3]

function deflateBomb(source: FuzzSource, random: Random): Mutated {
  const inflated = random.pick(BOMB_SIZES)
  const meta = metaWithTransferSyntax(source, DEFLATED_LE, false)
  if (random.chance(0.5) || !source.pixelData || source.encoding.explicit === false || !source.encoding.littleEndian) {
    // nothing but zeros: element (0000,0000) of length 0, over and over
    return { kind: 'deflate-bomb', description: `deflate stream of ${inflated.toLocaleString('en-US')} zero bytes`, bytes: concat([meta, zeroBomb(inflated)]) }
  }
  // the source's header, then Pixel Data whose (true) length is the bomb's
  const header = source.dataSet.subarray(0, source.pixelData.headerStart)
  const pixelHeader = element(0x7fe00010, 'OB', new Uint8Array(0), undefined, inflated >= 2 ** 32 ? UNDEFINED_LENGTH - 1 : inflated)
  const prefix = new Uint8Array(deflateRawSync(concat([header, pixelHeader]), { finishFlush: constants.Z_SYNC_FLUSH }))
  return {
    kind: 'deflate-bomb',
    description: `the source's header and Pixel Data of ${inflated.toLocaleString('en-US')} zero bytes, deflated`,
    bytes: concat([meta, prefix, zeroBomb(inflated)]),
  }
}

function pixelBitFlips(source: FuzzSource, random: Random): Mutated {
  if (!source.pixelData || source.deflated) return headerBitFlips(source, random)
  const bytes = source.bytes.slice()
  const from = source.meta.length + source.pixelData.valueStart
  const to = source.meta.length + source.pixelData.valueEnd
  const flips = random.int(1, 32)
  const done = flipBits(bytes, from, to, flips, random)
  return { kind: 'pixel-bit-flips', description: `${flips} bit(s) flipped in the pixel data at ${done.slice(0, 8).join(', ')}${done.length > 8 ? '…' : ''}`, bytes }
}

function randomBytes(source: FuzzSource, random: Random): Mutated {
  const bytes = source.bytes.slice()
  const length = random.int(1, 64)
  const at = random.int(128, Math.max(128, bytes.length - length))
  for (let i = at; i < Math.min(bytes.length, at + length); i++) bytes[i] = random.int(0, 255)
  return { kind: 'random-bytes', description: `${length} random bytes written at file byte ${at}`, bytes }
}

const MUTATORS: Record<MutationKind, (source: FuzzSource, random: Random) => Mutated> = {
  truncate,
  'length-field': lengthField,
  'header-bit-flips': headerBitFlips,
  'deep-nesting': deepNesting,
  'transfer-syntax': transferSyntax,
  'deflate-bomb': deflateBomb,
  'pixel-bit-flips': pixelBitFlips,
  'random-bytes': randomBytes,
}

export function mutate(source: FuzzSource, kind: MutationKind, random: Random): Mutated {
  return MUTATORS[kind](source, random)
}
