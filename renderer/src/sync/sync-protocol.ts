/** The messages between the UI thread and the sync worker. */
import type { Assignment } from '../../../shared/api-contract.ts'
import type { StudyProgress } from './prefetch-scheduler.ts'
import type { SyncStatus } from './sync-events.ts'

export type SyncCommand =
  | { type: 'start'; serverUrl: string; token: string; cacheKey: string; budgetBytes: number }
  | { type: 'token'; token: string }
  | { type: 'prioritize'; studyInstanceUid: string }
  | { type: 'refresh' }
  | { type: 'send-outbox' }
  | { type: 'stop' }

export type SyncMessage =
  | { type: 'worklist'; assignments: Assignment[]; fromCache: boolean }
  | { type: 'status'; status: SyncStatus }
  | { type: 'progress'; studyInstanceUid: string; progress: StudyProgress }
  | { type: 'instances-cached'; sopInstanceUids: string[] }
  | { type: 'auth-expired' }
  | { type: 'storage-full'; message: string }
  | { type: 'cache-reset' }
  | { type: 'report-sent'; assignmentId: string }
  | { type: 'report-rejected'; assignmentId: string; reason: string }
  | { type: 'failed'; message: string }
