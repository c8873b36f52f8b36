/** The study open in the viewer: its series as indexed in the local cache. */
import { create } from 'zustand'
import type { Assignment } from '../../../shared/api-contract.ts'
import type { SeriesWithInstances } from '../repositories/study-repository.ts'

export interface StudyState {
  assignment: Assignment | null
  /** 'waiting' until the study's metadata is in the cache (it may still be downloading). */
  phase: 'idle' | 'waiting' | 'ready' | 'error'
  series: SeriesWithInstances[]
  error: string | null
  /** The image on screen, as the viewer last reported it. */
  currentImageId: string | null
  /** An image the reader asked to see (a key image); the viewer scrolls to it. A new object per request. */
  requestedImage: { imageId: string } | null
  showImage(imageId: string): void
  requestImage(imageId: string): void
  open(assignment: Assignment): Promise<void>
  /** Re-reads the series from the cache (the sync worker indexed the study meanwhile). */
  refresh(): Promise<void>
  close(): void
}

export interface StudyDeps {
  listSeries(studyInstanceUid: string): Promise<SeriesWithInstances[]>
  /** Asks the sync worker to fetch this study first. */
  prioritize(studyInstanceUid: string): void
  touch(studyInstanceUid: string): Promise<void>
}

export function createStudyStore(deps: StudyDeps) {
  return create<StudyState>((set, get) => ({
    assignment: null,
    phase: 'idle',
    series: [],
    error: null,
    currentImageId: null,
    requestedImage: null,

    requestImage(imageId) {
      set({ requestedImage: { imageId } })
    },

    showImage(imageId) {
      if (get().currentImageId !== imageId) set({ currentImageId: imageId })
    },

    async open(assignment) {
      deps.prioritize(assignment.studyInstanceUid)
      set({ assignment, phase: 'waiting', series: [], error: null, currentImageId: null })
      await deps.touch(assignment.studyInstanceUid).catch(() => undefined)
      await get().refresh()
    },

    async refresh() {
      const { assignment } = get()
      if (!assignment) return
      try {
        const series = await deps.listSeries(assignment.studyInstanceUid)
        if (get().assignment?.id !== assignment.id) return
        if (series.length > 0) set({ series, phase: 'ready' })
      } catch (error) {
        set({ phase: 'error', error: error instanceof Error ? error.message : String(error) })
      }
    },

    close() {
      set({ assignment: null, phase: 'idle', series: [], error: null, currentImageId: null })
    },
  }))
}
