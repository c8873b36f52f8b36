import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import dicomParser from 'dicom-parser'
import { beforeAll, describe, expect, it } from 'vitest'
import { CR_PAIR_PATIENT, CR_PAIR_SOURCE, deriveCrChestPair, PRIOR_SHIFT, shiftPixels } from './demo-cr-chest-pair.ts'
import { demoDicomDir } from './demo-seed.ts'

interface Image {
  ds: dicomParser.DataSet
  rows: number
  columns: number
  pixel(row: number, column: number): number
}

function imageOf(bytes: Uint8Array): Image {
  const ds = dicomParser.parseDicom(bytes)
  const rows = ds.uint16('x00280010') as number
  const columns = ds.uint16('x00280011') as number
  const e = ds.elements.x7fe00010 as dicomParser.Element
  const view = new DataView(bytes.buffer, bytes.byteOffset + e.dataOffset, e.length)
  return { ds, rows, columns, pixel: (r, c) => view.getUint16((r * columns + c) * 2, true) }
}

describe('shiftPixels', () => {
  it('moves the image right and down and fills the uncovered band', () => {
    const image = Uint16Array.from({ length: 12 }, (_, i) => i + 1) // 3 rows x 4 columns
    expect([...shiftPixels(image, 3, 4, { right: 1, down: 1 }, 0)]).toEqual([0, 0, 0, 0, 0, 1, 2, 3, 0, 5, 6, 7])
    expect([...shiftPixels(image, 3, 4, { right: 0, down: 0 }, 0)]).toEqual([...image])
  })
})

describe('the checkup chest X-ray pair', () => {
  let source: Image
  let current: Image
  let prior: Image
  beforeAll(async () => {
    source = imageOf(new Uint8Array(readFileSync(join(demoDicomDir(), CR_PAIR_SOURCE))))
    current = imageOf((await deriveCrChestPair(demoDicomDir(), 'current'))[0]?.bytes as Uint8Array)
    prior = imageOf((await deriveCrChestPair(demoDicomDir(), 'prior'))[0]?.bytes as Uint8Array)
  })

  it('is one patient, the prior a year before the current, both new studies', () => {
    for (const image of [current, prior]) {
      expect(image.ds.string('x00100020')).toBe(CR_PAIR_PATIENT.id)
      expect(image.ds.string('x00080060')).toBe('CR')
      expect(image.ds.string('x00080016')).toBe(source.ds.string('x00080016'))
      expect(image.ds.string('x0020000d')).not.toBe(source.ds.string('x0020000d'))
      expect(image.ds.string('x00200020')).toBe('L\\F')
    }
    expect(current.ds.string('x00080020')).toBe('19930224')
    expect(prior.ds.string('x00080020')).toBe('19920224')
    expect(prior.ds.string('x0020000d')).not.toBe(current.ds.string('x0020000d'))
    expect(prior.ds.string('x00080018')).not.toBe(current.ds.string('x00080018'))
  })

  it('keeps MONOCHROME1 and the pixel format in both', () => {
    for (const image of [current, prior]) {
      expect(image.ds.string('x00280004')).toBe('MONOCHROME1')
      expect([image.rows, image.columns]).toEqual([source.rows, source.columns])
      for (const tag of ['x00280100', 'x00280101', 'x00280102', 'x00280103']) expect(image.ds.uint16(tag)).toBe(source.ds.uint16(tag))
      expect(image.ds.string('x00281050')).toBe(source.ds.string('x00281050'))
    }
  })

  it("has the source's pixels in the current and shifted ones in the prior", () => {
    let max = 0
    let changed = 0
    for (let r = 0; r < source.rows; r++) {
      for (let c = 0; c < source.columns; c++) {
        if (current.pixel(r, c) !== source.pixel(r, c)) changed++
        max = Math.max(max, source.pixel(r, c))
      }
    }
    expect(changed).toBe(0)
    const { right, down } = PRIOR_SHIFT
    expect(right).toBeGreaterThan(0)
    expect(down).toBeGreaterThan(0)
    let differing = 0
    for (let r = 0; r < source.rows; r++) {
      for (let c = 0; c < source.columns; c++) {
        const expected = r < down || c < right ? max : source.pixel(r - down, c - right)
        if (prior.pixel(r, c) !== expected) throw new Error(`prior pixel (${r}, ${c}) is ${prior.pixel(r, c)}, not ${expected}`)
        if (prior.pixel(r, c) !== current.pixel(r, c)) differing++
      }
    }
    // a test (or a reader flickering between them) can tell the two apart nearly everywhere
    expect(differing / (source.rows * source.columns)).toBeGreaterThan(0.5)
  })
})
