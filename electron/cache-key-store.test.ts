import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createCacheKeyStore } from './cache-key-store.ts'
import type { Encryptor } from './credential-store.ts'

const xor = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x33))
const encryptor = (available: boolean): Encryptor => ({
  isAvailable: () => available,
  encrypt: (plain) => xor(Buffer.from(plain, 'utf8')),
  decrypt: (cipher) => xor(cipher).toString('utf8'),
})

describe('cache key store', () => {
  let dir: string
  beforeEach(async () => void (dir = await mkdtemp(path.join(os.tmpdir(), 'cache-key-'))))
  afterEach(() => rm(dir, { recursive: true, force: true }))

  it('creates a 256-bit key once, keeps it encrypted, and gives the same key after a restart', async () => {
    const file = path.join(dir, 'cache-key.bin')
    const first = await createCacheKeyStore(file, encryptor(true))()
    expect(first.persistent).toBe(true)
    expect(Buffer.from(first.key, 'base64')).toHaveLength(32)
    expect((await readFile(file)).toString('utf8')).not.toContain(first.key)
    const again = await createCacheKeyStore(file, encryptor(true))()
    expect(again.key).toBe(first.key)
  })

  it('without a keystore, keeps a key only for this run and says so', async () => {
    const store = createCacheKeyStore(path.join(dir, 'k.bin'), encryptor(false))
    const key = await store()
    expect(key.persistent).toBe(false)
    expect((await store()).key).toBe(key.key)
    expect((await createCacheKeyStore(path.join(dir, 'k.bin'), encryptor(false))()).key).not.toBe(key.key)
  })
})
