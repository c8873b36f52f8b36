/**
 * A corpus file taken apart for mutation: its File Meta Information, its data set (inflated
 * when the file is deflated, so mutations hit elements, not compressed bits), and where every
 * length field and the Pixel Data lie. The map is made by dicom-parser, independently of the
 * safety check under test.
 */
import { createRequire } from 'node:module'
import { inflateRawSync } from 'node:zlib'
import type * as DicomParser from 'dicom-parser'
import { readFileMeta } from '../../shared/dicom-safety-meta.ts'
import { transferSyntaxOf } from '../../shared/dicom-safety-transfer-syntax.ts'
import { readablePart10 } from '../../renderer/src/viewer/inflate-part10.ts'
import type { Encoding } from './part10-builder.ts'

// dicom-parser ships a UMD bundle whose named exports Node's ESM loader cannot see.
const dicomParser = createRequire(import.meta.url)('dicom-parser') as typeof DicomParser

export interface LengthField {
  /** Offset in the data set. */
  offset: number
  size: 2 | 4
  value: number
}

export interface FuzzSource {
  name: string
  bytes: Uint8Array
  /** Preamble, "DICM" and the meta group, as in the file. */
  meta: Uint8Array
  transferSyntaxUid: string
  deflated: boolean
  encoding: Encoding
  /** The data set (inflated when the file is deflated). */
  dataSet: Uint8Array
  lengthFields: LengthField[]
  /** Where the top-level Pixel Data element's header starts, and its value ends, in the data set. */
  pixelData?: { headerStart: number; valueStart: number; valueEnd: number }
}

function inflateWithTrailer(deflated: Uint8Array): Uint8Array {
  // some writers leave a pad byte or a gzip trailer after the stream
  for (let trim = 0; trim <= 8; trim++) {
    try {
      return new Uint8Array(inflateRawSync(deflated.subarray(0, deflated.length - trim)))
    } catch {
      // try without one more trailing byte
    }
  }
  throw new Error('the deflated data set does not inflate')
}

export function prepareSource(name: string, bytes: Uint8Array): FuzzSource {
  const fileMeta = readFileMeta(bytes)
  const syntax = transferSyntaxOf(fileMeta.transferSyntaxUid)
  if (!syntax) throw new Error(`${name}: unknown transfer syntax ${fileMeta.transferSyntaxUid}`)
  const meta = bytes.subarray(0, fileMeta.end)
  const dataSet = syntax.deflated ? inflateWithTrailer(bytes.subarray(fileMeta.end)) : bytes.subarray(fileMeta.end)
  const readable = readablePart10(bytes, syntax.deflated ? dataSet : undefined)
  const base = readable.length - dataSet.length
  const littleEndian = syntax.encoding !== 'explicit-big'
  const explicit = syntax.encoding !== 'implicit-little'
  const parsed = dicomParser.parseDicom(readable)

  const lengthFields: LengthField[] = []
  const view = new DataView(readable.buffer, readable.byteOffset, readable.byteLength)
  const field = (absolute: number, size: 2 | 4) => {
    if (absolute < base || absolute + size > readable.length) return
    lengthFields.push({ offset: absolute - base, size, value: size === 2 ? view.getUint16(absolute, littleEndian) : view.getUint32(absolute, littleEndian) })
  }
  const LONG = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV'])
  const walk = (set: DicomParser.DataSet, depth: number) => {
    if (depth > 64) return
    for (const element of Object.values(set.elements)) {
      if (element.tag.startsWith('x0002')) continue
      const short = explicit && element.vr !== undefined && !LONG.has(element.vr)
      field(element.dataOffset - (short ? 2 : 4), short ? 2 : 4)
      for (const item of element.items ?? []) {
        field(item.dataOffset - 4, 4)
        if (item.dataSet) walk(item.dataSet, depth + 1)
      }
      for (const fragment of element.fragments ?? []) field(fragment.position - 4, 4)
      if (element.encapsulatedPixelData) field(element.dataOffset + 4, 4)
    }
  }
  walk(parsed, 0)

  const pixel = parsed.elements.x7fe00010
  let pixelData: FuzzSource['pixelData']
  if (pixel) {
    const headerSize = explicit ? 12 : 8
    const valueEnd = pixel.encapsulatedPixelData ? readable.length : pixel.dataOffset + pixel.length
    pixelData = { headerStart: pixel.dataOffset - headerSize - base, valueStart: pixel.dataOffset - base, valueEnd: Math.min(valueEnd, readable.length) - base }
  }
  return { name, bytes, meta, transferSyntaxUid: fileMeta.transferSyntaxUid, deflated: syntax.deflated, encoding: { explicit, littleEndian }, dataSet, lengthFields, pixelData }
}
