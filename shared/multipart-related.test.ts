import { describe, expect, it } from 'vitest'
import {
  boundaryFromContentType,
  buildMultipart,
  multipartContentType,
  parseMultipart,
  singlePartFraming,
  type MultipartPart,
} from './multipart-related.ts'

/** Test bodies are ASCII framing around binary parts; no platform codec needed. */
function bytes(...pieces: (string | Uint8Array)[]): Uint8Array {
  const arrays = pieces.map((piece) =>
    typeof piece === 'string' ? Uint8Array.from(piece, (char) => char.charCodeAt(0)) : piece,
  )
  const out = new Uint8Array(arrays.reduce((sum, a) => sum + a.length, 0))
  let offset = 0
  for (const a of arrays) {
    out.set(a, offset)
    offset += a.length
  }
  return out
}

function text(body: Uint8Array): string {
  return String.fromCharCode(...body)
}

// Part bodies that contain what framing looks like: CRLFs, dashes, NULs and high bytes.
const tricky = bytes('DICM\r\n--\r\n\r\n', new Uint8Array([0, 255, 13, 10, 45, 45, 0]))

describe('parseMultipart', () => {
  it('reads back what buildMultipart wrote, bodies byte for byte', () => {
    const boundary = 'b0undary-1234'
    const parts: MultipartPart[] = [
      { headers: { 'Content-Type': 'application/dicom' }, body: tricky },
      { headers: { 'Content-Type': 'application/dicom', 'Content-Location': '/studies/1.2/series/3' }, body: new Uint8Array(0) },
      { headers: { 'Content-Type': 'application/octet-stream' }, body: new Uint8Array(70_000).fill(7) },
    ]
    const parsed = parseMultipart(bytes(...buildMultipart(parts, boundary)), boundary)

    expect(parsed).toHaveLength(3)
    expect(parsed[0]?.headers).toEqual({ 'content-type': 'application/dicom' })
    expect(parsed[0]?.body).toEqual(tricky)
    expect(parsed[1]?.headers['content-location']).toBe('/studies/1.2/series/3')
    expect(parsed[1]?.body).toHaveLength(0)
    expect(parsed[2]?.body).toEqual(parts[2]?.body)
  })

  it('frames a streamed single part exactly as buildMultipart frames it', () => {
    const headers = { 'Content-Type': 'application/dicom' }
    const { head, tail } = singlePartFraming(headers, 'b0undary-1234')
    expect(bytes(head, tricky, tail)).toEqual(bytes(...buildMultipart([{ headers, body: tricky }], 'b0undary-1234')))
    expect(parseMultipart(bytes(head, tail), 'b0undary-1234')[0]?.body).toHaveLength(0)
  })

  it('reads a body framed the way Orthanc frames WADO-RS (extra headers, 72-character boundary)', () => {
    // Orthanc 1.10 + DICOMweb 1.7: two UUIDs as boundary (longer than RFC 2046's 70), a
    // Content-Length and MIME-Version in each part, and a CRLF after the closing delimiter.
    const boundary = 'ad0506be-9674-443d-b7ab-fb6581d69f78-b59e49b6-57a4-4231-b62f-fa52d66b9'
    const body = bytes(
      `--${boundary}\r\nContent-Type: application/dicom\r\nContent-Length: ${tricky.length}\r\nMIME-Version: 1.0\r\n\r\n`,
      tricky,
      `\r\n--${boundary}--\r\n`,
    )
    const [part, ...rest] = parseMultipart(body, boundary)
    expect(rest).toHaveLength(0)
    expect(part?.headers).toEqual({ 'content-type': 'application/dicom', 'content-length': String(tricky.length), 'mime-version': '1.0' })
    expect(part?.body).toEqual(tricky)
  })

  it('ignores a preamble before the first boundary and an epilogue after the last', () => {
    const body = bytes(
      'This is a multi-part message in MIME format.\r\n',
      '--xyz\r\nContent-Type: application/dicom\r\n\r\n',
      tricky,
      '\r\n--xyz--\r\nepilogue text that is not a part\r\n',
    )
    const parts = parseMultipart(body, 'xyz')
    expect(parts).toHaveLength(1)
    expect(parts[0]?.body).toEqual(tricky)
  })

  it('accepts transport padding after a delimiter and a part without headers', () => {
    // RFC 2046 5.1.1 allows linear white space between a boundary and its CRLF.
    const body = bytes('--xyz \t\r\n\r\nfirst\r\n--xyz\r\nContent-Type: text/plain\r\n\r\nsecond\r\n--xyz--')
    const parts = parseMultipart(body, 'xyz')
    expect(parts.map((p) => text(p.body))).toEqual(['first', 'second'])
    expect(parts[0]?.headers).toEqual({})
  })

  it('throws on a body cut off inside a part', () => {
    const whole = bytes(...buildMultipart([{ headers: { 'Content-Type': 'application/dicom' }, body: tricky }], 'xyz'))
    const cutInBody = whole.subarray(0, whole.length - 20)
    expect(() => parseMultipart(cutInBody, 'xyz')).toThrow(/truncated/)
  })

  it('throws on a body cut off right after a delimiter, before the closing "--"', () => {
    const body = bytes('--xyz\r\nContent-Type: application/dicom\r\n\r\n', tricky, '\r\n--xyz')
    expect(() => parseMultipart(body, 'xyz')).toThrow(/truncated/)
  })

  it('throws on a part whose headers never end', () => {
    expect(() => parseMultipart(bytes('--xyz\r\nContent-Type: application/dicom\r\n'), 'xyz')).toThrow(/end of headers/)
  })

  it('throws when the boundary does not occur at all', () => {
    expect(() => parseMultipart(bytes('<html>proxy error</html>'), 'xyz')).toThrow(/no boundary/)
  })
})

describe('boundaryFromContentType', () => {
  it('reads an unquoted boundary', () => {
    expect(boundaryFromContentType('multipart/related; type="application/dicom"; boundary=abc-123')).toBe('abc-123')
  })

  it('reads a quoted boundary, which may hold characters a token may not', () => {
    expect(boundaryFromContentType('multipart/related; boundary="a:b=c d"; type="application/dicom"')).toBe('a:b=c d')
  })

  it('matches the parameter name case-insensitively', () => {
    expect(boundaryFromContentType('Multipart/Related; Boundary=XYZ')).toBe('XYZ')
  })

  it('gives undefined when there is no boundary', () => {
    expect(boundaryFromContentType('application/dicom+json')).toBeUndefined()
  })

  it('reads back the boundary multipartContentType wrote', () => {
    expect(boundaryFromContentType(multipartContentType('application/dicom', 'abc.def'))).toBe('abc.def')
  })

  it('parses a body whose quoted boundary came from the header', () => {
    const boundary = boundaryFromContentType('multipart/related; type="application/dicom"; boundary="q u=o:t,e"')
    expect(boundary).toBe('q u=o:t,e')
    const body = bytes('--q u=o:t,e\r\nContent-Type: application/dicom\r\n\r\n', tricky, '\r\n--q u=o:t,e--\r\n')
    expect(parseMultipart(body, boundary ?? '')[0]?.body).toEqual(tricky)
  })
})
