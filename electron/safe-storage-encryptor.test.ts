import { describe, expect, it } from 'vitest'
import { createSafeStorageEncryptor, isSecureStorage } from './safe-storage-encryptor.ts'

type Backend = 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown'

function fakeSafeStorage(available: boolean, backend: Backend) {
  return {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (plain: string) => Buffer.from([...Buffer.from(plain)].map((b) => b ^ 0x33)),
    decryptString: (cipher: Buffer) => Buffer.from([...cipher].map((b) => b ^ 0x33)).toString(),
  }
}

describe('safeStorage encryptor', () => {
  it('refuses the plain-text backend on Linux', () => {
    expect(isSecureStorage(fakeSafeStorage(true, 'basic_text'), 'linux')).toBe(false)
    expect(isSecureStorage(fakeSafeStorage(true, 'unknown'), 'linux')).toBe(false)
    expect(() => createSafeStorageEncryptor(fakeSafeStorage(true, 'basic_text'), 'linux').encrypt('secret')).toThrow(/no secure storage/)
  })

  it('accepts a keyring on Linux and the OS keychain elsewhere', () => {
    expect(isSecureStorage(fakeSafeStorage(true, 'gnome_libsecret'), 'linux')).toBe(true)
    expect(isSecureStorage(fakeSafeStorage(true, 'kwallet6'), 'linux')).toBe(true)
    expect(isSecureStorage(fakeSafeStorage(true, 'unknown'), 'darwin')).toBe(true)
    expect(isSecureStorage(fakeSafeStorage(true, 'unknown'), 'win32')).toBe(true)
  })

  it('refuses when safeStorage has no encryption at all', () => {
    expect(isSecureStorage(fakeSafeStorage(false, 'gnome_libsecret'), 'linux')).toBe(false)
    expect(isSecureStorage(fakeSafeStorage(false, 'unknown'), 'win32')).toBe(false)
  })

  it('round-trips through safeStorage when the backend is secure', () => {
    const encryptor = createSafeStorageEncryptor(fakeSafeStorage(true, 'gnome_libsecret'), 'linux')
    const cipher = encryptor.encrypt('secret')
    expect(cipher.toString()).not.toContain('secret')
    expect(encryptor.decrypt(cipher)).toBe('secret')
  })
})
