import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type * as DicomParser from 'dicom-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { benchDataPaths, ensureBenchData, type BenchDataSpec } from './bench-data-set.ts'

const dicomParser = createRequire(import.meta.url)('dicom-parser') as typeof DicomParser

const tiny: BenchDataSpec = { seed: '7', ctSlices: [4], ctJpegLsSlices: [4], mammo: ['uncompressed'], mammoSubsampling: 16, crPair: true, worklistCount: 12 }

describe('ensureBenchData', () => {
  let dataDir: string
  let made: string[]

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'bench-data-'))
    made = await ensureBenchData(dataDir, tiny)
  }, 60_000)

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true })
  })

  it('makes every part of the set in its folder', async () => {
    expect(made).toEqual(['ct-4', 'ct-4-jls', 'mammo-four-view-s16', 'cr-pair', 'worklist-12'])
    const dicomFiles = async (name: string) => (await readdir(path.join(dataDir, name))).filter((f) => f.endsWith('.dcm')).sort()
    expect(await dicomFiles('ct-4')).toEqual(['1.dcm', '2.dcm', '3.dcm', '4.dcm'])
    expect(await dicomFiles('mammo-four-view-s16')).toEqual(['LCC.dcm', 'LMLO.dcm', 'RCC.dcm', 'RMLO.dcm'])
    const worklist = JSON.parse(await readFile(path.join(dataDir, benchDataPaths.worklist(12), benchDataPaths.worklistFile), 'utf8')) as { assignments: unknown[] }
    expect(worklist.assignments).toHaveLength(12)
  })

  it('writes the JPEG-LS series losslessly as another patient, with the temporary uncompressed copy gone', async () => {
    const parse = async (name: string) => dicomParser.parseDicom(new Uint8Array(await readFile(path.join(dataDir, name, '2.dcm'))))
    const [plain, jls] = await Promise.all([parse('ct-4'), parse('ct-4-jls')])
    expect(jls.string('x00020010')).toBe('1.2.840.10008.1.2.4.80')
    expect(jls.string('x00100020')).toBe('BENCH-CT4-JLS')
    expect(jls.string('x0020000d')).not.toBe(plain.string('x0020000d'))
    expect(jls.string('x00200032')).toBe(plain.string('x00200032'))
    expect((await readdir(dataDir)).some((name) => name.includes('uncompressed'))).toBe(false)
  })

  it('makes nothing when everything is there, and remakes what was made with other options', async () => {
    expect(await ensureBenchData(dataDir, tiny)).toEqual([])
    expect(await ensureBenchData(dataDir, { ...tiny, ctJpegLsSlices: [], mammo: [], crPair: false, worklistCount: 13 })).toEqual(['worklist-13'])
  })
})
