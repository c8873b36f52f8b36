import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { concat, element, fileMeta, IMPLICIT_LE, IMPLICIT_LITTLE, nativeImageFile } from '../../../test/fuzz/part10-builder.ts'
import { sharedDicomDir } from '../../../test/fuzz/shared-corpus.ts'
import { parseInstance, transferablesOf } from './instance-parse.ts'

const corpusFile = async (name: string): Promise<ArrayBuffer> => {
  const bytes = await readFile(`${sharedDicomDir()}/${name}`)
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
}
const buffer = (bytes: Uint8Array) => bytes.slice().buffer

describe('parseInstance', () => {
  it('reads an image into a naturalized data set whose pixel data can be handed over', async () => {
    const outcome = await parseInstance(await corpusFile('dicom-test-files/nema-wg04/CT1-ts/CT1_J2KI'), 'parse')
    expect(outcome).toMatchObject({ kind: 'image', transferSyntaxUid: '1.2.840.10008.1.2.4.91', frames: 1 })
    const naturalized = outcome.kind === 'image' ? outcome.naturalized! : {}
    expect([naturalized.Rows, naturalized.Columns, naturalized.TransferSyntaxUID]).toEqual([512, 512, '1.2.840.10008.1.2.4.91'])
    const transfer = transferablesOf(naturalized)
    expect(transfer.length).toBeGreaterThan(0)
    // what postMessage does: the buffers move, the data set arrives whole
    const moved = structuredClone(naturalized, { transfer }) as typeof naturalized
    expect((moved.PixelData as ArrayBuffer[][])[0]![0]!.byteLength).toBe(7536)
  })

  it('only checks in verify mode', async () => {
    expect(await parseInstance(await corpusFile('pydicom/ts-small/MR_small.dcm'), 'verify')).toEqual({ kind: 'image', transferSyntaxUid: '1.2.840.10008.1.2.1', frames: 1 })
  })

  it('reads a deflated instance through the safety check\'s bounded inflate', async () => {
    const outcome = await parseInstance(await corpusFile('pydicom/ts-small/image_dfl.dcm'), 'parse')
    expect(outcome.kind === 'image' && outcome.naturalized?.TransferSyntaxUID).toBe('1.2.840.10008.1.2.1')
  })

  it('answers non-image and rejected instances without reading them', async () => {
    expect(await parseInstance(await corpusFile('pydicom/dicomdirtests/DICOMDIR'), 'parse')).toEqual({ kind: 'non-image', sopClassUid: '1.2.840.10008.1.3.10' })
    const truncated = nativeImageFile({ rows: 64, columns: 64 }).subarray(0, 4_000)
    expect(await parseInstance(buffer(truncated), 'parse')).toMatchObject({ kind: 'rejected', code: 'length-out-of-bounds' })
  })

  it('accepts every file of the public test set under the reader\'s own dictionary (the implicit VR MR files too)', async () => {
    const dir = sharedDicomDir()
    const names = (await readFile(`${dir}/manifest.tsv`, 'utf8')).trim().split('\n').slice(1).map((line) => line.split('\t')[2]!)
    const kinds = new Map<string, number>()
    for (const name of names) {
      const outcome = await parseInstance(await corpusFile(name), 'verify')
      kinds.set(outcome.kind, (kinds.get(outcome.kind) ?? 0) + 1)
      expect([name, outcome.kind]).toEqual([name, name.endsWith('DICOMDIR') ? 'non-image' : 'image'])
    }
    expect(Object.fromEntries(kinds)).toEqual({ image: 99, 'non-image': 1 })
  })

  it('refuses an element dcmjs would read past its end (a 6-byte string under a tag its dictionary makes FD)', async () => {
    const bytes = await readFile(new URL('../../../test/fixtures/fuzz-regressions/implicit-string-as-fd.dcm', import.meta.url))
    const outcome = await parseInstance(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), 'parse')
    expect(outcome).toMatchObject({ kind: 'rejected', code: 'bad-length', reason: expect.stringContaining('(0018,9030) FD') })
  })

  it('turns a failure of the DICOM reader on a file the check let through into a typed rejection', async () => {
    // Referenced Image Sequence, implicit VR, whose value is not an item: opaque bytes to the
    // check, but dcmjs knows the tag is a sequence and throws a bare Error()
    const file = concat([fileMeta({ transferSyntaxUid: IMPLICIT_LE }), element(0x00081140, 'SQ', new Uint8Array(8).fill(0x41), IMPLICIT_LITTLE), nativeImageFile({ transferSyntaxUid: IMPLICIT_LE, enc: IMPLICIT_LITTLE }).subarray(fileMeta({ transferSyntaxUid: IMPLICIT_LE }).length)])
    const outcome = await parseInstance(buffer(file), 'parse')
    expect(outcome).toMatchObject({ kind: 'rejected', code: 'parse-failed', reason: expect.stringMatching(/^the DICOM reader failed on this file: /) })
  })
})
