/** How a due time reads in the worklist: time left or overdue, and how urgent it looks. */
import { formatDuration } from '../i18n/format.ts'
import type { Language } from '../i18n/messages.ts'

export interface DueTimeView {
  text: { key: 'due.overdue' | 'due.left'; time: string }
  tone: 'overdue' | 'soon' | 'normal'
}

const ONE_HOUR = 3_600_000

export function dueTimeView(dueAt: string, nowMs: number, language: Language = 'en'): DueTimeView {
  const left = Date.parse(dueAt) - nowMs
  if (left < 0) return { text: { key: 'due.overdue', time: formatDuration(left, language) }, tone: 'overdue' }
  return { text: { key: 'due.left', time: formatDuration(left, language) }, tone: left <= ONE_HOUR ? 'soon' : 'normal' }
}
