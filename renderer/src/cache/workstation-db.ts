/**
 * The workstation's local database (IndexedDB through Dexie): the worklist, study, series
 * and instance metadata in their own tables, instance bytes as (encrypted) Blobs in a table
 * of their own — never an indexed field, so listing metadata never touches pixel data.
 * Every schema change is a new version below, never an edit of an old one.
 */
import { Dexie, type EntityTable } from 'dexie'
import type { Assignment } from '../../../shared/api-contract.ts'
import type { ImageAttributes } from '../repositories/image-attributes.ts'
import type { AuditQueueRecord } from '../audit/audit-queue-record.ts'
import { durabilityMiddleware } from './transaction-durability.ts'

export interface CachedStudy {
  studyInstanceUid: string
  /** The reading server the study came from. */
  serverUrl: string
  instanceCount: number
  cachedInstanceCount: number
  cachedBytes: number
  complete: boolean
  updatedAt: number
  /** Last time the reader opened it (for least-recently-used eviction). */
  lastOpenedAt?: number
  /** 1 while an assignment of this reader needs it (as current study or prior), else 0. */
  needed?: 0 | 1
  /** When its last assignment was submitted, for the retention period. */
  submittedAt?: number
}

export interface CachedSeries {
  seriesInstanceUid: string
  studyInstanceUid: string
  modality: string
  seriesNumber: number
  description: string
  instanceCount: number
}

export interface CachedInstance {
  sopInstanceUid: string
  seriesInstanceUid: string
  studyInstanceUid: string
  sopClassUid: string
  instanceNumber: number
  /** Position along the slice normal when the geometry is known, else the instance number. */
  sortKey: number
  numberOfFrames: number
  byteLength: number
  /** Absent for instances indexed before version 4: consumers treat absence as "unknown". */
  attributes?: ImageAttributes
}

export interface InstanceBlob {
  sopInstanceUid: string
  studyInstanceUid: string
  /** AES-GCM nonce; absent when the bytes are stored in clear (only in tests and benchmarks). */
  iv?: Uint8Array
  bytes: Blob
}

/** The worklist as last received, so that it can be shown offline. */
export interface CachedAssignment extends Assignment {
  serverUrl: string
}

/** Version 2's draft table, replaced by reportDrafts in version 3 (nothing was ever stored in it). */
export interface DraftRecord {
  studyInstanceUid: string
  updatedAt: number
  iv?: Uint8Array
  content: Blob
}

/** The reader's unsent report for an assignment, sealed like the cache; its study is never evicted. */
export interface ReportDraftRecord {
  assignmentId: string
  studyInstanceUid: string
  updatedAt: number
  iv?: Uint8Array
  /** Sealed JSON of the draft. */
  sealed: Blob
}

/** A submitted report waiting to be (or being) sent; the idempotency key makes resending safe. */
export interface OutboxRecord {
  idempotencyKey: string
  assignmentId: string
  studyInstanceUid: string
  /** 'unreadable': sealed under another key; kept (never deleted) in case that key returns. */
  state: 'pending' | 'sent' | 'rejected' | 'unreadable'
  createdAt: number
  attempts: number
  /** The server's reason, when it refused the report. */
  rejection?: string
  iv?: Uint8Array
  /** Sealed JSON of the report content. */
  sealed: Blob
}

export interface SyncRecord {
  key: string
  value: unknown
}

export type WorkstationDb = Dexie & {
  studies: EntityTable<CachedStudy, 'studyInstanceUid'>
  series: EntityTable<CachedSeries, 'seriesInstanceUid'>
  instances: EntityTable<CachedInstance, 'sopInstanceUid'>
  instanceBlobs: EntityTable<InstanceBlob, 'sopInstanceUid'>
  assignments: EntityTable<CachedAssignment, 'id'>
  reportDrafts: EntityTable<ReportDraftRecord, 'assignmentId'>
  outbox: EntityTable<OutboxRecord, 'idempotencyKey'>
  syncState: EntityTable<SyncRecord, 'key'>
  /** sec-audit: operation-log events not yet acknowledged by the server. */
  auditQueue: EntityTable<AuditQueueRecord, 'id'>
}

export const WORKSTATION_DB_NAME = 'reading-workstation'

/**
 * The tables holding the reader's own work, which exists nowhere else until the server has it:
 * their writes are flushed to the disk before they count as done (transaction-durability.ts).
 */
export const STRICT_DURABILITY_TABLES = ['reportDrafts', 'outbox', 'auditQueue'] as const

export interface IndexedDbBackend {
  indexedDB: IDBFactory
  IDBKeyRange: typeof IDBKeyRange
}

/** Opens (or creates, or upgrades) the database. */
export function openWorkstationDb(name: string = WORKSTATION_DB_NAME, backend?: IndexedDbBackend): WorkstationDb {
  const db = new Dexie(name, { ...backend, chromeTransactionDurability: 'relaxed' }) as WorkstationDb
  db.use(durabilityMiddleware(STRICT_DURABILITY_TABLES))
  db.version(1).stores({
    studies: '&studyInstanceUid, updatedAt',
    series: '&seriesInstanceUid, studyInstanceUid',
    instances: '&sopInstanceUid, seriesInstanceUid, studyInstanceUid',
    instanceBlobs: '&sopInstanceUid',
  })
  db.version(2)
    .stores({
      studies: '&studyInstanceUid, updatedAt, lastOpenedAt, needed',
      instanceBlobs: '&sopInstanceUid, studyInstanceUid',
      assignments: '&id, studyInstanceUid',
      drafts: '&studyInstanceUid',
      syncState: '&key',
    })
    .upgrade(async (tx) => {
      // version 1 stored blobs without their study: look it up so eviction can find them
      const studyOf = new Map<string, string>()
      await tx.table<CachedInstance, string>('instances').each((i) => void studyOf.set(i.sopInstanceUid, i.studyInstanceUid))
      await tx
        .table<InstanceBlob, string>('instanceBlobs')
        .toCollection()
        .modify((blob) => {
          blob.studyInstanceUid = studyOf.get(blob.sopInstanceUid) ?? ''
        })
    })
  db.version(3).stores({
    drafts: null,
    reportDrafts: '&assignmentId, studyInstanceUid',
    outbox: '&idempotencyKey, assignmentId, studyInstanceUid, state',
  })
  db.version(4)
    .stores({})
    .upgrade(async (tx) => {
      // instances now carry their image attributes, which only the study's metadata can give
      // (the cached bytes are sealed): a study no longer counts as complete, so the sync worker
      // plans it again and re-indexes its metadata; its cached bytes are kept, not fetched again
      await tx
        .table<CachedStudy, string>('studies')
        .toCollection()
        .modify((study) => {
          study.complete = false
        })
    })
  // sec-audit: the operation log's queue (renderer/src/audit/audit-queue.ts)
  db.version(5).stores({ auditQueue: '&id, [owner+createdAt]' })
  return db
}
