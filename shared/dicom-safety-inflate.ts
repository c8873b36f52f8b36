/**
 * Raw inflate with a ceiling on the output, for Deflated Explicit VR Little Endian data sets:
 * a few hundred kilobytes of deflate can inflate to gigabytes (a "deflate bomb"), so output is
 * counted chunk by chunk and the stream is cancelled as soon as it passes the limit — nothing
 * beyond the limit is ever held.
 *
 * Uses the Compression Streams API, which browsers, workers and Node (18+) all provide; the
 * few members used are typed here because shared/ compiles without DOM or Node types.
 */
import { describeThrown, DicomSafetyError } from './dicom-safety-error.ts'

interface ChunkReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>
  cancel(reason?: unknown): Promise<void>
}
interface ChunkWriter {
  write(chunk: Uint8Array): Promise<void>
  close(): Promise<void>
  abort(reason?: unknown): Promise<void>
}
interface DecompressionStreamLike {
  readable: { getReader(): ChunkReader }
  writable: { getWriter(): ChunkWriter }
}
type DecompressionStreamConstructor = new (format: 'deflate-raw') => DecompressionStreamLike

/** Deflate's largest expansion: one input byte makes at most about 1032 output bytes. */
const MAX_DEFLATE_RATIO = 1032
const MIN_PIECE = 1024
const MAX_PIECE = 1024 * 1024

async function inflateOnce(deflated: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  const Decompression = (globalThis as { DecompressionStream?: DecompressionStreamConstructor }).DecompressionStream
  if (!Decompression) throw new DicomSafetyError('deflate-corrupt', 'this runtime cannot inflate a deflated data set (no DecompressionStream)')
  const stream = new Decompression('deflate-raw')
  const writer = stream.writable.getWriter()
  const reader = stream.readable.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  // the decompressor inflates each piece it is given whole: a piece is made small enough that even
  // at deflate's largest ratio it cannot inflate past what the allowance has left, so memory stays
  // near the allowance however the stream is built
  let feedError: unknown
  const feeding = (async () => {
    let offset = 0
    while (offset < deflated.length) {
      const piece = Math.min(MAX_PIECE, Math.max(MIN_PIECE, Math.floor((maxBytes - total) / MAX_DEFLATE_RATIO)))
      await writer.write(deflated.slice(offset, offset + piece))
      offset += piece
    }
    await writer.close()
  })().catch((error: unknown) => {
    feedError = error
  })
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      if (!value) continue
      total += value.length
      if (total > maxBytes) {
        throw new DicomSafetyError('deflate-bomb', `the deflated data set inflates to more than ${formatBytes(maxBytes)} (a ${formatBytes(deflated.length)} stream): refused as a deflate bomb`)
      }
      chunks.push(value)
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined)
    await writer.abort().catch(() => undefined)
    await feeding
    if (error instanceof DicomSafetyError) throw error
    throw new DicomSafetyError('deflate-corrupt', `the deflated data set is not a valid deflate stream (${describeThrown(error)})`, { cause: error })
  }
  await feeding
  if (feedError !== undefined) throw new DicomSafetyError('deflate-corrupt', `the deflated data set is not a valid deflate stream (${describeThrown(feedError)})`, { cause: feedError })
  const out = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.length
  }
  return out
}

/** Bytes some writers leave after the end of the deflate stream that the decompressor rejects as junk. */
const MAX_TRAILING_BYTES = 8

/**
 * Inflates a raw deflate stream of at most `maxBytes` output. A deflated data set of odd length
 * is padded with one 00H (PS3.5 A.5), and some writers append a gzip trailer (CRC-32 and
 * length, as in NEMA's deflate samples): the stream is retried without up to 8 trailing bytes.
 * A bomb is refused at once, never retried.
 */
export async function inflateRawBounded(deflated: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  let firstError: DicomSafetyError | undefined
  for (let trim = 0; trim <= Math.min(MAX_TRAILING_BYTES, deflated.length); trim++) {
    try {
      return await inflateOnce(deflated.subarray(0, deflated.length - trim), maxBytes)
    } catch (error) {
      if (!(error instanceof DicomSafetyError) || error.code === 'deflate-bomb') throw error
      firstError ??= error
    }
  }
  throw firstError ?? new DicomSafetyError('deflate-corrupt', 'the deflated data set is empty')
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${bytes} bytes`
}
