/** What the sync engine tells the UI. */
import type { Assignment } from '../../../shared/api-contract.ts'
import type { StudyProgress } from './prefetch-scheduler.ts'
import type { SyncFault } from './sync-fault.ts'

export interface SyncStatus {
  online: boolean
  /** When the server last answered a worklist poll (ms since epoch), if ever. */
  lastSyncedAt: number | null
  /** Why the server cannot be reached, when it cannot. */
  problem: string | null
  /**
   * The same, as a kind the UI can say in Japanese and English (`sync.fault.<kind>`), with when
   * the engine tries again; also 'session-expired' while paused for a new login. Null or absent: none.
   */
  fault?: SyncFault | null
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
