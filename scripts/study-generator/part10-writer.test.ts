import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import type * as DicomParser from 'dicom-parser'
import { describe, expect, it } from 'vitest'
import { DEFAULT_CT_SOURCE_DIR } from './ct-series-generator.ts'
import { tag, textElement, uidElement, unsignedShortElement, type DataElement } from './data-element.ts'
import { Tags } from './dicom-tags.ts'
import { encodePart10, IMPLEMENTATION_CLASS_UID, sequenceElement } from './part10-writer.ts'
import { readPart10 } from './part10-reader.ts'
import { encapsulateFrames, readFragments } from './encapsulated-frames.ts'
import { EXPLICIT_VR_LITTLE_ENDIAN, JPEG_2000_LOSSLESS } from './transfer-syntaxes.ts'

const dicomParser = createRequire(import.meta.url)('dicom-parser') as typeof DicomParser

const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2'
const SOP_INSTANCE_UID = '2.25.1234567890123456789'

const sopElements = [uidElement(Tags.SopClassUid, CT_IMAGE_STORAGE), uidElement(Tags.SopInstanceUid, SOP_INSTANCE_UID)]

function encode(dataset: DataElement[]): Uint8Array {
  return encodePart10({ transferSyntaxUid: EXPLICIT_VR_LITTLE_ENDIAN, dataset })
}

/** The encoded bytes of the element with `tag`, header included, found by walking the data set as dicom-parser saw it. */
function rawElement(bytes: Uint8Array, parsed: DicomParser.DataSet, parserTag: string, headerLength: number): number[] {
  const element = parsed.elements[parserTag]
  if (!element) throw new Error(`no ${parserTag}`)
  return [...bytes.subarray(element.dataOffset - headerLength, element.dataOffset + element.length)]
}

const ascii = (text: string): number[] => [...text].map((character) => character.charCodeAt(0))

