/** What the sync engine tells the UI. */
import type { Assignment } from '../../../shared/api-contract.ts'
import type { StudyProgress } from './prefetch-scheduler.ts'

export interface SyncStatus {
  online: boolean
  /** When the server last answered a worklist poll (ms since epoch), if ever. */
  lastSyncedAt: number | null
  /** Why the server cannot be reached, when it cannot. */
  problem: string | null
}

export interface SyncEvents {
  worklist(assignments: Assignment[], fromCache: boolean): void
  status(status: SyncStatus): void
  progress(studyInstanceUid: string, progress: StudyProgress): void
  instancesCached(sopInstanceUids: readonly string[]): void
  authExpired(): void
  storageFull(message: string): void
  /** The server confirmed a queued report. */
  reportSent(assignmentId: string): void
  /** The server refused a queued report; it is a draft again. */
  reportRejected(assignmentId: string, reason: string): void
}
