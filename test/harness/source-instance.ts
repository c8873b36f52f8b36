/**
 * What a test knows about a Part-10 file on disk, read with dicom-parser independently of
 * any server, so servers' answers can be checked against the file itself.
 */
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import type * as DicomParser from 'dicom-parser'

// dicom-parser ships a UMD bundle whose named exports Node's ESM loader cannot see.
const dicomParser = createRequire(import.meta.url)('dicom-parser') as typeof DicomParser

export interface SourceInstance {
  path: string
  bytes: Uint8Array
  sha256: string
  studyInstanceUid: string
  seriesInstanceUid: string
  sopInstanceUid: string
  transferSyntaxUid: string
  rows: number
  columns: number
}

/** Reads a Part-10 file and the identifying tags a DICOMweb server must report for it. */
export async function readSourceInstance(path: string): Promise<SourceInstance> {
  const bytes = new Uint8Array(await readFile(path))
  // Stop before the pixel data: only header tags are needed and JPEG 2000 files are large.
  const dataSet = dicomParser.parseDicom(bytes, { untilTag: 'x7fe00010' })
  const text = (tag: string): string => {
    const value = dataSet.string(tag)
    if (!value) throw new Error(`${path} has no ${tag}`)
    return value
  }
  const number = (tag: string): number => {
    const value = dataSet.uint16(tag)
    if (value === undefined) throw new Error(`${path} has no ${tag}`)
    return value
  }
  return {
    path,
    bytes,
    sha256: sha256(bytes),
    studyInstanceUid: text('x0020000d'),
    seriesInstanceUid: text('x0020000e'),
    sopInstanceUid: text('x00080018'),
    transferSyntaxUid: text('x00020010'),
    rows: number('x00280010'),
    columns: number('x00280011'),
  }
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}
