/**
 * Integrity fields of RFC 9530 (Content-Digest, Repr-Digest): a structured-field dictionary of
 * algorithm to base64 digest, e.g. `sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:`.
 * The reference reading server sends one on each WADO-RS part; this checks bytes against it.
 */

/** The algorithms this client can check, strongest first, with their WebCrypto names. */
const ALGORITHMS = [
  ['sha-512', 'SHA-512'],
  ['sha-256', 'SHA-256'],
] as const

export type DigestAlgorithm = (typeof ALGORITHMS)[number][0]

export interface ExpectedDigest {
  algorithm: DigestAlgorithm
  bytes: Uint8Array
}

/**
 * The strongest digest this client can check in a Content-Digest or Repr-Digest value, or
 * undefined when it names none (absent, only unknown algorithms, or malformed).
 */
export function parseDigestField(value: string | null | undefined): ExpectedDigest | undefined {
  if (!value) return undefined
  const entries = new Map<string, string>()
  // byte sequences are base64 between colons, which holds no comma: splitting on commas is exact
  for (const member of value.split(',')) {
    const match = /^\s*([a-z][a-z0-9_\-.*]*)\s*=\s*:([A-Za-z0-9+/=]*):\s*(?:;.*)?$/.exec(member)
    if (match) entries.set(match[1] as string, match[2] as string)
  }
  for (const [algorithm] of ALGORITHMS) {
    const encoded = entries.get(algorithm)
    if (encoded === undefined) continue
    try {
      return { algorithm, bytes: Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0)) }
    } catch {
      return undefined // not base64 after all
    }
  }
  return undefined
}

/** Whether `bytes` have the expected digest. */
export async function matchesDigest(bytes: Uint8Array, expected: ExpectedDigest): Promise<boolean> {
  const name = ALGORITHMS.find(([algorithm]) => algorithm === expected.algorithm)?.[1] ?? 'SHA-256'
  const actual = new Uint8Array(await crypto.subtle.digest(name, bytes as Uint8Array<ArrayBuffer>))
  return actual.length === expected.bytes.length && actual.every((b, i) => b === expected.bytes[i])
}

/** The Content-Digest value for `bytes` (SHA-256), as the reference server writes it; for tests and fakes. */
export async function contentDigestOf(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>))
  return `sha-256=:${btoa(String.fromCharCode(...digest))}:`
}
