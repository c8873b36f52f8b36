/**
 * A stored file sent as a one-part multipart/related body (WADO-RS instance retrieval), with its
 * exact length known before the first byte is sent.
 *
 * A body that fits a slab (every CT or MR slice) is read straight into a pooled 1 MiB buffer,
 * framing included, and sent in one write; the slab is reused once the response is closed.
 * Allocating a fresh half-megabyte buffer per request instead cost more than the read itself:
 * page faults on the new memory, and a full garbage collection every few dozen requests to
 * reclaim it. Larger bodies (radiographs, multi-frame) are streamed in chunks, never held whole.
 */
import { open, type FileHandle } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { singlePartFraming } from '../shared/multipart-related.ts'

const SLAB_BYTES = 1024 * 1024
/** Idle slabs kept for reuse; beyond this, returned slabs are left to the garbage collector. */
const MAX_IDLE_SLABS = 16
// Streamed bodies are read in few, large chunks: one trip to the thread pool per megabyte.
const STREAM_CHUNK_BYTES = 1024 * 1024

const idleSlabs: Buffer[] = []

export interface MultipartFileBody {
  /** One Buffer when the body fits a slab, otherwise a stream that reads the file as it is sent. */
  payload: Buffer | Readable
  /** The whole body's length in bytes, for Content-Length. */
  length: number
  /**
   * Gives the slab back for reuse. Call it once the response is closed (its 'close' event) and
   * never earlier: until then the socket may still be sending from it. Not calling it is safe.
   */
  release(): void
}

/**
 * Opens the file and measures it. The length stays exact even if the file is replaced meanwhile
 * (imports write a new file and rename it over the old): the open handle keeps reading the old one.
 * A streamed payload closes the file when it ends or is destroyed; whoever receives it must do one.
 */
export async function openMultipartFileBody(
  path: string,
  partHeaders: Record<string, string>,
  boundary: string,
): Promise<MultipartFileBody> {
  const { head, tail } = singlePartFraming(partHeaders, boundary)
  const handle = await open(path, 'r')
  let streaming = false
  try {
    const { size } = await handle.stat()
    const length = head.length + size + tail.length
    if (length <= SLAB_BYTES) return { ...(await readIntoSlab(handle, path, size, head, tail)), length }
    streaming = true
    return { payload: streamBody(handle, path, size, head, tail), length, release: () => undefined }
  } finally {
    if (!streaming) await handle.close()
  }
}

async function readIntoSlab(
  handle: FileHandle,
  path: string,
  size: number,
  head: Uint8Array,
  tail: Uint8Array,
): Promise<Pick<MultipartFileBody, 'payload' | 'release'>> {
  const slab = idleSlabs.pop() ?? Buffer.allocUnsafeSlow(SLAB_BYTES)
  let released = false
  const release = () => {
    if (released) return
    released = true
    if (idleSlabs.length < MAX_IDLE_SLABS) idleSlabs.push(slab)
  }
  try {
    slab.set(head, 0)
    let filled = 0
    while (filled < size) {
      const { bytesRead } = await handle.read(slab, head.length + filled, size - filled, filled)
      if (bytesRead === 0) throw new Error(`${path} ended at ${filled} of ${size} bytes`)
      filled += bytesRead
    }
    slab.set(tail, head.length + size)
    return { payload: slab.subarray(0, head.length + size + tail.length), release }
  } catch (error) {
    release() // nothing was sent from it
    throw error
  }
}

function streamBody(handle: FileHandle, path: string, size: number, head: Uint8Array, tail: Uint8Array): Readable {
  // The read stream owns the handle from here: it closes it when it ends, fails or is destroyed.
  const file = handle.createReadStream({ start: 0, end: size - 1, highWaterMark: STREAM_CHUNK_BYTES })
  async function* pieces(): AsyncGenerator<Uint8Array> {
    yield head
    let sent = 0
    for await (const chunk of file as AsyncIterable<Buffer>) {
      sent += chunk.length
      yield chunk
    }
    // Ending short would leave the client waiting for bytes promised by Content-Length.
    if (sent !== size) throw new Error(`${path} changed size while it was being sent`)
    yield tail
  }
  const stream = Readable.from(pieces(), { objectMode: false })
  // A stream destroyed before it was read never runs pieces(), so close the file here too.
  stream.once('close', () => file.destroy())
  return stream
}
