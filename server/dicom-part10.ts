/**
 * Reading DICOM Part-10 files with dicom-parser, and typed access to their values with text
 * decoded by the file's Specific Character Set. Tags are written as in DICOM JSON ("0020000D").
 */
import { open } from 'node:fs/promises'
import dicomParser from 'dicom-parser'
import { textDecoderFor, type TextDecodeFn } from './dicom-character-set.ts'

type DataSet = dicomParser.DataSet

/** Where a Part-10 file keeps its "DICM" marker, after the 128-byte preamble. */
const DICM_OFFSET = 128
const PIXEL_DATA = '7FE00010'
// Text VRs whose bytes follow the Specific Character Set; every other string VR is plain ASCII.
const CHARSET_VRS = new Set(['SH', 'LO', 'ST', 'LT', 'UT', 'UC', 'PN'])
// Values of these VRs keep leading spaces (PS3.5 6.2).
const LEADING_SPACE_VRS = new Set(['ST', 'LT', 'UT'])

/** A file that could not be read as DICOM; the message is meant for the person importing it. */
export class DicomParseError extends Error {
  override name = 'DicomParseError'
}

export interface ParsedDicom {
  dataSet: DataSet
  /** The element of a tag, if present (even empty). */
  has(tag: string): boolean
  /** The whole value as text (multiple values still joined by backslashes), trailing padding removed; '' when absent. */
  text(tag: string, vr: string): string
  /** The values of a string VR, split on backslash and trimmed. */
  strings(tag: string, vr: string): string[]
  /** The values of a binary numeric VR (US, SS, UL, SL, FL, FD). */
  binaryNumbers(tag: string, vr: string): number[]
}

/** True when the bytes carry the "DICM" marker of a Part-10 file. */
export function hasPart10Marker(bytes: Uint8Array): boolean {
  return (
    bytes.length >= DICM_OFFSET + 4 &&
    bytes[DICM_OFFSET] === 0x44 &&
    bytes[DICM_OFFSET + 1] === 0x49 &&
    bytes[DICM_OFFSET + 2] === 0x43 &&
    bytes[DICM_OFFSET + 3] === 0x4d
  )
}

function parserTag(tag: string): string {
  return `x${tag.toLowerCase()}`
}

/** dicom-parser throws strings and `{ exception, dataSet }` objects as well as Errors. */
function describeParserError(error: unknown): string {
  if (error instanceof Error) return error.message
  if (typeof error === 'object' && error !== null && 'exception' in error) return String(error.exception)
  return String(error)
}

/**
 * Parses a Part-10 file held in memory. With `untilPixelData` it stops at Pixel Data, which is
 * all metadata needs; without it the whole file is walked, so a truncated file is refused.
 */
export function parseDicom(bytes: Uint8Array, options: { untilPixelData?: boolean } = {}): ParsedDicom {
  if (!hasPart10Marker(bytes)) {
    throw new DicomParseError('not a DICOM Part-10 file (no "DICM" marker at byte 128)')
  }
  let dataSet: DataSet
  try {
    dataSet = dicomParser.parseDicom(bytes, options.untilPixelData ? { untilTag: parserTag(PIXEL_DATA) } : {})
  } catch (error) {
    const reason = describeParserError(error)
    const truncated = /overrun|past end|cannot be greater/i.test(reason)
    throw new DicomParseError(truncated ? `DICOM file is truncated or corrupt (${reason})` : `DICOM file could not be parsed (${reason})`)
  }
  return wrapDataSet(dataSet)
}

function wrapDataSet(dataSet: DataSet): ParsedDicom {
  const byteArray = dataSet.byteArray
  const rawBytes = (tag: string): Uint8Array | undefined => {
    const element = dataSet.elements[parserTag(tag)]
    if (!element) return undefined
    return byteArray.subarray(element.dataOffset, element.dataOffset + element.length)
  }
  const latin1: TextDecodeFn = textDecoderFor('')
  const charsetBytes = rawBytes('00080005')
  const decodeText: TextDecodeFn = textDecoderFor(charsetBytes ? latin1(charsetBytes) : '')

  const text = (tag: string, vr: string): string => {
    const bytes = rawBytes(tag)
    if (!bytes || bytes.length === 0) return ''
    const decoded = CHARSET_VRS.has(vr) ? decodeText(bytes, vr) : latin1(bytes)
    const trimmedEnd = decoded.replace(/[\s\0]+$/, '')
    return LEADING_SPACE_VRS.has(vr) ? trimmedEnd : trimmedEnd.replace(/^\s+/, '')
  }

  return {
    dataSet,
    has: (tag) => dataSet.elements[parserTag(tag)] !== undefined,
    text,
    strings(tag, vr) {
      const value = text(tag, vr)
      if (value === '') return []
      return LEADING_SPACE_VRS.has(vr) ? [value] : value.split('\\').map((v) => v.trim().replace(/\0+$/, ''))
    },
    binaryNumbers(tag, vr) {
      const element = dataSet.elements[parserTag(tag)]
      if (!element) return []
      const size = vr === 'US' || vr === 'SS' ? 2 : vr === 'FD' ? 8 : 4
      const read = {
        US: dataSet.uint16,
        SS: dataSet.int16,
        UL: dataSet.uint32,
        SL: dataSet.int32,
        FL: dataSet.float,
        FD: dataSet.double,
      }[vr]
      if (!read) return []
      const out: number[] = []
      for (let i = 0; i < Math.floor(element.length / size); i++) {
        const n = read.call(dataSet, parserTag(tag), i)
        if (n !== undefined) out.push(n)
      }
      return out
    },
  }
}

const HEADER_PROBE_BYTES = 64 * 1024

/**
 * Reads and parses a stored file up to its Pixel Data. Only the first 64 KiB are read when the
 * header fits in them, so metadata for a large series does not read every pixel from disk.
 */
export async function readDicomHeader(path: string): Promise<ParsedDicom> {
  const handle = await open(path, 'r')
  try {
    const { size } = await handle.stat()
    const probe = new Uint8Array(Math.min(size, HEADER_PROBE_BYTES))
    await handle.read(probe, 0, probe.length, 0)
    if (probe.length < size) {
      try {
        const parsed = parseDicom(probe, { untilPixelData: true })
        if (parsed.has(PIXEL_DATA)) return parsed
      } catch {
        // the header is longer than the probe: read the whole file below
      }
    }
    const whole = new Uint8Array(size)
    await handle.read(whole, 0, size, 0)
    return parseDicom(whole, { untilPixelData: true })
  } finally {
    await handle.close()
  }
}
