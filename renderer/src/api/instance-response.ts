/**
 * Reading a WADO-RS single-instance answer and proving it whole before anyone keeps it. An
 * answer can arrive short (the server killed, the line cut, a proxy closing early), and a
 * short multipart body can even parse; a byte can change on the way. So, in order:
 *
 * 1. the body is read to its end; a connection that breaks off is 'truncated';
 * 2. its length is the Content-Length the server declared (see response-body.ts: Orthanc
 *    gzips, and then fetch checks the coded length while decoding);
 * 3. it ends with the closing boundary, which a body cut short anywhere lacks ('truncated');
 * 4. its one part is as long as the part's own Content-Length header, when there is one;
 * 5. the part has the digest of its Content-Digest (or Repr-Digest) header, when there is one.
 *
 * The reference reading server sends both headers on every part; Orthanc sends the part's
 * Content-Length but no digest, so from Orthanc only lengths and framing are checked; any
 * other PACS gets whatever of these it sends. Failing 3-5 is an 'integrity' failure: the
 * bytes are dropped and the request is tried again, never stored.
 */
import { boundaryFromContentType, parseMultipart } from '../../../shared/multipart-related.ts'
import { matchesDigest, parseDigestField, type DigestAlgorithm } from './content-digest.ts'
import { RequestError } from './request-error.ts'
import { readResponseBytes } from './response-body.ts'

export interface CheckedInstance {
  /** The instance's Part-10 bytes. */
  bytes: Uint8Array
  /** The digest they were checked against, or null when the server gave none (lengths only). */
  digest: DigestAlgorithm | null
}

/** Whether the body ends with the closing delimiter `--boundary--`, allowing the trailing line break (and epilogue whitespace). */
function endsWithClosingDelimiter(body: Uint8Array, boundary: string): boolean {
  let end = body.length
  while (end > 0 && (body[end - 1] === 0x0d || body[end - 1] === 0x0a || body[end - 1] === 0x20 || body[end - 1] === 0x09)) end--
  const closing = `--${boundary}--`
  if (end < closing.length) return false
  for (let i = 0; i < closing.length; i++) if (body[end - closing.length + i] !== closing.charCodeAt(i)) return false
  return true
}

/** Reads and checks a 200 answer to a single-instance WADO-RS request; `what` names it in errors. */
export async function readInstanceResponse(response: Response, what: string): Promise<CheckedInstance> {
  const contentType = response.headers.get('content-type') ?? ''
  const boundary = boundaryFromContentType(contentType)
  if (!boundary) throw new RequestError('bad-response', `${what}: expected multipart/related, got "${contentType}"`)
  const body = await readResponseBytes(response, what)
  if (!endsWithClosingDelimiter(body, boundary)) {
    throw new RequestError('truncated', `${what}: the answer ended after ${body.length} bytes, before its closing boundary`)
  }
  let parts
  try {
    parts = parseMultipart(body, boundary)
  } catch (cause) {
    throw new RequestError('bad-response', `${what}: ${cause instanceof Error ? cause.message : String(cause)}`)
  }
  const [part] = parts
  if (parts.length !== 1 || !part) throw new RequestError('bad-response', `${what}: expected one instance, got ${parts.length}`)

  const partLength = part.headers['content-length']
  if (partLength !== undefined && Number(partLength) !== part.body.length) {
    throw new RequestError('integrity', `${what}: the instance has ${part.body.length} bytes, its part header says ${partLength}`)
  }
  const expected = parseDigestField(part.headers['content-digest'] ?? part.headers['repr-digest'])
  if (expected && !(await matchesDigest(part.body, expected))) {
    throw new RequestError('integrity', `${what}: the instance's ${expected.algorithm} digest does not match the one the server sent`)
  }
  return { bytes: part.body, digest: expected?.algorithm ?? null }
}
