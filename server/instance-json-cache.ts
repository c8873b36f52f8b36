/**
 * The DICOM JSON of stored instances' headers, kept as text so a study's metadata is not rebuilt
 * from its files (open, read, parse each one) on every request. A stored file never changes
 * without its SHA-256 changing too (a re-import with other bytes), and the hash is part of the
 * key, so an entry is never stale; the least recently used go first when the cache is full.
 */

/** About 13,000 CT instances' headers (some 45 studies of 300 slices). */
export const DEFAULT_INSTANCE_JSON_CACHE_CHARS = 32 * 1024 * 1024

export class InstanceJsonCache {
  /** Least recently used first. */
  readonly #entries = new Map<string, string>()
  readonly #maxChars: number
  #chars = 0

  constructor(maxChars: number = DEFAULT_INSTANCE_JSON_CACHE_CHARS) {
    this.#maxChars = maxChars
  }

  /** The JSON of the instance's header as stored with this SHA-256, if kept. */
  get(sopInstanceUid: string, sha256: string): string | undefined {
    const key = keyOf(sopInstanceUid, sha256)
    const json = this.#entries.get(key)
    if (json !== undefined) {
      this.#entries.delete(key)
      this.#entries.set(key, json)
    }
    return json
  }

  set(sopInstanceUid: string, sha256: string, json: string): void {
    if (json.length > this.#maxChars) return
    const key = keyOf(sopInstanceUid, sha256)
    this.#chars -= this.#entries.get(key)?.length ?? 0
    this.#entries.delete(key)
    this.#entries.set(key, json)
    this.#chars += json.length
    for (const [oldest, dropped] of this.#entries) {
      if (this.#chars <= this.#maxChars) break
      this.#entries.delete(oldest)
      this.#chars -= dropped.length
    }
  }

  /** Characters held (for tests and diagnostics). */
  get size(): number {
    return this.#chars
  }
}

function keyOf(sopInstanceUid: string, sha256: string): string {
  return `${sopInstanceUid}/${sha256}`
}
