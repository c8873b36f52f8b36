/** The study open in the viewer: its caching progress, then its series from the local cache. */
import { create } from 'zustand'
import type { Assignment } from '../../../shared/api-contract.ts'
import type { DicomwebClient } from '../api/dicomweb-client.ts'
import { RequestError } from '../api/request-error.ts'
import type { CacheProgress, SeriesWithInstances } from '../repositories/study-repository.ts'

export interface StudyState {
  assignment: Assignment | null
  phase: 'idle' | 'caching' | 'ready' | 'error'
  progress: CacheProgress | null
  series: SeriesWithInstances[]
  error: { kind: 'forbidden' | 'other'; detail: string } | null
  open(assignment: Assignment): Promise<void>
  close(): void
}

export interface StudyDeps {
  getDicomweb: () => { client: DicomwebClient; serverUrl: string } | null
  cacheStudy: (args: {
    client: DicomwebClient
    serverUrl: string
    studyInstanceUid: string
    onProgress: (p: CacheProgress) => void
    signal: AbortSignal
  }) => Promise<SeriesWithInstances[]>
  onSessionExpired: () => void
}

export function createStudyStore({ getDicomweb, cacheStudy, onSessionExpired }: StudyDeps) {
  let current: AbortController | null = null
  return create<StudyState>((set, get) => ({
    assignment: null,
    phase: 'idle',
    progress: null,
    series: [],
    error: null,

    async open(assignment) {
      if (get().assignment?.id === assignment.id && get().phase !== 'error') return
      current?.abort()
      const controller = new AbortController()
      current = controller
      const dicomweb = getDicomweb()
      if (!dicomweb) return
      set({ assignment, phase: 'caching', progress: null, series: [], error: null })
      try {
        const series = await cacheStudy({
          client: dicomweb.client,
          serverUrl: dicomweb.serverUrl,
          studyInstanceUid: assignment.studyInstanceUid,
          signal: controller.signal,
          onProgress: (progress) => {
            if (current === controller) set({ progress })
          },
        })
        if (current === controller) set({ phase: 'ready', series })
      } catch (error) {
        if (current !== controller || controller.signal.aborted) return
        if (error instanceof RequestError && (error.failure === 'token-expired' || error.failure === 'unauthenticated')) {
          onSessionExpired()
          return
        }
        const forbidden = error instanceof RequestError && error.failure === 'forbidden'
        set({ phase: 'error', error: { kind: forbidden ? 'forbidden' : 'other', detail: error instanceof Error ? error.message : String(error) } })
      }
    },

    close() {
      current?.abort()
      current = null
      set({ assignment: null, phase: 'idle', progress: null, series: [], error: null })
    },
  }))
}
