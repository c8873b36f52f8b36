/**
 * The Encryptor over Electron's safeStorage, refusing the plain-text fallback: on Linux
 * without a keyring safeStorage still "encrypts", with a key built into Chromium
 * (backend 'basic_text'), which protects nothing; that counts as no encryption at all.
 */
import type { SafeStorage } from 'electron'
import type { Encryptor } from './credential-store.ts'

type SafeStorageApi = Pick<SafeStorage, 'isEncryptionAvailable' | 'getSelectedStorageBackend' | 'encryptString' | 'decryptString'>

/** Whether safeStorage on `platform` encrypts with a key the OS guards. */
export function isSecureStorage(safeStorage: SafeStorageApi, platform: NodeJS.Platform): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false
  // getSelectedStorageBackend exists only on Linux; elsewhere the OS keychain is the only backend
  if (platform !== 'linux') return true
  const backend = safeStorage.getSelectedStorageBackend()
  return backend !== 'basic_text' && backend !== 'unknown'
}

export function createSafeStorageEncryptor(safeStorage: SafeStorageApi, platform: NodeJS.Platform = process.platform): Encryptor {
  return {
    isAvailable: () => isSecureStorage(safeStorage, platform),
    encrypt: (plain) => {
      if (!isSecureStorage(safeStorage, platform)) throw new Error('refused: no secure storage backend')
      return safeStorage.encryptString(plain)
    },
    decrypt: (cipher) => safeStorage.decryptString(cipher),
  }
}