describe('encodePart10', () => {
  it('writes preamble, DICM, a meta group with its length, and the data set in ascending tag order', () => {
    const bytes = encode([
      textElement(Tags.PatientName, 'PN', 'ABC'),
      unsignedShortElement(Tags.Rows, 512),
      textElement(tag(0x0009, 0x0010), 'LO', 'PRIVATE'),
      ...sopElements,
    ])
    expect(bytes.subarray(0, 128).every((byte) => byte === 0)).toBe(true)
    expect(String.fromCharCode(...bytes.subarray(128, 132))).toBe('DICM')
    const view = new DataView(bytes.buffer)
    expect([view.getUint16(132, true), view.getUint16(134, true), String.fromCharCode(bytes[136]!, bytes[137]!)]).toEqual([2, 0, 'UL'])
    const metaEnd = 144 + view.getUint32(140, true)
    expect(view.getUint16(metaEnd, true)).toBe(0x0008)

    const parsed = dicomParser.parseDicom(bytes)
    expect(parsed.string('x00020010')).toBe(EXPLICIT_VR_LITTLE_ENDIAN)
    expect(parsed.string('x00020003')).toBe(SOP_INSTANCE_UID)
    expect(parsed.string('x00020002')).toBe(CT_IMAGE_STORAGE)
    expect(parsed.string('x00020012')).toBe(IMPLEMENTATION_CLASS_UID)
    const order = Object.values(parsed.elements).sort((a, b) => a.dataOffset - b.dataOffset).map((element) => element.tag)
    expect(order.filter((name) => !name.startsWith('x0002'))).toEqual(['x00080016', 'x00080018', 'x00090010', 'x00100010', 'x00280010'])
  })

  it('pads odd text with a space, and UI and OB with NUL', () => {
    const bytes = encode([...sopElements, textElement(Tags.PatientName, 'PN', 'ABC'), { tag: tag(0x0009, 0x1001), vr: 'OB', value: new Uint8Array([1, 2, 3]) }])
    const parsed = dicomParser.parseDicom(bytes)
    expect(rawElement(bytes, parsed, 'x00100010', 8)).toEqual([0x10, 0x00, 0x10, 0x00, ...ascii('PN'), 4, 0, ...ascii('ABC ')])
    expect(rawElement(bytes, parsed, 'x00080016', 8).slice(-2)).toEqual([ascii('2')[0], 0])
    expect(rawElement(bytes, parsed, 'x00091001', 12)).toEqual([0x09, 0x00, 0x01, 0x10, ...ascii('OB'), 0, 0, 4, 0, 0, 0, 1, 2, 3, 0])
  })

  it('uses the 4-byte length form for OB, OW, SQ, UT and the like, the 2-byte form otherwise', () => {
    const bytes = encode([
      ...sopElements,
      textElement(tag(0x0020, 0x4000), 'LT', 'short form'),
      textElement(tag(0x0040, 0xa160), 'UT', 'long form'),
      { tag: Tags.PixelData, vr: 'OW', value: new Uint8Array([1, 0, 2, 0]) },
    ])
    const parsed = dicomParser.parseDicom(bytes)
    expect(rawElement(bytes, parsed, 'x00204000', 8).slice(4, 8)).toEqual([...ascii('LT'), 10, 0])
    expect(rawElement(bytes, parsed, 'x0040a160', 12).slice(4, 12)).toEqual([...ascii('UT'), 0, 0, 10, 0, 0, 0])
    expect(rawElement(bytes, parsed, 'x7fe00010', 12)).toEqual([0xe0, 0x7f, 0x10, 0x00, ...ascii('OW'), 0, 0, 4, 0, 0, 0, 1, 0, 2, 0])
  })

  it('copies a real file data set byte for byte when nothing changes', async () => {
    const source = new Uint8Array(await readFile(path.join(DEFAULT_CT_SOURCE_DIR, 'I10')))
    const part10 = readPart10(source, 'I10')
    const copy = encode([...part10.dataset.values()])
    const dataSetStart = (bytes: Uint8Array): number => 144 + new DataView(bytes.buffer, bytes.byteOffset).getUint32(140, true)
    expect(Buffer.compare(copy.subarray(dataSetStart(copy)), source.subarray(dataSetStart(source)))).toBe(0)
  })

  it('refuses what would make an invalid file', () => {
    expect(() => encode([textElement(Tags.PatientName, 'PN', 'A')])).toThrow(/no \(0008,0016\)/)
    expect(() => encode([...sopElements, textElement(Tags.TransferSyntaxUid, 'UI', '1.2')])).toThrow(/File Meta/)
    expect(() => encode([...sopElements, unsignedShortElement(tag(0x0028, 0x0000), 2)])).toThrow(/group length/)
    expect(() => encode([...sopElements, uidElement(Tags.SopClassUid, '1.2')])).toThrow(/twice/)
    expect(() => encode([...sopElements, { tag: Tags.PixelData, vr: 'OW', value: new Uint8Array(3) }])).toThrow(/odd length/)
    expect(() => encode([...sopElements, { tag: tag(0x0028, 0x1101), vr: 'US', value: new Uint8Array(70_000) }])).toThrow(/2-byte length/)
    expect(() => encode([...sopElements, { tag: Tags.PixelData, vr: 'OB', value: new Uint8Array(8), encapsulated: true }])).toThrow(/encapsulated/)
    expect(() => encodePart10({ transferSyntaxUid: JPEG_2000_LOSSLESS, dataset: [...sopElements, { tag: Tags.PixelData, vr: 'OW', value: new Uint8Array(8) }] })).toThrow(/needs encapsulated/)
  })

  it('writes encapsulated Pixel Data with undefined length and a sequence delimiter, readable by dicom-parser and by the reader', () => {
    const frame = Uint8Array.of(0xff, 0x4f, 0xff, 0x51, 7)
    const bytes = encodePart10({
      transferSyntaxUid: JPEG_2000_LOSSLESS,
      dataset: [...sopElements, { tag: Tags.PixelData, vr: 'OB', value: encapsulateFrames([frame]), encapsulated: true }],
    })
    expect([...bytes.subarray(-8)]).toEqual([0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0])
    const parsed = dicomParser.parseDicom(bytes)
    expect(parsed.string('x00020010')).toBe(JPEG_2000_LOSSLESS)
    const pixelData = parsed.elements.x7fe00010!
    expect(pixelData.encapsulatedPixelData).toBe(true)
    expect(pixelData.fragments?.map((f) => f.length)).toEqual([6])
    const reread = readPart10(bytes, 'written').dataset.get(Tags.PixelData)!
    expect(reread.encapsulated).toBe(true)
    expect(readFragments(reread.value).map((f) => [...f])).toEqual([[0xff, 0x4f, 0xff, 0x51, 7, 0]])
  })

  it('writes sequences of items with explicit lengths, which dicom-parser walks', () => {
    const codeItem = [textElement(tag(0x0008, 0x0100), 'SH', '399162004'), textElement(tag(0x0008, 0x0102), 'SH', 'SCT')]
    const bytes = encode([...sopElements, sequenceElement(tag(0x0054, 0x0220), [codeItem, []])])
    const parsed = dicomParser.parseDicom(bytes)
    const items = parsed.elements.x00540220?.items ?? []
    expect(items).toHaveLength(2)
    expect(items[0]?.dataSet?.string('x00080100')).toBe('399162004')
    expect(items[0]?.dataSet?.string('x00080102')).toBe('SCT')
    expect(Object.keys(items[1]?.dataSet?.elements ?? {})).toEqual([])
  })
})
