/**
 * Reads cached instances for the viewer on the UI thread; an instance still on its way
 * (the sync worker is downloading it) is waited for, so a study opens while it arrives.
 */
import type { CacheCipher } from './cache-cipher.ts'
import { readInstance } from './instance-store.ts'
import type { WorkstationDb } from './workstation-db.ts'

export interface InstanceReader {
  read(sopInstanceUid: string): Promise<ArrayBuffer>
  /** Tells waiting readers that these instances are now in the cache. */
  arrived(sopInstanceUids: readonly string[]): void
}

export function createInstanceReader(db: WorkstationDb, getCipher: () => Promise<CacheCipher>, waitMs = 10 * 60_000): InstanceReader {
  const waiting = new Map<string, Array<() => void>>()
  return {
    async read(sopInstanceUid) {
      const cipher = await getCipher()
      // wait first, then look: an arrival announced while the first look is under way is not missed
      let resolveArrival: () => void = () => undefined
      const arrival = new Promise<void>((resolve) => (resolveArrival = resolve))
      const list = waiting.get(sopInstanceUid) ?? []
      list.push(resolveArrival)
      waiting.set(sopInstanceUid, list)
      const forget = () => {
        const rest = (waiting.get(sopInstanceUid) ?? []).filter((r) => r !== resolveArrival)
        if (rest.length) waiting.set(sopInstanceUid, rest)
        else waiting.delete(sopInstanceUid)
      }
      try {
        const first = await readInstance(db, cipher, sopInstanceUid)
        if (first) return first
        let timer: ReturnType<typeof setTimeout> | undefined
        await Promise.race([
          arrival,
          new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`instance ${sopInstanceUid} has not arrived in the local cache`)), waitMs))),
        ]).finally(() => clearTimeout(timer))
        const bytes = await readInstance(db, cipher, sopInstanceUid)
        if (!bytes) throw new Error(`instance ${sopInstanceUid} is not in the local cache`)
        return bytes
      } finally {
        forget()
      }
    },
    arrived(uids) {
      for (const uid of uids) {
        const list = waiting.get(uid)
        if (!list) continue
        waiting.delete(uid)
        for (const resolve of list) resolve()
      }
    },
  }
}
