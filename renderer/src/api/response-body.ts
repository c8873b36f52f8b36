/**
 * Reading an answer's body to its end, telling a body that arrived short from one that is
 * wrong: a connection cut part way, or a body shorter than its Content-Length, is 'truncated'
 * (worth another try); a whole body that is not what was asked for is 'bad-response'.
 */
import { RequestError } from './request-error.ts'

/**
 * The whole body. Fails with 'truncated' when the connection breaks off part way or the body is
 * not as long as its Content-Length (checked only without a content coding: a gzipped answer
 * declares the length of its coded form, which fetch has checked while decoding it). A stall
 * timeout from underneath stays a 'timeout'.
 */
export async function readResponseBytes(response: Response, what: string): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  let received = 0
  if (response.body) {
    const reader = response.body.getReader()
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        chunks.push(value)
        received += value.byteLength
      }
    } catch (error) {
      if (error instanceof RequestError) throw error
      const reason = error instanceof Error ? (error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message) : String(error)
      throw new RequestError('truncated', `${what}: the answer broke off after ${received} bytes (${reason})`)
    }
  }
  const declared = response.headers.get('content-length')
  const coded = (response.headers.get('content-encoding') ?? 'identity').toLowerCase() !== 'identity'
  if (declared !== null && !coded && Number(declared) !== received) {
    throw new RequestError('truncated', `${what}: the answer has ${received} of the ${declared} bytes the server announced`)
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array
  const body = new Uint8Array(received)
  let at = 0
  for (const chunk of chunks) {
    body.set(chunk, at)
    at += chunk.byteLength
  }
  return body
}

/**
 * The body parsed as JSON. Text that does not parse and does not end with a closing bracket or
 * brace was cut short ('truncated'); text that does end so but does not parse is 'bad-response'.
 */
export async function readResponseJson(response: Response, what: string): Promise<unknown> {
  const text = new TextDecoder().decode(await readResponseBytes(response, what))
  try {
    return JSON.parse(text) as unknown
  } catch {
    if (!/[\]}]\s*$/.test(text)) throw new RequestError('truncated', `${what}: the answer ended after ${text.length} characters, before the end of its JSON`)
    throw new RequestError('bad-response', `${what}: the answer is not JSON`)
  }
}
