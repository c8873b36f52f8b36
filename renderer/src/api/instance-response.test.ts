import { describe, expect, it } from 'vitest'
import { buildMultipart, multipartContentType } from '../../../shared/multipart-related.ts'
import { contentDigestOf, parseDigestField } from './content-digest.ts'
import { readInstanceResponse } from './instance-response.ts'
import { RequestError } from './request-error.ts'
import { readResponseJson } from './response-body.ts'

const BOUNDARY = 'b-123'
const instance = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7) & 0xff)

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0))
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.length
  }
  return out
}

async function body(partHeaders: Record<string, string> = {}, bytes = instance): Promise<Uint8Array> {
  return concat(buildMultipart([{ headers: { 'Content-Type': 'application/dicom', ...partHeaders }, body: bytes }], BOUNDARY))
}

function answer(bytes: Uint8Array, headers: Record<string, string> = {}): Response {
  return new Response(bytes as Uint8Array<ArrayBuffer>, { status: 200, headers: { 'content-type': multipartContentType('application/dicom', BOUNDARY), ...headers } })
}

/** A response whose body delivers `bytes` and then fails as a cut connection does in fetch. */
function brokenAnswer(bytes: Uint8Array): Response {
  let sent = false
  const stream = new ReadableStream<Uint8Array>({
    pull(sink) {
      if (!sent) sink.enqueue(bytes)
      else sink.error(new TypeError('terminated', { cause: new Error('other side closed') }))
      sent = true
    },
  })
  return new Response(stream, { status: 200, headers: { 'content-type': multipartContentType('application/dicom', BOUNDARY) } })
}

async function failureOf(promise: Promise<unknown>): Promise<RequestError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!(error instanceof RequestError)) throw new Error(`expected a RequestError, got ${String(error)}`)
  return error
}

describe('reading a WADO-RS instance answer', () => {
  it('returns the part checked against its length and SHA-256 digest', async () => {
    const headers = { 'Content-Length': String(instance.length), 'Content-Digest': await contentDigestOf(instance) }
    const full = await body(headers)
    const checked = await readInstanceResponse(answer(full, { 'content-length': String(full.length) }), 'x')
    expect(checked.digest).toBe('sha-256')
    expect(checked.bytes).toEqual(instance)
  })

  it('checks lengths and framing only when the server sends no digest (Orthanc)', async () => {
    const checked = await readInstanceResponse(answer(await body({ 'Content-Length': String(instance.length) })), 'x')
    expect(checked.digest).toBeNull()
    expect(checked.bytes).toEqual(instance)
  })

  it('refuses an answer cut anywhere, with or without a Content-Length', async () => {
    const full = await body({ 'Content-Length': String(instance.length) })
    // in the part's headers, in its body, in the closing delimiter
    for (const cut of [30, 200, full.length - 20, full.length - 5]) {
      const short = full.subarray(0, cut)
      expect(await failureOf(readInstanceResponse(answer(short), 'x'))).toMatchObject({ failure: 'truncated' })
      expect(await failureOf(readInstanceResponse(answer(short, { 'content-length': String(full.length) }), 'x'))).toMatchObject({ failure: 'truncated' })
    }
  })

  it('refuses an answer whose connection broke off part way', async () => {
    const full = await body()
    const failure = await failureOf(readInstanceResponse(brokenAnswer(full.subarray(0, 500)), 'x'))
    expect(failure).toMatchObject({ failure: 'truncated', message: expect.stringContaining('broke off after 500 bytes') })
  })

  it('refuses a part whose bytes changed on the way (same length, other digest)', async () => {
    const altered = instance.slice()
    altered[1234] = (altered[1234] as number) ^ 0x01
    const full = await body({ 'Content-Digest': await contentDigestOf(instance) }, altered)
    expect(await failureOf(readInstanceResponse(answer(full), 'x'))).toMatchObject({ failure: 'integrity', message: expect.stringContaining('digest') })
  })

  it("refuses a part whose length is not its header's", async () => {
    const full = await body({ 'Content-Length': String(instance.length + 1) })
    expect(await failureOf(readInstanceResponse(answer(full), 'x'))).toMatchObject({ failure: 'integrity' })
  })

  it('tells a cut JSON answer from one that is not JSON', async () => {
    expect(await failureOf(readResponseJson(new Response('[{"a":1},{"b"'), 'x'))).toMatchObject({ failure: 'truncated' })
    expect(await failureOf(readResponseJson(new Response('<html>}'), 'x'))).toMatchObject({ failure: 'bad-response' })
    expect(await readResponseJson(new Response('[1]'), 'x')).toEqual([1])
  })
})

describe('Content-Digest', () => {
  it('takes the strongest algorithm it knows and ignores the others', async () => {
    const digest = await contentDigestOf(instance)
    expect(parseDigestField(digest)?.algorithm).toBe('sha-256')
    expect(parseDigestField(`md5=:AAAA:, ${digest}`)?.algorithm).toBe('sha-256')
    expect(parseDigestField('sha-512=:AAAA:, sha-256=:AAAA:')?.algorithm).toBe('sha-512')
    expect(parseDigestField('unixsum=:AAAA:')).toBeUndefined()
    expect(parseDigestField('sha-256=not-a-byte-sequence')).toBeUndefined()
    expect(parseDigestField(null)).toBeUndefined()
  })
})
