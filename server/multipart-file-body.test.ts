import { randomBytes } from 'node:crypto'
import { readdirSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildMultipart } from '../shared/multipart-related.ts'
import { openMultipartFileBody, type MultipartFileBody } from './multipart-file-body.ts'

const HEADERS = { 'Content-Type': 'application/dicom' }
let dir: string
const small = randomBytes(300_000)
const large = randomBytes(3_000_000) // beyond a slab: streamed

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'multipart-file-body-'))
  await writeFile(join(dir, 'small.dcm'), small)
  await writeFile(join(dir, 'large.dcm'), large)
  await writeFile(join(dir, 'empty.dcm'), new Uint8Array(0))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function bytesOf(body: MultipartFileBody): Promise<Buffer> {
  if (Buffer.isBuffer(body.payload)) return Buffer.from(body.payload) // a copy: the slab is reused after release
  const chunks: Buffer[] = []
  for await (const chunk of body.payload) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

function expected(content: Uint8Array, boundary: string): Buffer {
  return Buffer.concat(buildMultipart([{ headers: HEADERS, body: content }], boundary))
}

/** Open file descriptors of this process (Linux), to show that files are closed. */
function openFiles(): number {
  return readdirSync('/proc/self/fd').length
}

describe('multipart file body', () => {
  it('frames a small file in one buffer, byte for byte as buildMultipart, with its exact length', async () => {
    const body = await openMultipartFileBody(join(dir, 'small.dcm'), HEADERS, 'b-small')
    expect(Buffer.isBuffer(body.payload)).toBe(true)
    const bytes = await bytesOf(body)
    body.release()
    expect(bytes.equals(expected(small, 'b-small'))).toBe(true)
    expect(body.length).toBe(bytes.length)
  })

  it('streams a file too large for a slab, byte for byte, with its exact length', async () => {
    const body = await openMultipartFileBody(join(dir, 'large.dcm'), HEADERS, 'b-large')
    expect(body.payload).toBeInstanceOf(Readable)
    const bytes = await bytesOf(body)
    expect(bytes.equals(expected(large, 'b-large'))).toBe(true)
    expect(body.length).toBe(bytes.length)
  })

  it('frames an empty file', async () => {
    const body = await openMultipartFileBody(join(dir, 'empty.dcm'), HEADERS, 'b-empty')
    expect((await bytesOf(body)).equals(expected(new Uint8Array(0), 'b-empty'))).toBe(true)
    body.release()
  })

  it('never gives one slab to two unreleased bodies, even after a double release', async () => {
    const first = await openMultipartFileBody(join(dir, 'small.dcm'), HEADERS, 'b1')
    first.release()
    first.release()
    const [a, b] = await Promise.all([
      openMultipartFileBody(join(dir, 'small.dcm'), HEADERS, 'b2'),
      openMultipartFileBody(join(dir, 'small.dcm'), HEADERS, 'b3'),
    ])
    expect((a.payload as Buffer).buffer).not.toBe((b.payload as Buffer).buffer)
    expect((await bytesOf(a)).equals(expected(small, 'b2'))).toBe(true)
    expect((await bytesOf(b)).equals(expected(small, 'b3'))).toBe(true)
    a.release()
    b.release()
  })

  it('rejects a missing file and leaves no file open, whether a body is read, destroyed unread or refused', async () => {
    const before = openFiles()
    await expect(openMultipartFileBody(join(dir, 'missing.dcm'), HEADERS, 'b')).rejects.toMatchObject({ code: 'ENOENT' })
    const unread = await openMultipartFileBody(join(dir, 'large.dcm'), HEADERS, 'b')
    const closed = new Promise((resolve) => (unread.payload as Readable).once('close', resolve))
    ;(unread.payload as Readable).destroy()
    await closed
    const read = await openMultipartFileBody(join(dir, 'small.dcm'), HEADERS, 'b')
    read.release()
    await new Promise((resolve) => setTimeout(resolve, 50)) // file closes complete on the thread pool
    expect(openFiles()).toBe(before)
  })
})
