/**
 * The reader's assignments, as the sync worker last received them (or as cached, when offline),
 * and the filters the worklist is shown with: reading type, the assignment's status, where its
 * reading case stands, and only what waits on another reader.
 */
import { create } from 'zustand'
import type { Assignment } from '../../../shared/api-contract.ts'
import type { AssignmentStatus, ReadingType } from '../../../shared/domain.ts'

/**
 * Where an assignment's reading case stands, as the worklist badge says it: waiting on another
 * reader, at the comparison (比較読影待ち), at the committee, final, waiting for the check,
 * returned (差戻し), approved, or amended by the checker (修正あり).
 */
export const CASE_BADGES = ['waiting', 'comparison', 'committee', 'final', 'check', 'returned', 'approved', 'amended'] as const
export type CaseBadge = (typeof CASE_BADGES)[number]

/** The badge of an assignment's case; null when there is nothing to say beyond "to read". */
export function caseBadge(assignment: Assignment): CaseBadge | null {
  const readingCase = assignment.readingCase
  if (!readingCase) return null
  switch (readingCase.status) {
    case 'comparison':
    case 'committee':
    case 'final':
    case 'check':
    case 'returned':
    case 'approved':
    case 'amended':
      // a single read is final once it is in: the badge adds nothing to "submitted"
      return readingCase.status === 'final' && readingCase.workflow === 'single' ? null : readingCase.status
    case 'first-read':
    case 'second-read':
      return readingCase.waitingOnOthers ? 'waiting' : null
  }
}

export interface WorklistFilters {
  readingType: ReadingType | 'all'
  status: AssignmentStatus | 'all'
  caseBadge: CaseBadge | 'all'
  /** Only assignments whose part is done while the case waits on someone else. */
  waitingOnOthers: boolean
}

export const NO_FILTERS: WorklistFilters = { readingType: 'all', status: 'all', caseBadge: 'all', waitingOnOthers: false }

/** The assignments the filters let through, in their order; the same array when nothing is filtered. */
export function filterAssignments(assignments: Assignment[], filters: WorklistFilters): Assignment[] {
  const { readingType, status, caseBadge: badge, waitingOnOthers } = filters
  if (readingType === 'all' && status === 'all' && badge === 'all' && !waitingOnOthers) return assignments
  return assignments.filter(
    (a) =>
      (readingType === 'all' || a.readingType === readingType) &&
      (status === 'all' || a.status === status) &&
      (badge === 'all' || caseBadge(a) === badge) &&
      (!waitingOnOthers || a.readingCase?.waitingOnOthers === true),
  )
}

export interface WorklistState {
  assignments: Assignment[]
  /** True until the worklist first arrives from the server or the cache. */
  loading: boolean
  /** The list shown came from the local cache, not (yet) from the server. */
  fromCache: boolean
  filters: WorklistFilters
  setAssignments(assignments: Assignment[], fromCache: boolean): void
  setFilters(changes: Partial<WorklistFilters>): void
  clearFilters(): void
  clear(): void
}

export const useWorklistStore = create<WorklistState>((set, get) => ({
  assignments: [],
  loading: true,
  fromCache: false,
  filters: NO_FILTERS,
  setAssignments: (assignments, fromCache) => set({ assignments, fromCache, loading: false }),
  setFilters: (changes) => set({ filters: { ...get().filters, ...changes } }),
  clearFilters: () => set({ filters: NO_FILTERS }),
  // a new session starts unfiltered
  clear: () => set({ assignments: [], loading: true, fromCache: false, filters: NO_FILTERS }),
}))
