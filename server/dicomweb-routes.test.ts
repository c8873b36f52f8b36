import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { instancePartHeaders } from './dicomweb-routes.ts'

describe('WADO-RS instance part headers', () => {
  it('give the length and the RFC 9530 SHA-256 digest of the file as imported', () => {
    const bytes = Buffer.from('DICM and some pixels')
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    expect(instancePartHeaders({ filePath: 'x', fileSize: bytes.length, sha256 })).toEqual({
      'Content-Type': 'application/dicom',
      'Content-Length': String(bytes.length),
      'Content-Digest': `sha-256=:${createHash('sha256').update(bytes).digest('base64')}:`,
    })
  })
})
