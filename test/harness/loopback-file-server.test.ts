import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLoopbackFileServer, type LoopbackFileServer } from './loopback-file-server.ts'

let dir: string
let server: LoopbackFileServer

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'loopback-files-'))
  await mkdir(path.join(dir, 'app'))
  await mkdir(path.join(dir, 'data'))
  await writeFile(path.join(dir, 'app', 'page.html'), '<p>page</p>')
  await writeFile(path.join(dir, 'app', 'codec.wasm'), new Uint8Array([0, 97, 115, 109]))
  await writeFile(path.join(dir, 'data', 'CT1_UNC'), new Uint8Array([1, 2, 3]))
  await writeFile(path.join(dir, 'secret.txt'), 'outside')
  await symlink(path.join(dir, 'secret.txt'), path.join(dir, 'data', 'link'))
  server = await startLoopbackFileServer({ '/': path.join(dir, 'app'), '/fixtures/': path.join(dir, 'data') })
})

afterAll(async () => {
  await server.close()
  await rm(dir, { recursive: true, force: true })
})

describe('startLoopbackFileServer', () => {
  it('listens on loopback only', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  })

  it('serves each folder under its prefix, with the workstation’s types and CSP on HTML', async () => {
    const page = await fetch(`${server.url}/page.html`)
    expect(page.headers.get('content-type')).toMatch(/^text\/html/)
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect((await fetch(`${server.url}/codec.wasm`)).headers.get('content-type')).toBe('application/wasm')
    const file = await fetch(`${server.url}/fixtures/CT1_UNC`)
    expect(file.headers.get('content-type')).toBe('application/octet-stream')
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]))
  })

  it('serves nothing outside the folders', async () => {
    for (const url of ['/fixtures/..%2Fsecret.txt', '/fixtures/%2e%2e/secret.txt', '/fixtures/link', '/missing', '/fixtures/']) {
      expect((await fetch(`${server.url}${url}`)).status, url).toBe(404)
    }
  })
})
