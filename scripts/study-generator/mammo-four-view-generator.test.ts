import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type * as DicomParser from 'dicom-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mirrorHorizontally } from './grey-image.ts'
import { DIGITAL_MAMMOGRAPHY_FOR_PRESENTATION, generateMammoFourView, loadMammoSource, MAMMO_VIEWS, type MammoSource } from './mammo-four-view-generator.ts'
import { decodeJpeg2000 } from './openjpeg-codec.ts'

const dicomParser = createRequire(import.meta.url)('dicom-parser') as typeof DicomParser

/** Pixel words of a native data set. */
function words(dataSet: DicomParser.DataSet): Uint16Array {
  const element = dataSet.elements.x7fe00010!
  return new Uint16Array(dataSet.byteArray.slice(element.dataOffset, element.dataOffset + element.length).buffer)
}

describe('generateMammoFourView', () => {
  let workDir: string
  let source: MammoSource
  const read = async (dir: string, name: string) => dicomParser.parseDicom(new Uint8Array(await readFile(path.join(workDir, dir, `${name}.dcm`))))

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'mammo-'))
    source = await loadMammoSource()
  })

  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true })
  })

  it('decodes the real mammogram at its full size and 12 bits', () => {
    expect([source.image.width, source.image.height, source.image.maxValue]).toEqual([3064, 4664, 4095])
  })

  it('writes four mammography views of one study; the right views are the left mirrored, and say so', async () => {
    const study = await generateMammoFourView({ outDir: path.join(workDir, 'raw'), seed: '5', encoding: 'uncompressed', source, subsampling: 8 })
    expect([study.files, study.rows, study.columns]).toEqual([4, 583, 383])
    const sets = await Promise.all(MAMMO_VIEWS.map((view) => read('raw', view.name)))
    expect(new Set(sets.map((s) => s.string('x0020000d')))).toEqual(new Set([study.studyInstanceUid]))
    expect(new Set(sets.map((s) => s.string('x0020000e'))).size).toBe(4)
    for (const [index, view] of MAMMO_VIEWS.entries()) {
      const dataSet = sets[index]!
      expect(dataSet.string('x00080016')).toBe(DIGITAL_MAMMOGRAPHY_FOR_PRESENTATION)
      expect(dataSet.string('x00080060')).toBe('MG')
      expect(dataSet.string('x00020010')).toBe('1.2.840.10008.1.2.1')
      expect(dataSet.string('x00200062')).toBe(view.laterality)
      expect(dataSet.string('x00185101')).toBe(view.view)
      expect(dataSet.string('x00200020')).toBe(view.patientOrientation.join('\\'))
      expect([dataSet.uint16('x00280010'), dataSet.uint16('x00280011'), dataSet.uint16('x00280101')]).toEqual([583, 383, 12])
      expect(dataSet.string('x00181164')).toBe('0.4\\0.4')
      expect(dataSet.elements.x00540220?.items?.[0]?.dataSet?.string('x00080100')).toBe(view.view === 'CC' ? '399162004' : '399368009')
      expect(dataSet.string('x00100020')).toBe('BENCH-MG4')
    }
    const [rcc, lcc] = [words(sets[0]!), words(sets[1]!)]
    expect(rcc).toEqual(mirrorHorizontally({ width: 383, height: 583, maxValue: 4095, pixels: lcc }).pixels)
    expect(lcc.some((value) => value > 1000)).toBe(true)
  })

  it('encodes JPEG 2000 losslessly, as another patient with other UIDs, byte for byte the same each time', async () => {
    const options = { seed: '5', encoding: 'jpeg2000', source, subsampling: 8 } as const
    const first = await generateMammoFourView({ ...options, outDir: path.join(workDir, 'j2k') })
    await generateMammoFourView({ ...options, outDir: path.join(workDir, 'j2k-again') })
    expect(first.patientId).toBe('BENCH-MG4-J2K')
    for (const view of MAMMO_VIEWS) {
      const [a, b] = await Promise.all(['j2k', 'j2k-again'].map((dir) => readFile(path.join(workDir, dir, `${view.name}.dcm`))))
      expect(Buffer.compare(a!, b!)).toBe(0)
    }
    const j2k = await read('j2k', 'RMLO')
    expect(j2k.string('x00020010')).toBe('1.2.840.10008.1.2.4.90')
    const pixelData = j2k.elements.x7fe00010!
    const fragment = pixelData.fragments![0]!
    const decoded = await decodeJpeg2000(j2k.byteArray.slice(fragment.position, fragment.position + fragment.length))
    const raw = words(await read('raw', 'RMLO'))
    expect(decoded.pixels).toEqual(raw)
    expect(j2k.string('x0020000d')).not.toBe((await read('raw', 'RMLO')).string('x0020000d'))
  })
})
