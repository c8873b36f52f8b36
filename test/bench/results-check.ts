/**
 * What a benchmark run must have produced, whatever its numbers: every figure of the issue,
 * each with a median, a p95 and a count for ours; the peer's figure and the ratio where the
 * peer has an equivalent, a dash where it has none. A figure that cannot be measured yet must
 * say why. The smoke test of `npm test` holds every run of the harness to this.
 */
import type { BenchReport, FigureRow } from './results-table.ts'
import type { Summary } from './statistics.ts'

/** Every figure a run reports, by id. */
export const REQUIRED_FIGURES = [
  'open.ct.cached',
  'open.ct.cold',
  'open.mammo.cached',
  'open.mammo.cold',
  'open.mammo.all-views',
  'open.cr.cached',
  'open.cr.cold',
  'open.cr.all-views',
  'scroll.first.fps',
  'scroll.first.frame-time',
  'scroll.second.fps',
  'scroll.second.frame-time',
  'prefetch.plain',
  'prefetch.aes',
  'memory.stack',
  'memory.mpr',
  'worklist.first-paint',
  'worklist.filter',
  'report.keystroke-to-saved',
] as const

/** Figures the issue sets a goal for. */
const WITH_GOAL = new Set([
  'open.ct.cached',
  'open.mammo.cached',
  'open.mammo.all-views',
  'scroll.first.fps',
  'scroll.second.fps',
  'prefetch.plain',
  'prefetch.aes',
  'memory.stack',
  'memory.mpr',
  'worklist.first-paint',
  'worklist.filter',
  'report.keystroke-to-saved',
])

/** Figures the peer has an equivalent of (the others must show none). */
const WITH_PEER = /^(open|scroll|memory)\./

const isNumber = (summary: Summary | null): boolean => !!summary && Number.isFinite(summary.median) && Number.isFinite(summary.p95) && summary.n >= 1 && summary.median >= 0

function problemsOf(row: FigureRow): string[] {
  const problems: string[] = []
  if (WITH_GOAL.has(row.id) && !row.goal) problems.push(`${row.id}: no goal`)
  if (row.failed !== undefined) return [...problems, `${row.id}: failed: ${row.failed}`]
  if (row.unavailable !== undefined) return row.unavailable.trim() ? problems : [...problems, `${row.id}: not measured, without a reason`]
  if (!isNumber(row.ours)) problems.push(`${row.id}: no number for ours`)
  if (WITH_PEER.test(row.id)) {
    if (!isNumber(row.peer)) problems.push(`${row.id}: no number for the peer`)
    if (!isNumber(row.ratio)) problems.push(`${row.id}: no ratio ours/peer`)
  } else if (row.peer || row.ratio) {
    problems.push(`${row.id}: the peer has no equivalent, yet a peer figure is given`)
  }
  return problems
}

/** The problems of a report; empty when it is complete. */
export function checkBenchReport(report: BenchReport): string[] {
  const problems: string[] = []
  const ids = new Set(report.rows.map((row) => row.id))
  for (const id of REQUIRED_FIGURES) if (!ids.has(id)) problems.push(`${id}: missing`)
  for (const row of report.rows) problems.push(...problemsOf(row))
  if (!(report.wallSeconds > 0)) problems.push('no wall time')
  return problems
}
