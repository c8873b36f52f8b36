import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import type * as DicomParser from 'dicom-parser'
import { describe, expect, it } from 'vitest'
import { checkPart10 } from '../../../shared/dicom-safety.ts'
import { readablePart10 } from './inflate-part10.ts'

// dicom-parser ships a UMD bundle whose named exports Node's ESM loader cannot see.
const dicomParser = createRequire(import.meta.url)('dicom-parser') as typeof DicomParser

/** An explicit VR little endian element (OB with the long header, the others with the short one). */
function element(group: number, element: number, vr: string, value: Uint8Array): Uint8Array {
  const long = vr === 'OB'
  const out = new Uint8Array((long ? 12 : 8) + value.length)
  const view = new DataView(out.buffer)
  view.setUint16(0, group, true)
  view.setUint16(2, element, true)
  out[4] = vr.charCodeAt(0)
  out[5] = vr.charCodeAt(1)
  if (long) view.setUint32(8, value.length, true)
  else view.setUint16(6, value.length, true)
  out.set(value, long ? 12 : 8)
  return out
}

const text = (value: string) => new TextEncoder().encode(value.length % 2 ? `${value}\0` : value)
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  parts.reduce((offset, part) => (out.set(part, offset), offset + part.length), 0)
  return out
}

async function deflateRaw(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('deflate-raw'))
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

/** A Part-10 file with the given transfer syntax whose data set is `dataSet` (deflated when the syntax says so). */
async function part10(transferSyntax: string, dataSet: Uint8Array): Promise<ArrayBuffer> {
  const meta = concat(
    element(0x0002, 0x0002, 'UI', text('1.2.840.10008.5.1.4.1.1.7')),
    element(0x0002, 0x0003, 'UI', text('2.25.1234')),
    element(0x0002, 0x0010, 'UI', text(transferSyntax)),
  )
  const groupLength = new Uint8Array(4)
  new DataView(groupLength.buffer).setUint32(0, meta.length, true)
  const body = transferSyntax === '1.2.840.10008.1.2.1.99' ? await deflateRaw(dataSet) : dataSet
  return concat(new Uint8Array(128), text('DICM'), element(0x0002, 0x0000, 'UL', groupLength), meta, body).buffer
}

const dataSet = concat(
  element(0x0010, 0x0010, 'PN', text('DEFLATE^TEST')),
  element(0x0028, 0x0004, 'CS', text('MONOCHROME2 ')),
  element(0x0028, 0x0010, 'US', new Uint8Array([2, 0])),
  element(0x0028, 0x0011, 'US', new Uint8Array([2, 0])),
  element(0x0028, 0x0100, 'US', new Uint8Array([8, 0])),
  element(0x7fe0, 0x0010, 'OB', new Uint8Array([1, 2, 3, 4])),
)

/** What the parse worker does: check (which inflates within its bound), then rebuild. */
async function inflateDeflatedPart10(part10: ArrayBuffer): Promise<ArrayBuffer> {
  const bytes = new Uint8Array(part10)
  const checked = await checkPart10(bytes)
  if (checked.kind === 'rejected') throw new Error(checked.reason)
  const readable = readablePart10(bytes, checked.inflatedDataSet)
  return readable === bytes ? part10 : (readable.buffer as ArrayBuffer)
}

describe('readablePart10 after the safety check', () => {
  it('inflates a deflated data set and declares it explicit VR little endian', async () => {
    const inflated = new Uint8Array(await inflateDeflatedPart10(await part10('1.2.840.10008.1.2.1.99', dataSet)))
    const parsed = dicomParser.parseDicom(inflated)
    expect(parsed.string('x00020010')).toBe('1.2.840.10008.1.2.1')
    expect(parsed.string('x00020003')).toBe('2.25.1234')
    expect(parsed.string('x00100010')).toBe('DEFLATE^TEST')
    expect(parsed.uint16('x00280010')).toBe(2)
    // the meta group's length covers exactly the rewritten meta elements
    const groupEnd = 132 + 12 + parsed.uint32('x00020000')!
    expect(inflated.subarray(groupEnd)).toEqual(dataSet)
  })

  it.each([
    ['the pad byte that evens out a stream of odd length', [0]],
    ['a gzip trailer (CRC-32 and length)', [0x4e, 0xd0, 0x58, 0x45, 0x1a, 0x02, 0x04, 0x00]],
  ])('ignores %s after the deflate stream', async (_case, trailer) => {
    const file = new Uint8Array(await part10('1.2.840.10008.1.2.1.99', dataSet))
    const padded = concat(file, new Uint8Array(trailer))
    const parsed = dicomParser.parseDicom(new Uint8Array(await inflateDeflatedPart10(padded.buffer)))
    expect(parsed.string('x00100010')).toBe('DEFLATE^TEST')
  })

  it('still fails on a stream that is cut short', async () => {
    const file = new Uint8Array(await part10('1.2.840.10008.1.2.1.99', concat(dataSet, new Uint8Array(4000).fill(7))))
    await expect(inflateDeflatedPart10(file.subarray(0, file.length - 20).slice().buffer)).rejects.toThrow()
  })

  it('hands any other file back untouched', async () => {
    const plain = await part10('1.2.840.10008.1.2.1', dataSet)
    expect(await inflateDeflatedPart10(plain)).toBe(plain)
  })

  it('makes pydicom\'s deflated sample readable, with the pixels pydicom expects', async () => {
    const file = await readFile(new URL('../../../test/fixtures/transfer-syntaxes/image_dfl.dcm', import.meta.url))
    const inflated = new Uint8Array(await inflateDeflatedPart10(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength)))
    const parsed = dicomParser.parseDicom(inflated)
    const pixels = parsed.elements.x7fe00010!
    expect([parsed.uint16('x00280010'), parsed.uint16('x00280011'), pixels.length]).toEqual([512, 512, 512 * 512])
    // pydicom's reference values for this file (tests/pixels/pixels_reference.py, DEFL_8_1_1F): row 300, columns 255–262
    const row300 = inflated.subarray(pixels.dataOffset + 300 * 512 + 255, pixels.dataOffset + 300 * 512 + 263)
    expect(Array.from(row300)).toEqual([138, 65, 65, 65, 65, 35, 35, 35])
  })
})
