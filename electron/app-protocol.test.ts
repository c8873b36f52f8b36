import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { isAppUrl, mimeTypeFor, resolveAppFile } from './app-protocol.ts'

const root = path.resolve('/opt/app/renderer')

describe('app:// protocol', () => {
  it('maps app URLs to files in the renderer folder', () => {
    expect(resolveAppFile(root, 'app://workstation/')).toBe(path.join(root, 'index.html'))
    expect(resolveAppFile(root, 'app://workstation/assets/index.js')).toBe(path.join(root, 'assets/index.js'))
  })

  it('refuses paths that leave the folder, other hosts and other schemes', () => {
    // the URL parser already folds literal dot segments: what is left stays inside the folder
    expect(resolveAppFile(root, 'app://workstation/../../etc/passwd')).toBe(path.join(root, 'etc/passwd'))
    expect(resolveAppFile(root, 'app://workstation/..%2f..%2fetc%2fpasswd')).toBeNull()
    expect(resolveAppFile(root, 'app://workstation/a%00.js')).toBeNull()
    expect(resolveAppFile(root, 'app://evil/index.html')).toBeNull()
    expect(resolveAppFile(root, 'file:///etc/passwd')).toBeNull()
  })

  it('knows its own frames', () => {
    expect(isAppUrl('app://workstation/index.html')).toBe(true)
    expect(isAppUrl('http://127.0.0.1:8642/')).toBe(false)
    expect(isAppUrl('not a url')).toBe(false)
  })

  it('serves WebAssembly with its MIME type (streaming compilation needs it)', () => {
    expect(mimeTypeFor('x/openjpeg.wasm')).toBe('application/wasm')
    expect(mimeTypeFor('x/unknown.bin')).toBe('application/octet-stream')
  })
})

describe('app origin', () => {
  it('is not fooled by user info or a port', () => {
    expect(isAppUrl('app://user:pw@workstation/index.html')).toBe(false)
    expect(isAppUrl('app://workstation:1234/index.html')).toBe(false)
    expect(isAppUrl('app://evil@workstation.example/')).toBe(false)
    expect(isAppUrl('file:///workstation/index.html')).toBe(false)
  })
})
