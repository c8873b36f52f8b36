/** Counts, rates, reading times and moments as the UI language writes them (reader statistics, report versions). */
import type { Language } from './messages.ts'

const LOCALES: Record<Language, string> = { ja: 'ja-JP', en: 'en-US' }

/** "1,234" in either language: thousands grouped the way the locale groups them. */
export function formatCount(value: number, language: Language): string {
  return new Intl.NumberFormat(LOCALES[language], { maximumFractionDigits: 0 }).format(value)
}

/** A rate (0–1) as a percentage with one decimal, "—" when there is nothing to divide by. */
export function formatRate(rate: number | null, language: Language): string {
  if (rate === null) return '—'
  return new Intl.NumberFormat(LOCALES[language], { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(rate)
}

const TIME_UNITS: Record<Language, { h: string; min: string; s: string; sep: string }> = {
  ja: { h: '時間', min: '分', s: '秒', sep: '' },
  en: { h: ' h', min: ' min', s: ' s', sep: ' ' },
}

/**
 * A reading time to the second ("4分30秒", "4 min 30 s"): a median of a few minutes loses
 * its meaning rounded to the minute, as the worklist's durations are. "—" when unknown.
 */
export function formatReadingTime(seconds: number | null, language: Language): string {
  if (seconds === null) return '—'
  const u = TIME_UNITS[language]
  const total = Math.round(seconds)
  const h = Math.floor(total / 3600)
  const min = Math.floor((total % 3600) / 60)
  const s = total % 60
  const parts = [h > 0 ? `${h}${u.h}` : '', h > 0 || min > 0 ? `${min}${u.min}` : '', `${s}${u.s}`].filter(Boolean)
  return parts.join(u.sep)
}

/** A moment to the minute in the language's order ("2026/11/02 10:05", "11/02/2026, 10:05 AM"). */
export function formatDateTime(iso: string, language: Language): string {
  return new Date(iso).toLocaleString(LOCALES[language], { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
}
