/**
 * The key that encrypts the workstation's study cache, kept in one file under the
 * user-data folder, encrypted by the OS keystore (safeStorage). Without a keystore the key
 * lives only in memory for this run, and the renderer clears the cache at log-out.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { CacheKey } from '../shared/desktop-bridge.ts'
import type { Encryptor } from './credential-store.ts'

export function createCacheKeyStore(file: string, encryptor: Encryptor): () => Promise<CacheKey> {
  let sessionKey: string | null = null
  let pending: Promise<CacheKey> | null = null

  async function load(): Promise<CacheKey> {
    if (!encryptor.isAvailable()) {
      sessionKey ??= randomBytes(32).toString('base64')
      return { key: sessionKey, persistent: false }
    }
    try {
      const key = encryptor.decrypt(await readFile(file))
      if (Buffer.from(key, 'base64').length === 32) return { key, persistent: true }
    } catch {
      // no key yet, or one this keystore cannot open: make a new one (the old cache is unreadable anyway)
    }
    const key = randomBytes(32).toString('base64')
    await mkdir(path.dirname(file), { recursive: true })
    const temp = `${file}.${process.pid}.tmp`
    await writeFile(temp, encryptor.encrypt(key), { mode: 0o600 })
    await rename(temp, file)
    return { key, persistent: true }
  }

  return () => (pending ??= load().catch((error: unknown) => {
    pending = null
    throw error
  }))
}
