/**
 * Tracked changes between two versions of a report (a first reader's report and the checker's
 * amendment, or a reader's correction): text diffed into kept, inserted and deleted runs, and
 * findings added, removed or changed. Pure, so the checker's editor, the first reader's view
 * and the server's record all show the same changes.
 */
import type { ReportContent, ReportFinding } from './finding-master.ts'

export type TextChange = { kind: 'same' | 'insert' | 'delete'; text: string }

/**
 * Words for Latin text, single characters for Japanese (which has no spaces), whitespace and
 * punctuation on their own: a change of one kanji shows as that kanji, not the whole sentence.
 */
function tokens(text: string): string[] {
  return text.match(/[A-Za-z0-9]+|\s+|[\s\S]/gu) ?? []
}

/** Above this many token pairs the middle of a diff is shown as deleted then inserted, not searched. */
const MAX_LCS_CELLS = 4_000_000

function push(out: TextChange[], kind: TextChange['kind'], text: string): void {
  if (!text) return
  const last = out.at(-1)
  if (last?.kind === kind) last.text += text
  else out.push({ kind, text })
}

/** Kept, deleted and inserted runs turning `before` into `after` (a longest-common-subsequence diff). */
export function diffText(before: string, after: string): TextChange[] {
  const a = tokens(before)
  const b = tokens(after)
  let start = 0
  while (start < a.length && start < b.length && a[start] === b[start]) start++
  let endA = a.length
  let endB = b.length
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--
    endB--
  }
  const out: TextChange[] = []
  push(out, 'same', a.slice(0, start).join(''))
  const midA = a.slice(start, endA)
  const midB = b.slice(start, endB)
  if (midA.length * midB.length > MAX_LCS_CELLS) {
    push(out, 'delete', midA.join(''))
    push(out, 'insert', midB.join(''))
  } else {
    // lengths[i][j]: LCS length of midA[i..] and midB[j..], in one flat array
    const w = midB.length + 1
    const lengths = new Uint32Array((midA.length + 1) * w)
    for (let i = midA.length - 1; i >= 0; i--) {
      for (let j = midB.length - 1; j >= 0; j--) {
        lengths[i * w + j] = midA[i] === midB[j] ? lengths[(i + 1) * w + j + 1]! + 1 : Math.max(lengths[(i + 1) * w + j]!, lengths[i * w + j + 1]!)
      }
    }
    let i = 0
    let j = 0
    while (i < midA.length && j < midB.length) {
      if (midA[i] === midB[j]) {
        push(out, 'same', midA[i]!)
        i++
        j++
      } else if (lengths[(i + 1) * w + j]! >= lengths[i * w + j + 1]!) {
        push(out, 'delete', midA[i++]!)
      } else {
        push(out, 'insert', midB[j++]!)
      }
    }
    push(out, 'delete', midA.slice(i).join(''))
    push(out, 'insert', midB.slice(j).join(''))
  }
  push(out, 'same', a.slice(endA).join(''))
  return out
}

export const FINDING_CHANGE_FIELDS = ['judgement', 'laterality', 'location', 'size'] as const
export type FindingChangeField = (typeof FINDING_CHANGE_FIELDS)[number]

export type FindingChange =
  | { kind: 'added'; finding: ReportFinding }
  | { kind: 'removed'; finding: ReportFinding }
  | { kind: 'changed'; before: ReportFinding; after: ReportFinding; fields: FindingChangeField[] }

export interface ReportChanges {
  findings: FindingChange[]
  impression: TextChange[]
  comments: TextChange[]
  overallOverride: { before?: string; after?: string } | undefined
  /** Whether anything at all changed. */
  changed: boolean
}

const findingKey = (f: ReportFinding) => `${f.bodyPartCode}\u0000${f.findingCode}`

/** Findings matched by body part and finding code, in order; unmatched ones are added or removed. */
function diffFindings(before: ReportFinding[], after: ReportFinding[]): FindingChange[] {
  const remaining = new Map<string, ReportFinding[]>()
  for (const f of after) remaining.set(findingKey(f), [...(remaining.get(findingKey(f)) ?? []), f])
  const changes: FindingChange[] = []
  for (const f of before) {
    const partner = remaining.get(findingKey(f))?.shift()
    if (!partner) {
      changes.push({ kind: 'removed', finding: f })
      continue
    }
    const fields = FINDING_CHANGE_FIELDS.filter((field) => (f[field] ?? '') !== (partner[field] ?? ''))
    if (fields.length) changes.push({ kind: 'changed', before: f, after: partner, fields })
  }
  for (const f of after) if (remaining.get(findingKey(f))?.includes(f)) changes.push({ kind: 'added', finding: f })
  return changes
}

export function diffReports(before: ReportContent, after: ReportContent): ReportChanges {
  const findings = diffFindings(before.findings, after.findings)
  const impression = diffText(before.impression, after.impression)
  const comments = diffText(before.comments, after.comments)
  const overrideBefore = before.overallOverride?.judgement
  const overrideAfter = after.overallOverride?.judgement
  const overallOverride = overrideBefore !== overrideAfter ? { before: overrideBefore, after: overrideAfter } : undefined
  const textChanged = (changes: TextChange[]) => changes.some((c) => c.kind !== 'same')
  return {
    findings,
    impression,
    comments,
    overallOverride,
    changed: findings.length > 0 || textChanged(impression) || textChanged(comments) || overallOverride !== undefined,
  }
}
