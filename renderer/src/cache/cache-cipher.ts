/**
 * Encryption at rest for cached instance bytes and drafts: AES-GCM (WebCrypto) with a
 * fresh 96-bit nonce per record, under a key that the desktop keeps in the OS keystore
 * (or, in a browser, wrapped by a non-extractable key in IndexedDB: desktop/browser-cache-key.ts).
 */

export interface SealedBytes {
  /** Absent for the plain cipher. */
  iv?: Uint8Array
  data: ArrayBuffer | Uint8Array
}

export interface CacheCipher {
  readonly encrypted: boolean
  seal(bytes: Uint8Array): Promise<SealedBytes>
  open(sealed: { iv?: Uint8Array | undefined; data: ArrayBuffer }): Promise<ArrayBuffer>
}

export class CacheDecryptError extends Error {
  constructor(what: string) {
    super(`${what} cannot be decrypted with this session's key (the cache was written under another key)`)
    this.name = 'CacheDecryptError'
  }
}

/** A cipher under a raw 256-bit key. */
export async function createAesGcmCipher(rawKey: ArrayBuffer | Uint8Array, subtle: SubtleCrypto = globalThis.crypto.subtle): Promise<CacheCipher> {
  const key = await subtle.importKey('raw', rawKey as BufferSource, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt'])
  return {
    encrypted: true,
    async seal(bytes) {
      const iv = globalThis.crypto.getRandomValues(new Uint8Array(12))
      const data = await subtle.encrypt({ name: 'AES-GCM', iv }, key, bytes as BufferSource)
      return { iv, data }
    },
    async open({ iv, data }) {
      if (!iv) throw new CacheDecryptError('a record stored without encryption')
      try {
        return await subtle.decrypt({ name: 'AES-GCM', iv: iv as BufferSource }, key, data)
      } catch {
        throw new CacheDecryptError('a cached record')
      }
    },
  }
}

/** No encryption: only for tests and for measuring what encryption costs. */
export const plainCipher: CacheCipher = {
  encrypted: false,
  seal: async (bytes) => ({ data: bytes }),
  async open({ iv, data }) {
    if (iv) throw new CacheDecryptError('an encrypted record')
    return data
  },
}

/** A base64 256-bit key as bytes. */
export function rawKeyFromBase64(encoded: string): Uint8Array {
  const binary = atob(encoded)
  if (binary.length !== 32) throw new Error('a cache key must be 256 bits')
  return Uint8Array.from(binary, (c) => c.charCodeAt(0))
}
