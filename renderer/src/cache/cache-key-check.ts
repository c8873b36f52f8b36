/**
 * Makes sure the cache was written under the key in use. When the key changed (a reinstalled
 * keystore, a browser profile whose key database was cleared), nothing in the cache can be
 * read any more: its patient data is dropped rather than left behind as unreadable bytes.
 * A restart, even after a crash, keeps the key (electron/cache-key-store.ts,
 * desktop/browser-cache-key.ts), so it keeps the cache too.
 */
import type { CacheCipher } from './cache-cipher.ts'
import type { WorkstationDb } from './workstation-db.ts'

const CHECK_KEY = 'cache-key-check'
const CHECK_TEXT = 'reading-workstation cache key check v1'

/** Returns true when the cache had to be cleared because it was written under another key. */
export async function ensureCacheKey(db: WorkstationDb, cipher: CacheCipher): Promise<boolean> {
  const record = (await db.syncState.get(CHECK_KEY))?.value as { iv?: Uint8Array; data: ArrayBuffer } | undefined
  if (record) {
    try {
      const text = new TextDecoder().decode(await cipher.open(record))
      if (text === CHECK_TEXT) return false
    } catch {
      // another key (or another mode): fall through and clear
    }
  }
  // drafts and the outbox are sealed too, but the reader's unsent words are never thrown away here:
  // they stay (unreadable under this key) until the key that wrote them comes back
  const hadData = (await db.instanceBlobs.count()) > 0
  const sealed = await cipher.seal(new TextEncoder().encode(CHECK_TEXT))
  const data = sealed.data instanceof Uint8Array ? sealed.data.slice().buffer : sealed.data
  await db.transaction('rw', [db.instanceBlobs, db.instances, db.series, db.studies, db.syncState], async () => {
    await Promise.all([db.instanceBlobs.clear(), db.instances.clear(), db.series.clear(), db.studies.clear()])
    await db.syncState.put({ key: CHECK_KEY, value: sealed.iv ? { iv: sealed.iv, data } : { data } })
  })
  return hadData
}
