/**
 * SyncEvents that keep what the sync engine told the UI, so a test can wait for a state
 * ("online again", "12 instances cached") instead of sleeping.
 */
import type { Assignment } from '../../shared/api-contract.ts'
import type { StudyProgress } from '../../renderer/src/sync/prefetch-scheduler.ts'
import type { SyncEvents, SyncStatus } from '../../renderer/src/sync/sync-events.ts'

export interface SyncEventRecorder {
  readonly events: SyncEvents
  readonly statuses: readonly SyncStatus[]
  readonly worklists: ReadonlyArray<{ assignments: Assignment[]; fromCache: boolean }>
  /** Every SOP Instance UID reported cached, in order (a repeat would be a second write). */
  readonly cachedSops: readonly string[]
  readonly authExpiredCount: number
  readonly storageFullMessages: readonly string[]
  /** Assignments whose queued report the server confirmed, in order, and those it refused. */
  readonly reportsSent: readonly string[]
  readonly reportsRejected: ReadonlyArray<{ assignmentId: string; reason: string }>
  /** The last progress reported for a study. */
  progressOf(studyInstanceUid: string): StudyProgress | undefined
  /** Resolves once `condition` holds, checked after every event and every 10 ms; fails after `timeoutMs`. */
  until(what: string, condition: () => boolean, timeoutMs?: number): Promise<void>
}

export function recordSyncEvents(): SyncEventRecorder {
  const statuses: SyncStatus[] = []
  const worklists: Array<{ assignments: Assignment[]; fromCache: boolean }> = []
  const cachedSops: string[] = []
  const storageFullMessages: string[] = []
  const reportsSent: string[] = []
  const reportsRejected: Array<{ assignmentId: string; reason: string }> = []
  const progress = new Map<string, StudyProgress>()
  let authExpiredCount = 0
  const waiters = new Set<() => void>()
  const changed = () => {
    for (const check of [...waiters]) check()
  }

  const events: SyncEvents = {
    worklist(assignments, fromCache) {
      worklists.push({ assignments, fromCache })
      changed()
    },
    status(status) {
      statuses.push(status)
      changed()
    },
    progress(uid, p) {
      progress.set(uid, p)
      changed()
    },
    instancesCached(uids) {
      cachedSops.push(...uids)
      changed()
    },
    authExpired() {
      authExpiredCount += 1
      changed()
    },
    storageFull(message) {
      storageFullMessages.push(message)
      changed()
    },
    reportSent(assignmentId) {
      reportsSent.push(assignmentId)
      changed()
    },
    reportRejected(assignmentId, reason) {
      reportsRejected.push({ assignmentId, reason })
      changed()
    },
  }

  const describeState = () =>
    JSON.stringify({
      lastStatus: statuses.at(-1),
      cached: cachedSops.length,
      authExpiredCount,
      progress: Object.fromEntries([...progress].map(([uid, p]) => [uid.slice(-12), `${p.state} ${p.cachedInstances}/${p.totalInstances}`])),
    })

  return {
    events,
    statuses,
    worklists,
    cachedSops,
    storageFullMessages,
    reportsSent,
    reportsRejected,
    get authExpiredCount() {
      return authExpiredCount
    },
    progressOf: (uid) => progress.get(uid),
    until(what, condition, timeoutMs = 15_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!condition()) return
          waiters.delete(check)
          clearInterval(timer)
          resolve()
        }
        const giveUp = Date.now() + timeoutMs
        // also on a timer, for conditions that include state no event announces
        const timer = setInterval(() => {
          if (Date.now() <= giveUp) return check()
          waiters.delete(check)
          clearInterval(timer)
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; engine state: ${describeState()}`))
        }, 10)
        waiters.add(check)
        check()
      })
    },
  }
}
