/**
 * Remembered credentials, encrypted with the OS keychain (Electron safeStorage) and kept
 * in one file under the user-data folder. Refuses to store anything when the OS offers
 * only the plain-text fallback.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { isValidStoredCredentials, type StoredCredentials } from '../shared/desktop-bridge.ts'

export interface Encryptor {
  /** False when encryption would be a plain-text fallback (e.g. Linux without a keyring). */
  isAvailable(): boolean
  encrypt(plain: string): Buffer
  decrypt(cipher: Buffer): string
}

export interface CredentialStore {
  load(serverUrl: string): Promise<StoredCredentials | null>
  save(serverUrl: string, credentials: StoredCredentials): Promise<void>
  clear(serverUrl: string): Promise<void>
}

export class InsecureStorageError extends Error {
  constructor() {
    super('This computer offers no secure credential storage (OS keychain); credentials are not saved. You will be asked to log in each time.')
    this.name = 'InsecureStorageError'
  }
}

/** A credential store in `file`, one base64 ciphertext per server URL. */
export function createCredentialStore(file: string, encryptor: Encryptor): CredentialStore {
  async function readAll(): Promise<Record<string, string>> {
    try {
      const parsed: unknown = JSON.parse(await readFile(file, 'utf8'))
      // a null prototype: a "__proto__" key in a tampered file stays an ordinary entry
      const entries = Object.create(null) as Record<string, string>
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return entries
      for (const [key, value] of Object.entries(parsed)) if (typeof value === 'string') entries[key] = value
      return entries
    } catch {
      return Object.create(null) as Record<string, string>
    }
  }
  async function writeAll(entries: Record<string, string>): Promise<void> {
    await mkdir(path.dirname(file), { recursive: true })
    const temp = `${file}.${process.pid}.tmp`
    await writeFile(temp, JSON.stringify(entries), { mode: 0o600 })
    await rename(temp, file)
  }
  return {
    async load(serverUrl) {
      const cipher = (await readAll())[serverUrl]
      if (!cipher || !encryptor.isAvailable()) return null
      try {
        const parsed: unknown = JSON.parse(encryptor.decrypt(Buffer.from(cipher, 'base64')))
        return isValidStoredCredentials(parsed) ? parsed : null
      } catch {
        return null
      }
    },
    async save(serverUrl, credentials) {
      if (!encryptor.isAvailable()) throw new InsecureStorageError()
      const entries = await readAll()
      entries[serverUrl] = encryptor.encrypt(JSON.stringify(credentials)).toString('base64')
      await writeAll(entries)
    },
    async clear(serverUrl) {
      const entries = await readAll()
      if (!Object.hasOwn(entries, serverUrl)) return
      delete entries[serverUrl]
      await writeAll(entries)
    },
  }
}
