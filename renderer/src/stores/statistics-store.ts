/**
 * Reader statistics for a period of local days (the last 30 by default): what the server
 * computed from the stored reads — every reader for an admin, only themselves for a reader —
 * and the same as a CSV file to save. Online only.
 */
import { create } from 'zustand'
import type { ReaderStatistics } from '../../../shared/reading-case-contract.ts'
import type { ReadingCaseClient } from '../api/reading-case-client.ts'

/** Days of the default period, today included. */
export const DEFAULT_PERIOD_DAYS = 30

export interface StatisticsState {
  /** First day of the period, YYYY-MM-DD in local time (inclusive). */
  from: string
  /** Last day of the period, YYYY-MM-DD in local time (inclusive). */
  to: string
  status: 'idle' | 'loading' | 'ready' | 'error'
  statistics: ReaderStatistics | null
  /** The period cannot be asked for (the first day after the last, or not a date). */
  invalidPeriod: boolean
  error: string | null
  exporting: boolean
  exportError: string | null
  /** Back to the last 30 days, and loads them. */
  open(): Promise<void>
  setPeriod(from: string, to: string): void
  load(): Promise<void>
  /** Fetches the period's CSV and hands it to `save` with a file name naming the period. */
  exportCsv(): Promise<void>
}

export interface StatisticsDeps {
  client(): ReadingCaseClient
  /** Saves a file for the user (a download in the browser, a save dialog in Electron). */
  save(blob: Blob, filename: string): void
  today?: () => Date
}

const pad = (n: number) => String(n).padStart(2, '0')
/** A local date as YYYY-MM-DD. */
export const localDay = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`

/** Local midnight of a YYYY-MM-DD day, `plusDays` later; null when it is not a date. */
function midnight(day: string, plusDays = 0): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day)
  if (!m) return null
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays)
  return Number.isNaN(d.getTime()) ? null : d
}

/**
 * The period as the server's query: from the first day's local midnight to the local midnight
 * after the last day (the server counts `to` as exclusive), so a day is the reader's own day,
 * not a UTC one. Null when the period is not valid.
 */
export function periodQuery(from: string, to: string): { from: string; to: string } | null {
  const start = midnight(from)
  const end = midnight(to, 1)
  if (!start || !end || start >= end) return null
  return { from: start.toISOString(), to: end.toISOString() }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error))

export function createStatisticsStore(deps: StatisticsDeps) {
  const today = deps.today ?? (() => new Date())
  /** Increases with every load: the answer for an earlier period is dropped. */
  let generation = 0
  const defaultPeriod = () => {
    const now = today()
    return { from: localDay(new Date(now.getFullYear(), now.getMonth(), now.getDate() - (DEFAULT_PERIOD_DAYS - 1))), to: localDay(now) }
  }

  return create<StatisticsState>((set, get) => ({
    ...defaultPeriod(),
    status: 'idle',
    statistics: null,
    invalidPeriod: false,
    error: null,
    exporting: false,
    exportError: null,

    async open() {
      set({ ...defaultPeriod(), statistics: null, exportError: null })
      await get().load()
    },

    setPeriod(from, to) {
      set({ from, to, invalidPeriod: periodQuery(from, to) === null })
    },

    async load() {
      const query = periodQuery(get().from, get().to)
      if (!query) {
        set({ invalidPeriod: true })
        return
      }
      const mine = ++generation
      set({ status: 'loading', error: null, invalidPeriod: false })
      try {
        const statistics = await deps.client().statistics(query)
        if (mine === generation) set({ statistics, status: 'ready' })
      } catch (error) {
        if (mine === generation) set({ status: 'error', error: messageOf(error) })
      }
    },

    async exportCsv() {
      const { from, to, exporting } = get()
      const query = periodQuery(from, to)
      if (exporting) return
      if (!query) {
        set({ invalidPeriod: true })
        return
      }
      set({ exporting: true, exportError: null })
      try {
        const blob = await deps.client().statisticsCsv(query)
        deps.save(blob, `reader-statistics-${from}-${to}.csv`)
      } catch (error) {
        set({ exportError: messageOf(error) })
      } finally {
        set({ exporting: false })
      }
    },
  }))
}
