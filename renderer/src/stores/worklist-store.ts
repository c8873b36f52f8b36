/** The reader's assignments as last fetched from the server. */
import { create } from 'zustand'
import type { Assignment } from '../../../shared/api-contract.ts'
import { RequestError } from '../api/request-error.ts'
import type { ReadingServerClient } from '../api/reading-server-client.ts'

export interface WorklistState {
  assignments: Assignment[]
  loading: boolean
  error: string | null
  /** Server time of the last successful load, to count down due times against. */
  serverTimeOffsetMs: number
  load(): Promise<void>
  clear(): void
}

export interface WorklistDeps {
  getClient: () => ReadingServerClient | null
  onSessionExpired: () => void
  now?: () => number
}

export function createWorklistStore({ getClient, onSessionExpired, now = Date.now }: WorklistDeps) {
  return create<WorklistState>((set) => ({
    assignments: [],
    loading: false,
    error: null,
    serverTimeOffsetMs: 0,

    async load() {
      const client = getClient()
      if (!client) return
      set({ loading: true, error: null })
      try {
        const { assignments, serverTime } = await client.worklist()
        set({ assignments, loading: false, serverTimeOffsetMs: Date.parse(serverTime) - now() })
      } catch (error) {
        if (error instanceof RequestError && (error.failure === 'token-expired' || error.failure === 'unauthenticated')) {
          set({ loading: false })
          onSessionExpired()
          return
        }
        set({ loading: false, error: error instanceof Error ? error.message : String(error) })
      }
    },

    clear() {
      set({ assignments: [], error: null, loading: false })
    },
  }))
}
