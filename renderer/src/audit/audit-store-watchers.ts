/**
 * What the workstation records in the operation log, read from the stores' changes so that no
 * store or component needs audit code: log-in and log-out (session), a study opened and closed
 * with how long it was open (study), each series whose images were viewed, once per opening
 * (study's current image), a report submitted (report), viewer settings changed (coalesced, so
 * dragging a slider is one event). Exports and prints are recorded by the composition root (recordExport).
 */
import type { Assignment, User } from '../../../shared/api-contract.ts'
import { sopInstanceUidOf } from '../viewer/cached-image-id.ts'
import { auditOwner, type WorkstationAudit } from './workstation-audit.ts'

/** The part of a zustand store a watcher needs. */
export interface Watchable<S> {
  getState(): S
  subscribe(listener: (state: S, previous: S) => void): () => void
}

interface SeriesLike {
  series: { seriesInstanceUid: string; studyInstanceUid: string; modality: string }
  instances: ReadonlyArray<{ sopInstanceUid: string }>
}

export interface AuditedStores {
  session: Watchable<{ status: string; user: Pick<User, 'username'> | null; client: { serverUrl: string } | null; problem: { kind: string } | null }>
  study: Watchable<{ assignment: Pick<Assignment, 'id' | 'studyInstanceUid'> | null; currentImageId: string | null; series: readonly SeriesLike[]; priors: ReadonlyArray<{ series: readonly SeriesLike[] }> }>
  report: Watchable<{ status: string; assignment: Pick<Assignment, 'id' | 'studyInstanceUid'> | null }>
  settings: Watchable<{ storageKey: string | null }>
}

/** Settings whose change is recorded; values of the simple ones go into the entry. */
const SETTING_KEYS = ['shortcuts', 'hanging', 'decodedCacheMb', 'overlayVisible', 'cineFps'] as const
export const SETTINGS_COALESCE_MS = 2_000

export interface AuditWatchOptions {
  now?: () => number
  setTimer?: (fn: () => void, ms: number) => unknown
  clearTimer?: (handle: unknown) => void
}

/** Subscribes to the stores; returns the function that unsubscribes. */
export function watchForAudit(audit: WorkstationAudit, stores: AuditedStores, options: AuditWatchOptions = {}): () => void {
  const now = options.now ?? (() => Date.now())
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms))
  const clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>))

  const ownerOf = (state: AuditedStores['session'] extends Watchable<infer S> ? S : never): string | null =>
    state.status === 'logged-in' && state.client && state.user ? auditOwner(state.client.serverUrl, state.user.username) : null
  const currentOwner = () => ownerOf(stores.session.getState())

  /** The open study: whose, since when, which series and images were seen. */
  let open: { owner: string; assignment: Pick<Assignment, 'id' | 'studyInstanceUid'>; openedAt: number; seriesSeen: Set<string>; imagesSeen: Set<string> } | null = null

  const closeStudy = () => {
    if (!open) return
    const { owner, assignment, openedAt, seriesSeen, imagesSeen } = open
    open = null
    void audit.record(owner, 'study-closed', {
      studyInstanceUid: assignment.studyInstanceUid,
      assignmentId: assignment.id,
      detail: { durationMs: Math.max(0, now() - openedAt), seriesViewed: seriesSeen.size, imagesViewed: imagesSeen.size },
    })
  }

  const unsubscribers = [
    stores.session.subscribe((state, previous) => {
      const owner = ownerOf(state)
      const before = ownerOf(previous)
      if (owner === before) return
      if (before) {
        closeStudy()
        void audit.record(before, 'logout', { detail: { reason: state.problem?.kind ?? 'user' } })
      }
      if (owner) void audit.record(owner, 'login')
    }),

    stores.study.subscribe((state, previous) => {
      if (state.assignment?.id !== previous.assignment?.id) {
        closeStudy()
        const owner = currentOwner()
        if (state.assignment && owner) {
          open = { owner, assignment: state.assignment, openedAt: now(), seriesSeen: new Set(), imagesSeen: new Set() }
          void audit.record(owner, 'study-opened', { studyInstanceUid: state.assignment.studyInstanceUid, assignmentId: state.assignment.id })
        }
      }
      if (!open || !state.currentImageId || state.currentImageId === previous.currentImageId) return
      let sop: string
      try {
        sop = sopInstanceUidOf(state.currentImageId)
      } catch {
        return
      }
      open.imagesSeen.add(sop)
      const all = [...state.series, ...state.priors.flatMap((p) => p.series)]
      const series = all.find((s) => s.instances.some((i) => i.sopInstanceUid === sop))?.series
      if (!series || open.seriesSeen.has(series.seriesInstanceUid)) return
      open.seriesSeen.add(series.seriesInstanceUid)
      void audit.record(open.owner, 'images-viewed', {
        studyInstanceUid: series.studyInstanceUid,
        assignmentId: open.assignment.id,
        detail: { seriesInstanceUid: series.seriesInstanceUid, modality: series.modality, prior: series.studyInstanceUid !== open.assignment.studyInstanceUid },
      })
    }),

    stores.report.subscribe((state, previous) => {
      const owner = currentOwner()
      if (state.status !== 'queued' || previous.status !== 'editing' || !state.assignment || !owner) return
      void audit.record(owner, 'report-submitted', { studyInstanceUid: state.assignment.studyInstanceUid, assignmentId: state.assignment.id })
    }),
  ]

  let pendingSettings: { owner: string; changed: Set<string>; timer: unknown } | null = null
  const flushSettings = () => {
    if (!pendingSettings) return
    const { owner, changed } = pendingSettings
    pendingSettings = null
    const state = stores.settings.getState() as unknown as Record<string, unknown>
    const detail: Record<string, string | number | boolean> = { changed: [...changed].sort().join(',') }
    for (const key of changed) {
      const value = state[key]
      if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') detail[key] = value
    }
    void audit.record(owner, 'settings-changed', { detail })
  }
  unsubscribers.push(
    stores.settings.subscribe((state, previous) => {
      // a reader's settings loaded at log-in are not a change
      if (state.storageKey !== previous.storageKey) return
      const owner = currentOwner()
      const now = state as unknown as Record<string, unknown>
      const before = previous as unknown as Record<string, unknown>
      const changed = SETTING_KEYS.filter((k) => now[k] !== before[k])
      if (!owner || changed.length === 0) return
      if (pendingSettings && pendingSettings.owner !== owner) flushSettings()
      if (pendingSettings) clearTimer(pendingSettings.timer)
      const keys = pendingSettings?.changed ?? new Set<string>()
      for (const k of changed) keys.add(k)
      pendingSettings = { owner, changed: keys, timer: setTimer(flushSettings, SETTINGS_COALESCE_MS) }
    }),
  )

  return () => {
    flushSettings()
    for (const unsubscribe of unsubscribers) unsubscribe()
  }
}
