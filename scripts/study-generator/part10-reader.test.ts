import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type * as DicomParser from 'dicom-parser'
import { describe, expect, it } from 'vitest'
import { readText, tag, uidElement } from './data-element.ts'
import { Tags } from './dicom-tags.ts'
import { readPart10 } from './part10-reader.ts'
import { encodePart10 } from './part10-writer.ts'
import { EXPLICIT_VR_LITTLE_ENDIAN } from './transfer-syntaxes.ts'

const dicomParser = createRequire(import.meta.url)('dicom-parser') as typeof DicomParser
const demoDicom = fileURLToPath(new URL('../../server/demo-data/dicom/', import.meta.url))

const sopElements = [uidElement(Tags.SopClassUid, '1.2.840.10008.5.1.4.1.1.7'), uidElement(Tags.SopInstanceUid, '2.25.42')]

function littleEndian(...parts: (number[] | string)[]): number[] {
  return parts.flatMap((part) => (typeof part === 'string' ? [...part].map((character) => character.charCodeAt(0)) : part))
}
const u16 = (value: number): number[] => [value & 0xff, value >> 8]
const u32 = (value: number): number[] => [value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, value >>> 24]

describe('readPart10', () => {
  it('splits a real CT slice into its meta group and top-level elements, sequences kept whole', async () => {
    const part10 = readPart10(new Uint8Array(await readFile(path.join(demoDicom, 'ct-phantom', 'I10'))), 'I10')
    expect(part10.transferSyntaxUid).toBe(EXPLICIT_VR_LITTLE_ENDIAN)
    expect(readText(part10.meta.get(Tags.MediaStorageSopInstanceUid)!)).toBe(readText(part10.dataset.get(Tags.SopInstanceUid)!))
    expect(part10.dataset.get(Tags.ReferencedImageSequence)?.vr).toBe('SQ')
    expect(part10.dataset.get(Tags.PixelData)?.value.length).toBe(512 * 512 * 2)
    expect([...part10.dataset.keys()].some((key) => key >>> 16 === 0x0002)).toBe(false)
  })

  it('keeps encapsulated pixel data (the JPEG 2000 mammogram) as items, for compressed syntaxes to come', async () => {
    const part10 = readPart10(new Uint8Array(await readFile(path.join(demoDicom, 'mammogram', 'MG1_J2KI.dcm'))), 'MG1_J2KI.dcm')
    expect(part10.transferSyntaxUid).toBe('1.2.840.10008.1.2.4.91')
    const pixelData = part10.dataset.get(Tags.PixelData)
    expect(pixelData?.encapsulated).toBe(true)
    // The first item is the basic offset table.
    expect([...(pixelData?.value.subarray(0, 4) ?? [])]).toEqual([0xfe, 0xff, 0x00, 0xe0])
  })

  it('refuses an implicit VR source with a hint to convert it', async () => {
    const bytes = new Uint8Array(await readFile(path.join(demoDicom, 'mr-wrist', 'MR01.dcm')))
    expect(() => readPart10(bytes, 'MR01.dcm')).toThrow(/MR01\.dcm: transfer syntax 1\.2\.840\.10008\.1\.2 .*implicit VR/)
  })

  it('refuses a truncated file or one without the DICM marker', async () => {
    const bytes = new Uint8Array(await readFile(path.join(demoDicom, 'ct-phantom', 'I10')))
    expect(() => readPart10(bytes.subarray(0, bytes.length - 100), 'cut')).toThrow(/truncated/)
    expect(() => readPart10(bytes.subarray(132), 'bare')).toThrow(/DICM/)
  })

  it('reads sequences of undefined length, and the writer gives them an explicit length that parses the same', () => {
    const header = encodePart10({ transferSyntaxUid: EXPLICIT_VR_LITTLE_ENDIAN, dataset: sopElements })
    // (0008,1140) SQ of undefined length: one item of undefined length holding (0008,1150) UI "1.2", then (0010,0010) PN "AB".
    const tail = littleEndian(
      u16(0x0008), u16(0x1140), 'SQ', [0, 0], u32(0xffffffff),
      u16(0xfffe), u16(0xe000), u32(0xffffffff),
      u16(0x0008), u16(0x1150), 'UI', u16(4), '1.2', [0],
      u16(0xfffe), u16(0xe00d), u32(0),
      u16(0xfffe), u16(0xe0dd), u32(0),
      u16(0x0010), u16(0x0010), 'PN', u16(2), 'AB',
    )
    const bytes = new Uint8Array([...header, ...tail])
    const part10 = readPart10(bytes, 'undefined-length')
    const sequence = part10.dataset.get(tag(0x0008, 0x1140))
    expect(sequence?.value.length).toBe(8 + 12 + 8)
    expect(readText(part10.dataset.get(Tags.PatientName)!)).toBe('AB')

    const rewritten = encodePart10({ transferSyntaxUid: EXPLICIT_VR_LITTLE_ENDIAN, dataset: [...part10.dataset.values()] })
    const parsed = dicomParser.parseDicom(rewritten)
    expect(parsed.elements.x00081140?.hadUndefinedLength).toBeFalsy()
    expect(parsed.elements.x00081140?.items?.[0]?.dataSet?.string('x00081150')).toBe('1.2')
    expect(parsed.string('x00100010')).toBe('AB')
  })
})
