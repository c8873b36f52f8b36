import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import dicomParser from 'dicom-parser'
import { describe, expect, it } from 'vitest'
import { demoDicomDir } from './demo-seed.ts'
import { rewritePart10 } from './dicom-part10-rewrite.ts'

const identity = { implementationClassUid: '1.2.3.4', implementationVersionName: 'TEST_1' }
const read = (relative: string) => new Uint8Array(readFileSync(join(demoDicomDir(), relative)))

/** Every top-level element of a file as raw value bytes, by tag, read with dicom-parser itself. */
function valuesOf(bytes: Uint8Array): Map<string, Uint8Array> {
  const ds = dicomParser.parseDicom(bytes)
  return new Map(Object.entries(ds.elements).map(([tag, e]) => [tag, bytes.subarray(e.dataOffset, e.dataOffset + e.length)]))
}

describe('rewritePart10', () => {
  it('sets, adds and drops elements and copies every other one byte for byte', () => {
    const source = read('cr-chest/gdcm-CR-MONO1-10-chest.dcm')
    const out = rewritePart10(
      source,
      {
        set: [
          { tag: '00100020', vr: 'LO', value: 'NEW-ID' },
          { tag: '00080018', vr: 'UI', value: '1.2.3' },
          { tag: '00200020', vr: 'CS', value: ['L', 'F'] },
          { tag: '00082218', vr: 'SQ', value: [[{ tag: '00080100', vr: 'SH', value: '76752008' }]] },
        ],
        drop: (tag) => tag === '00180015' || tag.endsWith('0000'),
      },
      identity,
    )
    const ds = dicomParser.parseDicom(out)
    expect(ds.string('x00100020')).toBe('NEW-ID')
    expect(ds.string('x00080018')).toBe('1.2.3')
    expect(ds.string('x00020003')).toBe('1.2.3')
    expect(ds.string('x00020002')).toBe(ds.string('x00080016'))
    expect(ds.string('x00020010')).toBe('1.2.840.10008.1.2.1')
    expect(ds.string('x00020012')).toBe('1.2.3.4')
    expect(ds.string('x00200020')).toBe('L\\F')
    expect(ds.elements.x00082218?.items?.[0]?.dataSet?.string('x00080100')).toBe('76752008')
    expect(ds.elements.x00180015).toBeUndefined()
    expect(ds.elements.x00080000).toBeUndefined()

    const before = valuesOf(source)
    const after = valuesOf(out)
    const untouched = [...before.keys()].filter((t) => !t.startsWith('x0002') && !['x00100020', 'x00080018', 'x00180015'].includes(t) && !t.endsWith('0000'))
    expect(untouched.length).toBeGreaterThan(30)
    for (const tag of untouched) expect(Buffer.from(after.get(tag) ?? []).equals(Buffer.from(before.get(tag) ?? [0])), tag).toBe(true)
    // elements come out in ascending tag order, as PS3.5 7.1 requires
    const order = Object.values(ds.elements).filter((e) => !e.tag.startsWith('x0002')).sort((a, b) => a.dataOffset - b.dataOffset).map((e) => e.tag)
    expect(order).toEqual([...order].sort())
  })

  it('keeps encapsulated pixel data and sequences of undefined length exactly, and the transfer syntax', () => {
    const source = read('mammogram/MG1_J2KI.dcm')
    const out = rewritePart10(source, { set: [{ tag: '00080060', vr: 'CS', value: 'MG' }] }, identity)
    const ds = dicomParser.parseDicom(out)
    expect(ds.string('x00020010')).toBe('1.2.840.10008.1.2.4.91')
    expect(ds.string('x00080060')).toBe('MG')
    const src = dicomParser.parseDicom(source)
    const fragments = (d: dicomParser.DataSet) => d.elements.x7fe00010?.fragments?.map((f) => f.length)
    expect(fragments(ds)).toHaveLength(41)
    expect(fragments(ds)).toEqual(fragments(src))
    const pixels = (bytes: Uint8Array, d: dicomParser.DataSet) => {
      const e = d.elements.x7fe00010 as dicomParser.Element
      return Buffer.from(bytes.subarray(e.dataOffset, e.dataOffset + e.length))
    }
    expect(pixels(out, ds).equals(pixels(source, src))).toBe(true)
    expect(ds.elements.x00089215?.items?.[0]?.dataSet?.string('x00080104')).toBe('Lossy Compression')
    // everything but the File Meta group and Modality is the source's, so the sizes differ by those alone
    expect(out.length - source.length).toBeLessThan(200)
  })

  it('refuses a data set that is not explicit VR little endian', () => {
    expect(() => rewritePart10(read('mr-wrist/MR01.dcm'), { set: [] }, identity)).toThrow(/Implicit VR Little Endian/)
  })

  it('refuses to write group 0002 or one tag twice', () => {
    const source = read('cr-chest/gdcm-CR-MONO1-10-chest.dcm')
    expect(() => rewritePart10(source, { set: [{ tag: '00020010', vr: 'UI', value: '1.2' }] }, identity)).toThrow(/group 0002/)
    const twice = [
      { tag: '00100020', vr: 'LO', value: 'A' },
      { tag: '00100020', vr: 'LO', value: 'B' },
    ]
    expect(() => rewritePart10(source, { set: twice }, identity)).toThrow(/twice/)
  })
})
