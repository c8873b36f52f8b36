/** Formatting of times, sizes and DICOM dates for display. */

import type { Language } from './messages.ts'

const DURATION_UNITS: Record<Language, { d: string; h: string; min: string; s: string }> = {
  en: { d: ' d', h: ' h', min: ' min', s: ' s' },
  ja: { d: '日', h: '時間', min: '分', s: '秒' },
}

/** "2 h 05 min" / "2時間05分": a duration a reader can take in at a glance. */
export function formatDuration(ms: number, language: Language = 'en'): string {
  const u = DURATION_UNITS[language]
  const totalSeconds = Math.round(Math.abs(ms) / 1000)
  const hours = Math.floor(totalSeconds / 3600)
  const minutes = Math.floor((totalSeconds % 3600) / 60)
  if (hours >= 24) return `${Math.floor(hours / 24)}${u.d} ${hours % 24}${u.h}`
  if (hours > 0) return `${hours}${u.h} ${String(minutes).padStart(2, '0')}${u.min}`
  if (minutes > 0) return `${minutes}${u.min}`
  return `${totalSeconds}${u.s}`
}

/** Bytes in KB/MB/GB with one decimal. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(1)} ${units[unit]}`
}

/** DICOM DA "YYYYMMDD" as "YYYY-MM-DD"; anything else unchanged. */
export function formatDicomDate(da: string): string {
  return /^\d{8}$/.test(da) ? `${da.slice(0, 4)}-${da.slice(4, 6)}-${da.slice(6, 8)}` : da
}
