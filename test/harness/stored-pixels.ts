/**
 * The stored pixel values of an uncompressed Part-10 file and the attributes needed to
 * interpret them, read with dicom-parser in Node — independently of the workstation — so a
 * test can compute what a probe or a rendering must show.
 */
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import type * as DicomParser from 'dicom-parser'

const dicomParser = createRequire(import.meta.url)('dicom-parser') as typeof DicomParser

const UNCOMPRESSED = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1'])

export interface StoredImage {
  instanceNumber: number
  rows: number
  columns: number
  photometricInterpretation: string
  /** (0028,0030) row spacing, column spacing in mm; undefined when absent. */
  pixelSpacing?: [number, number]
  rescaleSlope: number
  rescaleIntercept: number
  /** Stored value at column x, row y. */
  at(x: number, y: number): number
}

export async function readStoredImage(path: string): Promise<StoredImage> {
  const bytes = new Uint8Array(await readFile(path))
  const dataSet = dicomParser.parseDicom(bytes)
  const transferSyntax = dataSet.string('x00020010') ?? ''
  if (!UNCOMPRESSED.has(transferSyntax)) throw new Error(`${path}: transfer syntax ${transferSyntax} is not uncompressed little endian`)
  const rows = dataSet.uint16('x00280010')!
  const columns = dataSet.uint16('x00280011')!
  const bitsAllocated = dataSet.uint16('x00280100')!
  const signed = dataSet.uint16('x00280103') === 1
  const element = dataSet.elements['x7fe00010']!
  const buffer = bytes.buffer.slice(bytes.byteOffset + element.dataOffset, bytes.byteOffset + element.dataOffset + element.length)
  const pixels = bitsAllocated === 16 ? (signed ? new Int16Array(buffer) : new Uint16Array(buffer)) : new Uint8Array(buffer)
  const spacing = dataSet.string('x00280030')?.split('\\').map(Number)
  return {
    instanceNumber: Number(dataSet.string('x00200013') ?? 0),
    rows,
    columns,
    photometricInterpretation: (dataSet.string('x00280004') ?? '').trim(),
    pixelSpacing: spacing && spacing.length === 2 && spacing.every((v) => v > 0) ? [spacing[0]!, spacing[1]!] : undefined,
    rescaleSlope: Number(dataSet.string('x00281053') ?? 1),
    rescaleIntercept: Number(dataSet.string('x00281052') ?? 0),
    at: (x, y) => pixels[y * columns + x]!,
  }
}
