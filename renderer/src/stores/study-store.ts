/** The study open in the viewer, and its priors: their series as indexed in the local cache. */
import { create } from 'zustand'
import type { Assignment } from '../../../shared/api-contract.ts'
import type { SeriesWithInstances } from '../repositories/study-repository.ts'

/** A prior study of the open one, with what the cache holds of it (nothing yet while it downloads). */
export interface OpenPrior {
  studyInstanceUid: string
  studyDate: string
  modalities: string[]
  studyDescription: string
  series: SeriesWithInstances[]
}

export interface StudyState {
  assignment: Assignment | null
  /** 'waiting' until the study's metadata is in the cache (it may still be downloading). */
  phase: 'idle' | 'waiting' | 'ready' | 'error'
  series: SeriesWithInstances[]
  /** The assignment's priors, most recent first, as far as the cache knows them. */
  priors: OpenPrior[]
  error: string | null
  /** The image on screen, as the viewer last reported it. */
  currentImageId: string | null
  /** An image the reader asked to see (a key image); the viewer scrolls to it. A new object per request. */
  requestedImage: { imageId: string } | null
  showImage(imageId: string): void
  requestImage(imageId: string): void
  open(assignment: Assignment): Promise<void>
  /** Re-reads the series of the study and its priors from the cache (the sync worker indexed them meanwhile). */
  refresh(): Promise<void>
  /** Whether a study is the open one or one of its priors (so its cache progress matters to the viewer). */
  concerns(studyInstanceUid: string): boolean
  close(): void
}

export interface StudyDeps {
  listSeries(studyInstanceUid: string): Promise<SeriesWithInstances[]>
  /** Asks the sync worker to fetch this study first. */
  prioritize(studyInstanceUid: string): void
  touch(studyInstanceUid: string): Promise<void>
  /** Frees what the viewer holds of a study that was closed (decoded images). */
  released?(): void
}

/** The state with no study open (fresh arrays each time: they are the store's own). */
function closedState(): Pick<StudyState, 'assignment' | 'phase' | 'series' | 'priors' | 'error' | 'currentImageId' | 'requestedImage'> {
  return { assignment: null, phase: 'idle', series: [], priors: [], error: null, currentImageId: null, requestedImage: null }
}

export function createStudyStore(deps: StudyDeps) {
  return create<StudyState>((set, get) => ({
    ...closedState(),

    requestImage(imageId) {
      set({ requestedImage: { imageId } })
    },

    showImage(imageId) {
      if (get().currentImageId !== imageId) set({ currentImageId: imageId })
    },

    async open(assignment) {
      deps.prioritize(assignment.studyInstanceUid)
      set({ ...closedState(), assignment, phase: 'waiting' })
      await deps.touch(assignment.studyInstanceUid).catch(() => undefined)
      await get().refresh()
    },

    async refresh() {
      const { assignment } = get()
      if (!assignment) return
      try {
        const [series, ...priorSeries] = await Promise.all([
          deps.listSeries(assignment.studyInstanceUid),
          // a prior not yet indexed is simply empty; it fills in when the sync worker gets to it
          ...assignment.priors.map((p) => deps.listSeries(p.studyInstanceUid).catch(() => [])),
        ])
        if (get().assignment?.id !== assignment.id) return
        const priors = assignment.priors.map((p, i) => ({
          studyInstanceUid: p.studyInstanceUid,
          studyDate: p.studyDate,
          modalities: p.modalities,
          studyDescription: p.studyDescription,
          series: priorSeries[i] ?? [],
        }))
        if (series.length > 0) set({ series, priors, phase: 'ready' })
        else set({ priors })
      } catch (error) {
        set({ phase: 'error', error: error instanceof Error ? error.message : String(error) })
      }
    },

    concerns(studyInstanceUid) {
      const { assignment } = get()
      return !!assignment && (assignment.studyInstanceUid === studyInstanceUid || assignment.priors.some((p) => p.studyInstanceUid === studyInstanceUid))
    },

    close() {
      set(closedState())
      deps.released?.()
    },
  }))
}
