import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type * as DicomParser from 'dicom-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isValidUid } from './data-element.ts'
import { loadCtSourceSeries, type CtSourceSeries } from './ct-source-series.ts'
import { DEFAULT_CT_SOURCE_DIR, generateCtSeries } from './ct-series-generator.ts'

// dicom-parser ships a UMD bundle whose named exports Node's ESM loader cannot see.
const dicomParser = createRequire(import.meta.url)('dicom-parser') as typeof DicomParser

const SLICES = 12
const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1'

interface ParsedFile {
  name: string
  bytes: Uint8Array
  dataSet: DicomParser.DataSet
}

/** Parses every file of a folder with dicom-parser, which knows nothing of the generator. */
async function parseFolder(dir: string): Promise<ParsedFile[]> {
  const names = await readdir(dir)
  return Promise.all(
    names.map(async (name) => {
      const bytes = new Uint8Array(await readFile(path.join(dir, name)))
      return { name, bytes, dataSet: dicomParser.parseDicom(bytes) }
    }),
  )
}

function text(dataSet: DicomParser.DataSet, tag: string): string {
  const value = dataSet.string(tag)
  if (value === undefined) throw new Error(`no ${tag}`)
  return value
}

function numbers(dataSet: DicomParser.DataSet, tag: string): number[] {
  return text(dataSet, tag).split('\\').map(Number)
}

function pixelWords(file: ParsedFile): Uint16Array {
  const element = file.dataSet.elements.x7fe00010
  if (!element) throw new Error(`${file.name} has no pixel data`)
  return new Uint16Array(file.bytes.slice(element.dataOffset, element.dataOffset + element.length).buffer)
}

