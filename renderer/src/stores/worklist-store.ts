/** The reader's assignments, as the sync worker last received them (or as cached, when offline). */
import { create } from 'zustand'
import type { Assignment } from '../../../shared/api-contract.ts'

export interface WorklistState {
  assignments: Assignment[]
  /** True until the worklist first arrives from the server or the cache. */
  loading: boolean
  /** The list shown came from the local cache, not (yet) from the server. */
  fromCache: boolean
  setAssignments(assignments: Assignment[], fromCache: boolean): void
  clear(): void
}

export const useWorklistStore = create<WorklistState>((set) => ({
  assignments: [],
  loading: true,
  fromCache: false,
  setAssignments: (assignments, fromCache) => set({ assignments, fromCache, loading: false }),
  clear: () => set({ assignments: [], loading: true, fromCache: false }),
}))
