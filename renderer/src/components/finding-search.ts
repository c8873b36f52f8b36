/** Type-ahead over the finding master: Japanese names, kana readings, English names and codes. */
import type { Finding, FindingMaster } from '../../../shared/finding-master.ts'

/** Katakana → hiragana, so that a kana query matches either script. */
function toHiragana(text: string): string {
  return text.replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60))
}

const normalise = (text: string) => toHiragana(text.normalize('NFKC').toLowerCase().trim())

/**
 * Findings applicable to the modalities (and the report's scale), best match first: a prefix of a name, reading or
 * code beats a match inside it; an empty query lists them all in master order.
 */
export function searchFindings(master: FindingMaster, modalities: readonly string[], query: string, scale?: string): Finding[] {
  const applicable = master.findings.filter((f) => (modalities.length === 0 || f.modalities.some((m) => modalities.includes(m))) && (scale === undefined || f.scale === scale))
  const q = normalise(query)
  if (!q) return applicable
  const scored: Array<{ finding: Finding; score: number; order: number }> = []
  applicable.forEach((finding, order) => {
    const keys = [finding.name.ja, finding.kana, finding.name.en, finding.code].map(normalise)
    const score = keys.some((k) => k.startsWith(q)) ? 2 : keys.some((k) => k.includes(q)) ? 1 : 0
    if (score > 0) scored.push({ finding, score, order })
  })
  return scored.sort((a, b) => b.score - a.score || a.order - b.order).map((s) => s.finding)
}

/**
 * Fills a template's {{fields}}. A field with no value (undefined, or only spaces) becomes a
 * ［placeholder］ the reader tabs to; a field given as '' is meant to be empty.
 */
export function fillTemplate(template: string, values: Record<string, string | undefined>, placeholderLabels: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, field: string) => {
    const value = values[field]
    if (value === '') return ''
    return value?.trim() || `［${placeholderLabels[field] ?? field}］`
  })
}
