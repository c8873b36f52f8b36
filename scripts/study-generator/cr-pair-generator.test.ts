import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type * as DicomParser from 'dicom-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isValidUid } from './data-element.ts'
import { DEFAULT_CR_SOURCE_FILE, generateCrPair, type GeneratedPair } from './cr-pair-generator.ts'

const dicomParser = createRequire(import.meta.url)('dicom-parser') as typeof DicomParser

describe('generateCrPair', () => {
  let workDir: string
  let pair: GeneratedPair
  let prior: DicomParser.DataSet
  let current: DicomParser.DataSet

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'cr-pair-'))
    pair = await generateCrPair({ outDir: workDir, seed: '3' })
    prior = dicomParser.parseDicom(new Uint8Array(await readFile(path.join(workDir, 'prior.dcm'))))
    current = dicomParser.parseDicom(new Uint8Array(await readFile(path.join(workDir, 'current.dcm'))))
  })

  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true })
  })

  it('writes two studies of one patient on different dates', () => {
    expect(pair.prior.file).toBe(path.join(workDir, 'prior.dcm'))
    for (const dataSet of [prior, current]) {
      expect(dataSet.string('x00100010')).toBe('BENCH^CRPAIR')
      expect(dataSet.string('x00100020')).toBe('BENCH-CRPAIR')
      expect(dataSet.string('x00080060')).toBe('CR')
      expect(dataSet.string('x00020010')).toBe('1.2.840.10008.1.2.1')
    }
    expect(prior.string('x00080020')).toBe('20230612')
    expect(current.string('x00080020')).toBe('20240610')
  })

  it('gives each study new, distinct, valid UIDs', async () => {
    const source = dicomParser.parseDicom(new Uint8Array(await readFile(DEFAULT_CR_SOURCE_FILE)))
    const uids = [prior, current].flatMap((dataSet) => ['x0020000d', 'x0020000e', 'x00080018'].map((tag) => dataSet.string(tag) ?? ''))
    expect(new Set(uids).size).toBe(6)
    for (const uid of uids) expect(isValidUid(uid), uid).toBe(true)
    expect(uids).not.toContain(source.string('x0020000d'))
    expect(prior.string('x00020003')).toBe(prior.string('x00080018'))
  })

  it('keeps the source pixels and drops its stale group lengths', async () => {
    const source = new Uint8Array(await readFile(DEFAULT_CR_SOURCE_FILE))
    const sourcePixels = dicomParser.parseDicom(source).elements.x7fe00010!
    const priorBytes = new Uint8Array(await readFile(pair.prior.file))
    const priorPixels = prior.elements.x7fe00010!
    expect(priorPixels.length).toBe(440 * 440 * 2)
    expect(Buffer.compare(priorBytes.subarray(priorPixels.dataOffset, priorPixels.dataOffset + priorPixels.length), source.subarray(sourcePixels.dataOffset, sourcePixels.dataOffset + sourcePixels.length))).toBe(0)
    expect(Object.keys(prior.elements).filter((tag) => tag.endsWith('0000') && !tag.startsWith('x0002'))).toEqual([])
  })
})
