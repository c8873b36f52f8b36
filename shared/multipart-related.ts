/**
 * multipart/related bodies as WADO-RS sends them (PS3.18 8.6.1.2): build on the server,
 * parse on the client. Pure byte handling, no DOM or Node APIs.
 */

export interface MultipartPart {
  headers: Record<string, string>
  body: Uint8Array
}

/** Multipart framing is ASCII: encode and decode it without platform text codecs. */
const ascii = {
  encode(text: string): Uint8Array {
    const out = new Uint8Array(text.length)
    for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff
    return out
  },
  decode(bytes: Uint8Array): string {
    let out = ''
    for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.subarray(i, i + 8192))
    return out
  },
}

/** The boundary parameter of a multipart Content-Type header, or undefined when there is none. */
export function boundaryFromContentType(contentType: string): string | undefined {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType)
  return match ? (match[1] ?? match[2]) : undefined
}

/** The Content-Type of a multipart/related response with the given part type and boundary. */
export function multipartContentType(partType: string, boundary: string): string {
  return `multipart/related; type="${partType}"; boundary=${boundary}`
}

/** The delimiter line and header lines that precede a part's body. */
function partHead(headers: Record<string, string>, boundary: string): string {
  const lines = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')
  return `--${boundary}\r\n${lines}\r\n`
}

/** Serialises parts into one multipart body (CRLF line ends, closing delimiter). */
export function buildMultipart(parts: readonly MultipartPart[], boundary: string): Uint8Array[] {
  const chunks: Uint8Array[] = []
  for (const part of parts) chunks.push(ascii.encode(partHead(part.headers, boundary)), part.body, ascii.encode('\r\n'))
  chunks.push(ascii.encode(`--${boundary}--\r\n`))
  return chunks
}

/**
 * The framing of a one-part body, for sending a body that is streamed rather than held in
 * memory: `head`, then the body's bytes, then `tail` is exactly what buildMultipart gives.
 */
export function singlePartFraming(headers: Record<string, string>, boundary: string): { head: Uint8Array; tail: Uint8Array } {
  return { head: ascii.encode(partHead(headers, boundary)), tail: ascii.encode(`\r\n--${boundary}--\r\n`) }
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0]
  const last = haystack.length - needle.length
  outer: for (let i = haystack.indexOf(first as number, from); i !== -1 && i <= last; i = haystack.indexOf(first as number, i + 1)) {
    for (let j = 1; j < needle.length; j++) {
      if (haystack[i + j] !== needle[j]) continue outer
    }
    return i
  }
  return -1
}

/**
 * Splits a multipart body into its parts. Part bodies are views into the input (no copy).
 * Throws an Error naming what is wrong when the body is not well formed (truncated, no boundary).
 */
export function parseMultipart(body: Uint8Array, boundary: string): MultipartPart[] {
  const delimiter = ascii.encode(`--${boundary}`)
  const parts: MultipartPart[] = []
  let pos = indexOf(body, delimiter, 0)
  if (pos === -1) throw new Error(`multipart body has no boundary "${boundary}"`)
  for (;;) {
    pos += delimiter.length
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return parts // closing "--"
    // skip the CRLF after the delimiter line
    const lineEnd = indexOf(body, ascii.encode('\r\n'), pos)
    if (lineEnd === -1) throw new Error('multipart body is truncated after a boundary')
    const headerEnd = indexOf(body, ascii.encode('\r\n\r\n'), lineEnd)
    if (headerEnd === -1) throw new Error('multipart part has no end of headers')
    const headers: Record<string, string> = {}
    const headerText = headerEnd > lineEnd ? ascii.decode(body.subarray(lineEnd + 2, headerEnd)) : ''
    for (const line of headerText.split('\r\n')) {
      const colon = line.indexOf(':')
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
    }
    const bodyStart = headerEnd + 4
    const next = indexOf(body, ascii.encode(`\r\n--${boundary}`), bodyStart)
    if (next === -1) throw new Error('multipart body is truncated: a part has no closing boundary')
    parts.push({ headers, body: body.subarray(bodyStart, next) })
    pos = next + 2
  }
}
