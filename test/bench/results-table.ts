/**
 * The benchmark's one output: rows of figure, ours, peer, ratio, goal and whether it is met,
 * printed as a table and written as JSON and Markdown. Goals are judged on the median.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Summary } from './statistics.ts'

export type Unit = 'ms' | 'fps' | 'MB/s' | 'MB'

export interface FigureRow {
  /** Stable key, e.g. "open.ct.cached". */
  id: string
  figure: string
  unit: Unit
  ours: Summary | null
  /** null where the peer has no equivalent (printed "—"). */
  peer: Summary | null
  /** ours / peer, from runs made in pairs. */
  ratio: Summary | null
  goal: { text: string; met: boolean } | null
  note?: string
  /** Why the figure cannot be measured yet (printed instead of numbers). */
  unavailable?: string
  /** The measurement was attempted and failed: what went wrong (printed instead of numbers). */
  failed?: string
}

export interface BenchReport {
  title: string
  /** Where it ran: cores, renderer, browser. */
  machine: string
  startedAt: string
  wallSeconds: number
  smoke: boolean
  rows: FigureRow[]
  /** Printed under the table: how the peer was reached, which renderer, anything a reader must know. */
  notes: string[]
}

const DASH = '—'

function number(value: number, unit: Unit): string {
  if (!Number.isFinite(value)) return 'n/a'
  const digits = unit === 'ms' || unit === 'MB' ? (Math.abs(value) >= 100 ? 0 : 1) : 1
  return value.toFixed(digits)
}

export function formatSummary(summary: Summary | null, unit: Unit): string {
  if (!summary) return DASH
  return `${number(summary.median, unit)} ${unit} (p95 ${number(summary.p95, unit)}, n=${summary.n})`
}

export function formatRatio(ratio: Summary | null): string {
  if (!ratio) return DASH
  return `${ratio.median.toFixed(2)}× (p95 ${ratio.p95.toFixed(2)})`
}

/** The cells of a row, as both table forms show them. */
export function rowCells(row: FigureRow): [string, string, string, string, string, string] {
  if (row.failed) return [row.figure, `FAILED: ${row.failed}`, DASH, DASH, row.goal?.text ?? DASH, 'not measured']
  if (row.unavailable) return [row.figure, `not measured: ${row.unavailable}`, DASH, DASH, row.goal?.text ?? DASH, 'not measured']
  return [row.figure, formatSummary(row.ours, row.unit), formatSummary(row.peer, row.unit), formatRatio(row.ratio), row.goal?.text ?? DASH, row.goal ? (row.goal.met ? 'met' : 'NOT MET') : DASH]
}

const HEADER = ['figure', 'ours', 'peer', 'ratio ours/peer', 'goal', 'met'] as const

/** Fixed-width text for the terminal. */
export function formatTable(report: BenchReport): string {
  const rows = [HEADER as readonly string[], ...report.rows.map(rowCells)]
  const widths = HEADER.map((_, column) => Math.max(...rows.map((cells) => cells[column]!.length)))
  const line = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()
  const rule = widths.map((w) => '-'.repeat(w)).join('  ')
  const notes = report.rows.filter((row) => row.note).map((row) => `- ${row.figure}: ${row.note}`)
  return [
    `${report.title}`,
    `${report.machine}; ${report.startedAt}; ${report.wallSeconds.toFixed(0)} s${report.smoke ? ' (SMOKE RUN: tiny data, one run each — not a measurement)' : ''}`,
    '',
    line(rows[0]!),
    rule,
    ...rows.slice(1).map(line),
    '',
    ...report.notes.map((note) => `* ${note}`),
    ...notes,
  ].join('\n')
}

const escapeCell = (text: string) => text.replaceAll('|', '\\|')

export function toMarkdown(report: BenchReport): string {
  const table = [
    `| ${HEADER.join(' | ')} |`,
    `|${HEADER.map(() => '---').join('|')}|`,
    ...report.rows.map((row) => `| ${rowCells(row).map(escapeCell).join(' | ')} |`),
  ]
  const notes = report.rows.filter((row) => row.note).map((row) => `- ${row.figure}: ${row.note}`)
  return [
    `### ${report.title}`,
    '',
    `${report.machine}. Run ${report.startedAt}, ${report.wallSeconds.toFixed(0)} s wall time${report.smoke ? ' (smoke run: tiny data, one run each — not a measurement)' : ''}. Median with p95 and the number of runs; goals judged on the median.`,
    '',
    ...table,
    '',
    ...report.notes.map((note) => `- ${note}`),
    ...notes,
    '',
  ].join('\n')
}

/** Writes results.json and results.md into `dir`; returns their paths. */
export async function writeReport(dir: string, report: BenchReport): Promise<{ json: string; markdown: string }> {
  await mkdir(dir, { recursive: true })
  const json = path.join(dir, 'results.json')
  const markdown = path.join(dir, 'results.md')
  await writeFile(json, `${JSON.stringify(report, null, 2)}\n`)
  await writeFile(markdown, toMarkdown(report))
  return { json, markdown }
}
