/**
 * The workstation's cache database in Node (fake-indexeddb, a fresh one per call) under a fixed
 * test key, and an independent reading of what it holds: every record decrypted and hashed,
 * and the study counters checked against the records.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { createAesGcmCipher, type CacheCipher } from '../../renderer/src/cache/cache-cipher.ts'
import { readInstance } from '../../renderer/src/cache/instance-store.ts'
import { openWorkstationDb, type CachedStudy, type WorkstationDb } from '../../renderer/src/cache/workstation-db.ts'
import { sha256 } from './source-instance.ts'

let opened = 0

/** A new, empty database of its own. */
export function openTestWorkstationDb(): WorkstationDb {
  return openWorkstationDb(`offline-cache-test-${++opened}`, { indexedDB: new IDBFactory(), IDBKeyRange })
}

export function createTestCipher(): Promise<CacheCipher> {
  return createAesGcmCipher(new Uint8Array(32).fill(7))
}

export interface CacheContents {
  studies: Map<string, CachedStudy>
  /** SHA-256 of each cached instance's decrypted bytes, by SOP Instance UID. */
  hashes: Map<string, string>
  /** What is wrong in the cache: records that do not decrypt, counters that disagree with the records. */
  problems: string[]
}

/** Reads and checks everything in the cache. */
export async function readCacheContents(db: WorkstationDb, cipher: CacheCipher): Promise<CacheContents> {
  const [studyList, blobs, instances] = await Promise.all([db.studies.toArray(), db.instanceBlobs.toArray(), db.instances.toArray()])
  const studies = new Map(studyList.map((s) => [s.studyInstanceUid, s]))
  const instanceRecords = new Map(instances.map((i) => [i.sopInstanceUid, i]))
  const hashes = new Map<string, string>()
  const problems: string[] = []
  const perStudy = new Map<string, { count: number; bytes: number }>()

  for (const blob of blobs) {
    const sop = blob.sopInstanceUid
    let bytes: ArrayBuffer | undefined
    try {
      bytes = await readInstance(db, cipher, sop)
    } catch (error) {
      problems.push(`${sop}: ${error instanceof Error ? error.message : String(error)}`)
      continue
    }
    if (!bytes) continue
    hashes.set(sop, sha256(new Uint8Array(bytes)))
    if (!studies.has(blob.studyInstanceUid)) problems.push(`${sop}: cached bytes of study ${blob.studyInstanceUid}, which the cache does not list`)
    const record = instanceRecords.get(sop)
    if (!record) problems.push(`${sop}: cached bytes without an instance record`)
    else if (record.byteLength !== bytes.byteLength) problems.push(`${sop}: instance record says ${record.byteLength} bytes, the cache holds ${bytes.byteLength}`)
    const entry = perStudy.get(blob.studyInstanceUid) ?? { count: 0, bytes: 0 }
    entry.count += 1
    entry.bytes += bytes.byteLength
    perStudy.set(blob.studyInstanceUid, entry)
  }

  for (const study of studyList) {
    const held = perStudy.get(study.studyInstanceUid) ?? { count: 0, bytes: 0 }
    const uid = study.studyInstanceUid
    if (study.cachedInstanceCount !== held.count) problems.push(`study ${uid}: counts ${study.cachedInstanceCount} cached instances, the cache holds ${held.count}`)
    if (study.cachedBytes !== held.bytes) problems.push(`study ${uid}: counts ${study.cachedBytes} cached bytes, the cache holds ${held.bytes}`)
    if (study.complete !== (held.count === study.instanceCount)) {
      problems.push(`study ${uid}: complete is ${study.complete} with ${held.count} of ${study.instanceCount} instances cached`)
    }
  }
  return { studies, hashes, problems }
}

/** The same cipher on a slow machine: every seal takes `delayMs` longer, so writes take a while. */
export function withSlowSeal(cipher: CacheCipher, delayMs: number): CacheCipher {
  return {
    encrypted: cipher.encrypted,
    open: (sealed) => cipher.open(sealed),
    async seal(bytes) {
      await new Promise((resolve) => setTimeout(resolve, delayMs))
      return cipher.seal(bytes)
    },
  }
}
