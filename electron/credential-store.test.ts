import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createCredentialStore, InsecureStorageError, type Encryptor } from './credential-store.ts'

/** A reversible stand-in for safeStorage (XOR), enough to prove nothing is stored in clear. */
const xor = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a))
const fakeEncryptor = (available = true): Encryptor => ({
  isAvailable: () => available,
  encrypt: (plain) => xor(Buffer.from(plain, 'utf8')),
  decrypt: (cipher) => xor(cipher).toString('utf8'),
})
const creds = { username: 'reader1', accessToken: 'secret-token-value', expiresAt: '2030-01-01T00:00:00.000Z' }

describe('credential store', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'creds-'))
  })
  afterEach(() => rm(dir, { recursive: true, force: true }))

  it('stores encrypted, loads back, clears', async () => {
    const file = path.join(dir, 'credentials.json')
    const store = createCredentialStore(file, fakeEncryptor())
    await store.save('http://127.0.0.1:8642', creds)
    expect(await readFile(file, 'utf8')).not.toContain('secret-token-value')
    expect(await store.load('http://127.0.0.1:8642')).toEqual(creds)
    expect(await store.load('http://other')).toBeNull()
    await store.clear('http://127.0.0.1:8642')
    expect(await store.load('http://127.0.0.1:8642')).toBeNull()
  })

  it('refuses to store when only plain-text storage is available', async () => {
    const store = createCredentialStore(path.join(dir, 'c.json'), fakeEncryptor(false))
    await expect(store.save('http://127.0.0.1:8642', creds)).rejects.toBeInstanceOf(InsecureStorageError)
  })

  it('treats a corrupt file as empty rather than failing', async () => {
    const file = path.join(dir, 'c.json')
    const { writeFile } = await import('node:fs/promises')
    await writeFile(file, '{not json')
    expect(await createCredentialStore(file, fakeEncryptor()).load('http://127.0.0.1:8642')).toBeNull()
  })
})
