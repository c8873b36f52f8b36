/** What the sync worker last said: online or not, when it last synced, each study's cache progress. */
import { create } from 'zustand'
import type { StudyProgress } from '../sync/prefetch-scheduler.ts'
import type { SyncStatus } from '../sync/sync-events.ts'

export interface SyncState {
  status: SyncStatus
  progress: Record<string, StudyProgress>
  /** A problem the reader must know about (disk full, worker failure), or null. */
  alert: { kind: 'storage-full' | 'failed' | 'cache-reset'; detail: string } | null
  setStatus(status: SyncStatus): void
  setProgress(studyInstanceUid: string, progress: StudyProgress): void
  setAlert(alert: SyncState['alert']): void
  reset(): void
}

const initialStatus: SyncStatus = { online: false, lastSyncedAt: null, problem: null }

export const useSyncStore = create<SyncState>((set) => ({
  status: initialStatus,
  progress: {},
  alert: null,
  setStatus: (status) => set({ status }),
  setProgress: (uid, progress) => set((s) => ({ progress: { ...s.progress, [uid]: progress } })),
  setAlert: (alert) => set({ alert }),
  reset: () => set({ status: initialStatus, progress: {}, alert: null }),
}))
