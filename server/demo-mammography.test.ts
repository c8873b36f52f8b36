import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import dicomParser from 'dicom-parser'
import { beforeAll, describe, expect, it } from 'vitest'
import { DIGITAL_MAMMOGRAPHY_FOR_PRESENTATION, deriveMammography, MAMMOGRAPHY_PATIENT, MAMMOGRAPHY_SOURCE } from './demo-mammography.ts'
import { demoDicomDir } from './demo-seed.ts'

const parse = (bytes: Uint8Array) => dicomParser.parseDicom(bytes)
const pixelBytes = (ds: dicomParser.DataSet) => {
  const e = ds.elements.x7fe00010 as dicomParser.Element
  return Buffer.from(ds.byteArray.subarray(e.dataOffset, e.dataOffset + e.length))
}
const key = (ds: dicomParser.DataSet) => `${ds.string('x00200062')}${ds.string('x00185101')}`

/**
 * Whether a view must be mirrored left-right to hang as mammograms are read: a right breast
 * with its rows running toward posterior (nipple left), a left breast toward anterior.
 */
function needsHorizontalFlip(ds: dicomParser.DataSet): boolean {
  const row = ds.string('x00200020')?.split('\\')[0]
  return ds.string('x00200062') === 'R' ? row === 'A' : row === 'P'
}

describe('the four-view screening mammogram and its prior', () => {
  let source: dicomParser.DataSet
  let current: dicomParser.DataSet[]
  let prior: dicomParser.DataSet[]
  beforeAll(async () => {
    source = parse(new Uint8Array(readFileSync(join(demoDicomDir(), MAMMOGRAPHY_SOURCE))))
    current = (await deriveMammography(demoDicomDir(), 'current')).map((i) => parse(i.bytes))
    prior = (await deriveMammography(demoDicomDir(), 'prior')).map((i) => parse(i.bytes))
  })

  it('has the four laterality/view combinations in each round, one series each, MG for presentation', () => {
    for (const round of [current, prior]) {
      expect(round.map(key).sort()).toEqual(['LCC', 'LMLO', 'RCC', 'RMLO'])
      expect(new Set(round.map((ds) => ds.string('x0020000e'))).size).toBe(4)
      expect(new Set(round.map((ds) => ds.string('x0020000d'))).size).toBe(1)
      for (const ds of round) {
        expect(ds.string('x00080060')).toBe('MG')
        expect(ds.string('x00080016')).toBe(DIGITAL_MAMMOGRAPHY_FOR_PRESENTATION)
        expect(ds.string('x00020002')).toBe(DIGITAL_MAMMOGRAPHY_FOR_PRESENTATION)
        expect(ds.string('x00080068')).toBe('FOR PRESENTATION')
        expect(ds.string('x00200060')).toBe(ds.string('x00200062'))
        expect(ds.string('x00100020')).toBe(MAMMOGRAPHY_PATIENT.id)
        expect(ds.string('x00100040')).toBe('F')
      }
    }
    expect(current[0]?.string('x0020000d')).not.toBe(prior[0]?.string('x0020000d'))
    expect(current[0]?.string('x00080020')).toBe('20040826')
    expect(prior[0]?.string('x00080020')).toBe('20030826')
  })

  it('says honestly where the stored rows and columns point, so the right views must be flipped', () => {
    // every view carries the source's pixels, so its rows point where the source's do
    const [sourceRow, sourceColumn] = (source.string('x00200020') ?? '').split('\\')
    expect(source.string('x00200060')).toBe('L')
    expect(source.string('x00185101')).toBe('MLO')
    expect([sourceRow, sourceColumn]).toEqual(['A', 'F'])
    for (const ds of [...current, ...prior]) {
      const [row, column] = (ds.string('x00200020') ?? '').split('\\')
      const laterality = ds.string('x00200062')
      expect(row, key(ds)).toBe(sourceRow)
      if (ds.string('x00185101') === 'CC') {
        // a CC view has the lateral side at the top, so its columns run toward the medial side
        expect(column, key(ds)).toBe(laterality === 'R' ? 'L' : 'R')
      } else {
        expect(column, key(ds)).toBe(sourceColumn)
      }
      expect(needsHorizontalFlip(ds), key(ds)).toBe(laterality === 'R')
    }
  })

  it('codes the view and anatomy as the IOD asks', () => {
    const codes = { CC: '399162004', MLO: '399368009' } as const
    for (const ds of current) {
      const viewCode = ds.elements.x00540220?.items?.[0]?.dataSet
      expect(viewCode?.string('x00080100')).toBe(codes[ds.string('x00185101') as 'CC' | 'MLO'])
      expect(viewCode?.string('x00080102')).toBe('SCT')
      expect(viewCode?.elements.x00540222).toBeDefined()
      expect(ds.elements.x00082218?.items?.[0]?.dataSet?.string('x00080100')).toBe('76752008')
      for (const [tag, value] of [
        ['x00181508', 'MAMMOGRAPHIC'],
        ['x00400318', 'BREAST'],
        ['x00281040', 'LOG'],
        ['x00281054', 'US'],
        ['x20500020', 'IDENTITY'],
        ['x00282114', 'ISO_15444_1'],
        ['x00280301', 'YES'],
      ] as const) {
        expect(ds.string(tag), tag).toBe(value)
      }
      expect(ds.int16('x00281041')).toBe(-1)
      expect(ds.string('x00181164')).toBe('0.05\\0.05')
      expect(ds.elements.x00400555).toBeDefined()
      expect(ds.string('x00281050')).toBe(source.string('x00281050'))
      // the Secondary Capture leftovers are gone, and the source is referenced
      expect(ds.elements.x00080064).toBeUndefined()
      expect(ds.elements.x00082112?.items?.[0]?.dataSet?.string('x00081155')).toBe(source.string('x00080018'))
    }
  })

  it("keeps the source's JPEG 2000 pixel data byte for byte", () => {
    const expected = pixelBytes(source)
    for (const ds of [...current, ...prior]) {
      expect(ds.string('x00020010')).toBe(source.string('x00020010'))
      expect(pixelBytes(ds).equals(expected)).toBe(true)
      expect([ds.uint16('x00280010'), ds.uint16('x00280011')]).toEqual([source.uint16('x00280010'), source.uint16('x00280011')])
    }
  })
})
