/**
 * File writes kept in flight while the next file is computed, at most `limit` at a time, so
 * a 500 MB series streams to disk without the whole of it ever sitting in memory.
 */
import { writeFile } from 'node:fs/promises'

export interface WriteQueue {
  /** Starts writing; waits first if `limit` writes are already in flight. Rejects if an earlier write failed. */
  write(path: string, bytes: Uint8Array): Promise<void>
  /** Waits for every write; rejects with the first failure. */
  drain(): Promise<void>
}

export function createWriteQueue(limit: number): WriteQueue {
  const inFlight = new Set<Promise<void>>()
  let failure: { error: unknown } | undefined

  const throwIfFailed = (): void => {
    if (failure) throw failure.error
  }

  return {
    async write(path, bytes) {
      throwIfFailed()
      while (inFlight.size >= limit) await Promise.race(inFlight)
      throwIfFailed()
      const pending: Promise<void> = writeFile(path, bytes)
        .catch((error: unknown) => {
          failure ??= { error }
        })
        .finally(() => inFlight.delete(pending))
      inFlight.add(pending)
    },
    async drain() {
      await Promise.all(inFlight)
      throwIfFailed()
    },
  }
}
