/**
 * How hard IndexedDB must try before it calls a write done. The reader's own words (drafts,
 * the outbox) are committed with 'strict' durability: Chromium flushes them to the disk
 * before the transaction completes, so a power cut or an OS crash right after "saved" loses
 * nothing. Everything else (cached instance bytes, metadata, the worklist) can be fetched
 * again, and is written 'relaxed' — handed to the OS without waiting for the flush, which is
 * what keeps a prefetch of thousands of instances fast.
 *
 * Dexie 4 sets durability only for a whole database (`chromeTransactionDurability`), so
 * this middleware chooses it per transaction, by the tables the transaction writes.
 */
import type { ChromeTransactionDurability, DBCore, Middleware } from 'dexie'

/** The durability a transaction over these stores gets. */
export function durabilityFor(stores: readonly string[], mode: 'readonly' | 'readwrite', strictTables: ReadonlySet<string>): ChromeTransactionDurability {
  return mode === 'readwrite' && stores.some((s) => strictTables.has(s)) ? 'strict' : 'relaxed'
}

/** A DBCore middleware giving writes to `strictTables` strict durability, every other transaction relaxed. */
export function durabilityMiddleware(strictTables: readonly string[]): Middleware<DBCore> {
  const strict = new Set(strictTables)
  return {
    stack: 'dbcore',
    name: 'transaction-durability',
    create: (down) => ({
      ...down,
      transaction: (stores, mode, options) => down.transaction(stores, mode, { ...options, durability: durabilityFor(stores, mode, strict) }),
    }),
  }
}
