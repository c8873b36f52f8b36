/**
 * Cached instance bytes: sealed (encrypted) and written in batches, one transaction per
 * batch together with the study's counters, and read back for the viewer.
 */
import type { CacheCipher } from './cache-cipher.ts'
import { isQuotaError, StorageFullError } from './storage-full-error.ts'
import type { CachedInstance, InstanceBlob, WorkstationDb } from './workstation-db.ts'

export interface ArrivedInstance {
  instance: CachedInstance
  bytes: Uint8Array
}

/**
 * Seals and writes a batch of downloaded instances and adds them to their studies'
 * counters, all in one transaction. A quota failure becomes StorageFullError and leaves
 * the database as it was.
 */
export async function storeInstances(db: WorkstationDb, cipher: CacheCipher, batch: readonly ArrivedInstance[]): Promise<void> {
  if (batch.length === 0) return
  const records: InstanceBlob[] = await Promise.all(
    batch.map(async ({ instance, bytes }) => {
      const sealed = await cipher.seal(bytes)
      const record: InstanceBlob = {
        sopInstanceUid: instance.sopInstanceUid,
        studyInstanceUid: instance.studyInstanceUid,
        bytes: new Blob([sealed.data as ArrayBuffer], { type: 'application/octet-stream' }),
      }
      if (sealed.iv) record.iv = sealed.iv
      return record
    }),
  )
  const perStudy = new Map<string, { count: number; bytes: number }>()
  for (const { instance, bytes } of batch) {
    const entry = perStudy.get(instance.studyInstanceUid) ?? { count: 0, bytes: 0 }
    entry.count += 1
    entry.bytes += bytes.byteLength
    perStudy.set(instance.studyInstanceUid, entry)
  }
  try {
    await db.transaction('rw', [db.instanceBlobs, db.instances, db.studies], async () => {
      // a study evicted while its instances were on their way: nothing may be left of it
      const kept = new Set((await db.studies.bulkGet([...perStudy.keys()])).flatMap((s) => (s ? [s.studyInstanceUid] : [])))
      await db.instanceBlobs.bulkPut(records.filter((r) => kept.has(r.studyInstanceUid)))
      await db.instances.bulkUpdate(
        batch
          .filter(({ instance }) => kept.has(instance.studyInstanceUid))
          .map(({ instance, bytes }) => ({ key: instance.sopInstanceUid, changes: { byteLength: bytes.byteLength } })),
      )
      for (const [studyInstanceUid, added] of perStudy) {
        const study = await db.studies.get(studyInstanceUid)
        if (!study) continue
        const cachedInstanceCount = Math.min(study.instanceCount, study.cachedInstanceCount + added.count)
        await db.studies.update(studyInstanceUid, {
          cachedInstanceCount,
          cachedBytes: study.cachedBytes + added.bytes,
          complete: cachedInstanceCount >= study.instanceCount,
          updatedAt: Date.now(),
        })
      }
    })
  } catch (error) {
    if (isQuotaError(error)) throw new StorageFullError(error instanceof Error ? error.message : String(error))
    throw error
  }
}

/** The Part-10 bytes of a cached instance, or undefined when it is not (yet) in the cache. */
export async function readInstance(db: WorkstationDb, cipher: CacheCipher, sopInstanceUid: string): Promise<ArrayBuffer | undefined> {
  const record = await db.instanceBlobs.get(sopInstanceUid)
  if (!record) return undefined
  return cipher.open({ iv: record.iv, data: await record.bytes.arrayBuffer() })
}
