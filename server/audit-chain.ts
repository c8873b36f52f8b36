/**
 * The operation log's hash chain: each entry's hash is SHA-256 over the previous entry's hash and
 * the entry's canonical JSON, so editing, inserting or deleting any entry breaks every link after
 * it. Pure functions, shared by the writer (audit-log.ts) and the verifier.
 */
import { createHash } from 'node:crypto'

/** The hash "before" the first entry. */
export const GENESIS_HASH = '0'.repeat(64)

/** What the hash covers: every stored field of an entry except its own hash. */
export interface ChainedFields {
  seq: number
  kind: string
  eventId: string
  eventType: string | null
  action: string
  outcome: number
  source: string
  userId: string | null
  username: string | null
  studyInstanceUid: string | null
  assignmentId: string | null
  serverTime: string
  clientTime: string | null
  clientEventId: string | null
  detail: Record<string, unknown>
  prevHash: string
}

/** JSON with object keys sorted at every level and no whitespace, so the same entry always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
}

export function entryHash(fields: ChainedFields): string {
  return createHash('sha256').update(fields.prevHash).update('\n').update(canonicalJson(fields)).digest('hex')
}

function withoutHash(entry: ChainedFields & { hash: string }): ChainedFields {
  const { hash: _hash, ...fields } = entry
  return fields
}

export interface ChainBreak {
  seq: number
  reason: string
}

/**
 * Walks entries in sequence order, carrying the previous hash. Returns the first entry that does
 * not hold: a gap in the sequence (deleted entries), a link to a hash that is not its
 * predecessor's (deleted or reordered), or a stored hash that is not the hash of its fields (edited).
 */
export class ChainVerifier {
  #prevHash = GENESIS_HASH
  #expectedSeq = 1
  checked = 0
  broken: ChainBreak | null = null

  constructor(start?: { seq: number; prevHash: string }) {
    if (start) {
      this.#expectedSeq = start.seq
      this.#prevHash = start.prevHash
    }
  }

  /** Feeds the next entry; false once the chain is broken (later entries are not looked at). */
  add(entry: ChainedFields & { hash: string }): boolean {
    if (this.broken) return false
    this.checked += 1
    if (entry.seq !== this.#expectedSeq) {
      this.broken = { seq: entry.seq, reason: `expected entry ${this.#expectedSeq} next: entries ${this.#expectedSeq}–${entry.seq - 1} are missing` }
    } else if (entry.prevHash !== this.#prevHash) {
      this.broken = { seq: entry.seq, reason: 'its link does not match the previous entry\'s hash (an entry before it was removed or changed)' }
    } else if (entryHash(withoutHash(entry)) !== entry.hash) {
      this.broken = { seq: entry.seq, reason: 'its content does not match its hash (the entry was edited)' }
    }
    if (this.broken) return false
    this.#prevHash = entry.hash
    this.#expectedSeq = entry.seq + 1
    return true
  }

  /** After the last entry: the head record (last seq and hash written) must match where the walk ended. */
  finish(head: { seq: number; hash: string } | null): ChainBreak | null {
    if (this.broken) return this.broken
    if (!head) {
      if (this.checked > 0) this.broken = { seq: 1, reason: 'the chain head record is missing' }
      return this.broken
    }
    const last = this.#expectedSeq - 1
    if (head.seq > last) {
      this.broken = { seq: last + 1, reason: `the log ends at entry ${last} but entry ${head.seq} was written: entries at the end were removed` }
    } else if (head.seq < last) {
      this.broken = { seq: head.seq + 1, reason: `entries after ${head.seq}, the last one the server wrote, were added behind its back` }
    } else if (head.hash !== this.#prevHash) {
      this.broken = { seq: last, reason: 'the last entry is not the one the server wrote' }
    }
    return this.broken
  }
}
