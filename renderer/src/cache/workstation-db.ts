/**
 * The workstation's local database (IndexedDB through Dexie): study, series and instance
 * metadata in their own tables, instance bytes as Blobs in a table of their own (never an
 * indexed field, so listing metadata never touches pixel data).
 */
import { Dexie, type EntityTable } from 'dexie'

export interface CachedStudy {
  studyInstanceUid: string
  /** The reading server the study came from. */
  serverUrl: string
  instanceCount: number
  cachedInstanceCount: number
  cachedBytes: number
  complete: boolean
  updatedAt: number
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
}

export interface InstanceBlob {
  sopInstanceUid: string
  bytes: Blob
}

export type WorkstationDb = Dexie & {
  studies: EntityTable<CachedStudy, 'studyInstanceUid'>
  series: EntityTable<CachedSeries, 'seriesInstanceUid'>
  instances: EntityTable<CachedInstance, 'sopInstanceUid'>
  instanceBlobs: EntityTable<InstanceBlob, 'sopInstanceUid'>
}

export const WORKSTATION_DB_NAME = 'reading-workstation'

/** Opens (or creates) the database; every schema change is a new version below, never an edit. */
export function openWorkstationDb(name: string = WORKSTATION_DB_NAME, backend?: { indexedDB: IDBFactory; IDBKeyRange: typeof IDBKeyRange }): WorkstationDb {
  const db = new Dexie(name, backend) as WorkstationDb
  db.version(1).stores({
    studies: '&studyInstanceUid, updatedAt',
    series: '&seriesInstanceUid, studyInstanceUid',
    instances: '&sopInstanceUid, seriesInstanceUid, studyInstanceUid',
    instanceBlobs: '&sopInstanceUid',
  })
  return db
}
