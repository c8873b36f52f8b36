/**
 * What the workstation holds in the browser's IndexedDB, read from inside the page with the
 * browser's own key, independently of the app's code: the studies' counters, the drafts and
 * the outbox decrypted, and every cached instance decrypted and hashed. The crash and disk
 * tests assert on these, not only on what the UI shows.
 */
import type { Page } from '@playwright/test'
import { BROWSER_KEY_STORE } from '../../renderer/src/desktop/browser-cache-key.ts'
import { WORKSTATION_DB_NAME } from '../../renderer/src/cache/workstation-db.ts'

export interface IdbStudy {
  studyInstanceUid: string
  instanceCount: number
  cachedInstanceCount: number
  complete: boolean
  needed?: 0 | 1
}

export interface IdbSnapshot {
  studies: IdbStudy[]
  /** Instance blobs per study. */
  blobsPerStudy: Record<string, number>
  drafts: Array<{ assignmentId: string; studyInstanceUid: string; updatedAt: number; content: { impression: string } | null }>
  outbox: Array<{ idempotencyKey: string; assignmentId: string; state: string; attempts: number; rejection?: string; content: { impression: string } | null }>
  /** Set when `hashStudy` was given: SHA-256 (hex) of each of its cached instances, decrypted. */
  hashes?: Record<string, string>
}

/** Reads (and decrypts) the workstation database from the page. */
export function readWorkstationIdb(page: Page, hashStudy?: string): Promise<IdbSnapshot> {
  return page.evaluate(
    async ({ dbName, keyStore, hashStudy }) => {
      const request = <T,>(r: IDBRequest<T>) =>
        new Promise<T>((resolve, reject) => {
          r.onsuccess = () => resolve(r.result)
          r.onerror = () => reject(r.error)
        })
      const open = (name: string) => request(indexedDB.open(name))
      const all = <T,>(db: IDBDatabase, store: string) => request(db.transaction(store).objectStore(store).getAll()) as Promise<T[]>

      const keyDb = await open(keyStore.database)
      const stored = (await request(keyDb.transaction(keyStore.store).objectStore(keyStore.store).get(keyStore.record))) as { wrappingKey: CryptoKey; iv: Uint8Array; sealed: ArrayBuffer } | undefined
      keyDb.close()
      if (!stored) throw new Error('no cache key stored in this profile')
      const raw = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: stored.iv as BufferSource }, stored.wrappingKey, stored.sealed)
      const key = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['decrypt'])
      const unseal = async (iv: Uint8Array | undefined, blob: Blob) => (iv ? crypto.subtle.decrypt({ name: 'AES-GCM', iv: iv as BufferSource }, key, await blob.arrayBuffer()) : blob.arrayBuffer())
      const unsealJson = async (iv: Uint8Array | undefined, blob: Blob) => {
        try {
          return JSON.parse(new TextDecoder().decode(await unseal(iv, blob))) as { impression: string }
        } catch {
          return null // sealed under another key: the test sees it as unreadable
        }
      }

      const db = await open(dbName)
      const studies = await all<IdbStudy>(db, 'studies')
      const blobIndex = db.transaction('instanceBlobs').objectStore('instanceBlobs').index('studyInstanceUid')
      const blobsPerStudy: Record<string, number> = {}
      for (const s of studies) blobsPerStudy[s.studyInstanceUid] = await request(blobIndex.count(s.studyInstanceUid))
      const draftRecords = await all<{ assignmentId: string; studyInstanceUid: string; updatedAt: number; iv?: Uint8Array; sealed: Blob }>(db, 'reportDrafts')
      const outboxRecords = await all<{ idempotencyKey: string; assignmentId: string; state: string; attempts: number; rejection?: string; iv?: Uint8Array; sealed: Blob }>(db, 'outbox')
      const drafts = await Promise.all(draftRecords.map(async (d) => ({ assignmentId: d.assignmentId, studyInstanceUid: d.studyInstanceUid, updatedAt: d.updatedAt, content: await unsealJson(d.iv, d.sealed) })))
      const outbox = await Promise.all(outboxRecords.map(async (o) => ({ idempotencyKey: o.idempotencyKey, assignmentId: o.assignmentId, state: o.state, attempts: o.attempts, ...(o.rejection ? { rejection: o.rejection } : {}), content: await unsealJson(o.iv, o.sealed) })))
      let hashes: Record<string, string> | undefined
      if (hashStudy) {
        hashes = {}
        const blobs = (await request(db.transaction('instanceBlobs').objectStore('instanceBlobs').index('studyInstanceUid').getAll(hashStudy))) as Array<{ sopInstanceUid: string; iv?: Uint8Array; bytes: Blob }>
        for (const b of blobs) {
          const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await unseal(b.iv, b.bytes)))
          hashes[b.sopInstanceUid] = Array.from(digest, (x) => x.toString(16).padStart(2, '0')).join('')
        }
      }
      db.close()
      return { studies, blobsPerStudy, drafts, outbox, ...(hashes ? { hashes } : {}) }
    },
    { dbName: WORKSTATION_DB_NAME, keyStore: BROWSER_KEY_STORE, hashStudy },
  )
}
