/**
 * A sync fault as the reader reads it, in the UI language: what went wrong (`sync.fault.<kind>`
 * with the technical detail) and, when the engine tries again by itself, at what time. For the
 * worklist's cache cell, the study header and the status bar, so they all say it the same way.
 */
import type { MessageKey } from '../i18n/messages.ts'
import type { SyncFault } from './sync-fault.ts'

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string

/** The message for `fault`; `formatTime` renders retryAt (default: the locale's time of day). */
export function syncFaultText(t: Translate, fault: SyncFault, formatTime: (ms: number) => string = (ms) => new Date(ms).toLocaleTimeString()): string {
  const what = t(`sync.fault.${fault.kind}`, { detail: fault.detail })
  return fault.retryAt === undefined ? what : `${what} ${t('sync.fault.retryAt', { time: formatTime(fault.retryAt) })}`
}

/** What went wrong with a study's caching, for the worklist cell and the study header: the fault when the engine classed it, else its raw detail. */
export function studyProblemText(t: Translate, progress: { error?: string; fault?: SyncFault | null }): string {
  return progress.fault ? syncFaultText(t, progress.fault) : t('cache.error', { detail: progress.error ?? '' })
}