describe('generateCtSeries', () => {
  let workDir: string
  let source: CtSourceSeries
  let sources: ParsedFile[]
  let files: ParsedFile[]

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'study-generator-'))
    source = await loadCtSourceSeries(DEFAULT_CT_SOURCE_DIR)
    sources = (await parseFolder(DEFAULT_CT_SOURCE_DIR)).sort((a, b) => numbers(a.dataSet, 'x00200032')[2]! - numbers(b.dataSet, 'x00200032')[2]!)
    await generateCtSeries({ outDir: path.join(workDir, 'seed-7'), sliceCount: SLICES, seed: '7', source })
    files = (await parseFolder(path.join(workDir, 'seed-7'))).sort(
      (a, b) => numbers(a.dataSet, 'x00200013')[0]! - numbers(b.dataSet, 'x00200013')[0]!,
    )
  })

  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true })
  })

  it('writes one file per slice, named by instance number, holding InstanceNumber 1..N', () => {
    expect(files.map((file) => file.name)).toEqual(Array.from({ length: SLICES }, (_, index) => `${index + 1}.dcm`))
    expect(files.map((file) => numbers(file.dataSet, 'x00200013')[0])).toEqual(Array.from({ length: SLICES }, (_, index) => index + 1))
  })

  it('gives every file new valid UIDs: one study, series and frame of reference, a SOP instance each', () => {
    const sourceUids = new Set(sources.flatMap((file) => ['x0020000d', 'x0020000e', 'x00080018', 'x00200052'].map((tag) => text(file.dataSet, tag))))
    const sopUids = files.map((file) => text(file.dataSet, 'x00080018'))
    expect(new Set(sopUids).size).toBe(SLICES)
    for (const tag of ['x0020000d', 'x0020000e', 'x00200052']) {
      const values = new Set(files.map((file) => text(file.dataSet, tag)))
      expect(values.size, tag).toBe(1)
      sopUids.push(...values)
    }
    expect(new Set(sopUids).size).toBe(SLICES + 3)
    for (const uid of sopUids) {
      expect(isValidUid(uid), uid).toBe(true)
      expect(uid).toMatch(/^2\.25\.[1-9][0-9]*$/)
      expect(sourceUids.has(uid)).toBe(false)
    }
  })

  it('writes a correct File Meta group: group length, explicit VR little endian, media storage UIDs of the instance', () => {
    for (const file of files) {
      const { dataSet, bytes } = file
      expect(String.fromCharCode(...bytes.subarray(128, 132))).toBe('DICM')
      const groupLength = dataSet.uint32('x00020000')!
      // The meta group runs from after the group length element (132 + 12 bytes) to the first data set element.
      const firstDataSetElement = Math.min(...Object.values(dataSet.elements).filter((element) => !element.tag.startsWith('x0002')).map((element) => element.dataOffset - 8))
      expect(132 + 12 + groupLength).toBe(firstDataSetElement)
      expect(text(dataSet, 'x00020010')).toBe(EXPLICIT_VR_LITTLE_ENDIAN)
      expect(text(dataSet, 'x00020003')).toBe(text(dataSet, 'x00080018'))
      expect(text(dataSet, 'x00020002')).toBe(text(dataSet, 'x00080016'))
    }
  })

  it('keeps the image format: 512x512, 16-bit words, pixel data of one frame as OW', () => {
    for (const { dataSet } of files) {
      expect(dataSet.uint16('x00280010')).toBe(512)
      expect(dataSet.uint16('x00280011')).toBe(512)
      expect(dataSet.elements.x7fe00010?.length).toBe(512 * 512 * 2)
      expect(dataSet.elements.x7fe00010?.vr).toBe('OW')
    }
  })

  it('spreads the slices over the source extent, evenly, with spacing and thickness as stated', () => {
    const sourceZ = sources.map((file) => numbers(file.dataSet, 'x00200032')[2]!)
    const z = files.map((file) => numbers(file.dataSet, 'x00200032')[2]!)
    const spacing = numbers(files[0]!.dataSet, 'x00180088')[0]!
    expect(spacing).toBeCloseTo((sourceZ[sourceZ.length - 1]! - sourceZ[0]!) / (SLICES - 1), 5)
    expect(z[0]).toBeCloseTo(sourceZ[0]!, 6)
    expect(z[z.length - 1]).toBeCloseTo(sourceZ[sourceZ.length - 1]!, 4)
    for (const [index, file] of files.entries()) {
      if (index > 0) expect(z[index]! - z[index - 1]!).toBeCloseTo(spacing, 5)
      expect(numbers(file.dataSet, 'x00180050')[0]).toBe(spacing)
      expect(numbers(file.dataSet, 'x00180088')[0]).toBe(spacing)
      expect(numbers(file.dataSet, 'x00201041')[0]).toBeCloseTo(z[index]!, 6)
      expect(numbers(file.dataSet, 'x00200032').slice(0, 2)).toEqual(numbers(sources[0]!.dataSet, 'x00200032').slice(0, 2))
      expect(text(file.dataSet, 'x00200037')).toBe(text(sources[0]!.dataSet, 'x00200037'))
      expect(text(file.dataSet, 'x00280030')).toBe(text(sources[0]!.dataSet, 'x00280030'))
    }
  })

  it('names a clearly synthetic patient', () => {
    for (const { dataSet } of files) {
      expect(text(dataSet, 'x00100010')).toBe(`BENCH^CT${SLICES}`)
      expect(text(dataSet, 'x00100020')).toBe(`BENCH-CT${SLICES}`)
    }
  })

  it('interpolates every pixel between the two source slices around it, and copies the end slices exactly', () => {
    const sourceZ = sources.map((file) => numbers(file.dataSet, 'x00200032')[2]!)
    for (const file of files) {
      const z = numbers(file.dataSet, 'x00200032')[2]!
      const upperIndex = Math.min(Math.max(sourceZ.findIndex((candidate) => candidate >= z - 1e-4), 1), sourceZ.length - 1)
      const lower = pixelWords(sources[upperIndex - 1]!)
      const upper = pixelWords(sources[upperIndex]!)
      const pixels = pixelWords(file)
      let outside = 0
      for (let index = 0; index < pixels.length; index++) {
        const value = pixels[index]!
        if (value < Math.min(lower[index]!, upper[index]!) || value > Math.max(lower[index]!, upper[index]!)) outside++
      }
      expect(outside, file.name).toBe(0)
    }
    // Slice 2 lies 0.45 of the way from source slice 3 to 4: a blend, unlike either of them.
    const blended = pixelWords(files[1]!)
    const [before, after] = [pixelWords(sources[2]!), pixelWords(sources[3]!)]
    expect(blended.filter((value, index) => value !== before[index] && value !== after[index]).length).toBeGreaterThan(1000)
    expect(pixelWords(files[0]!)).toEqual(pixelWords(sources[0]!))
    expect(pixelWords(files[SLICES - 1]!)).toEqual(pixelWords(sources[sources.length - 1]!))
  })

  it('writes byte-identical files for the same seed, and new UIDs for another', async () => {
    await generateCtSeries({ outDir: path.join(workDir, 'seed-7-again'), sliceCount: SLICES, seed: '7', source })
    await generateCtSeries({ outDir: path.join(workDir, 'seed-8'), sliceCount: SLICES, seed: '8', source })
    const again = await parseFolder(path.join(workDir, 'seed-7-again'))
    const other = await parseFolder(path.join(workDir, 'seed-8'))
    for (const file of files) {
      const twin = again.find((candidate) => candidate.name === file.name)
      expect(twin && Buffer.compare(twin.bytes, file.bytes), file.name).toBe(0)
    }
    const uidsOf = (set: ParsedFile[]): Set<string> => new Set(set.flatMap((file) => ['x0020000d', 'x0020000e', 'x00080018', 'x00200052'].map((tag) => text(file.dataSet, tag))))
    const seed7 = uidsOf(files)
    expect([...uidsOf(other)].filter((uid) => seed7.has(uid))).toEqual([])
  })
})
