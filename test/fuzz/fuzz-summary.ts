/**
 * The fuzz run in numbers (cases, outcomes, refusals by reason code, times, memory) and the
 * cases that failed, written out as regression files when asked to.
 */
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { FuzzRun } from './fuzz-runner.ts'
import type { CaseReport } from './fuzz-worker.ts'

const MB = 1024 ** 2

export const isFailure = (r: CaseReport) => r.outcome === 'failure' || r.totalMs > r.limitMs

function tally<T>(items: readonly T[], key: (item: T) => string | undefined): Array<[string, number]> {
  const counts = new Map<string, number>()
  for (const item of items) {
    const k = key(item)
    if (k !== undefined) counts.set(k, (counts.get(k) ?? 0) + 1)
  }
  return [...counts].sort((a, b) => b[1] - a[1])
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0
}

export function summarize(run: FuzzRun, seed: number): string {
  const r = run.reports
  const lines: string[] = []
  const line = (text = '') => lines.push(text)
  line(`DICOM fuzz run: ${r.length + run.failures.length} cases (seed ${seed}) from ${run.baselines.length} corpus files`)
  line(`  outcomes: ${tally(r, (x) => x.outcome).map(([k, n]) => `${k} ${n}`).join(', ')}${run.failures.length ? `, hung/died/uncaught ${run.failures.length}` : ''}`)
  line(`  accepted (decoded or non-image): ${r.filter((x) => x.outcome === 'decoded' || x.outcome === 'non-image').length}; rejected by the check or the reader: ${r.filter((x) => x.outcome === 'rejected').length}; decode errors (typed): ${r.filter((x) => x.outcome === 'decode-error').length}`)
  line('  rejected by reason:')
  for (const [code, n] of tally(r.filter((x) => x.outcome === 'rejected'), (x) => x.code)) line(`    ${code.padEnd(30)} ${n}`)
  const decodeErrors = r.filter((x) => x.outcome === 'decode-error')
  if (decodeErrors.length) {
    line('  decode errors by reason (what the decoder threw before the guard typed it):')
    for (const [code, n] of tally(decodeErrors, (x) => `${x.code} (${x.thrown})`)) line(`    ${code.padEnd(30)} ${n}`)
  }
  line('  by mutation (cases: decoded / non-image / rejected / decode error):')
  for (const [kind] of tally(r, (x) => x.mutation)) {
    const of = r.filter((x) => x.mutation === kind)
    const n = (o: string) => of.filter((x) => x.outcome === o).length
    line(`    ${kind.padEnd(18)} ${String(of.length).padStart(5)}: ${n('decoded')} / ${n('non-image')} / ${n('rejected')} / ${n('decode-error')}`)
  }
  const total = r.map((x) => x.totalMs)
  const slowest = [...r].sort((a, b) => b.totalMs - a.totalMs)[0]
  line(`  time per case: median ${percentile(total, 50).toFixed(1)} ms, p99 ${percentile(total, 99).toFixed(1)} ms, max ${Math.max(0, ...total).toFixed(1)} ms${slowest ? ` (${slowest.source}, ${slowest.mutation}, seed ${slowest.seed}: parse ${slowest.parseMs.toFixed(0)} ms, decode ${slowest.decodeMs.toFixed(0)} ms, limit ${slowest.limitMs} ms)` : ''}`)
  line(`  max parse time ${Math.max(0, ...r.map((x) => x.parseMs)).toFixed(1)} ms; cases over 1 s: ${r.filter((x) => x.totalMs > 1000).length} (over their limit: ${r.filter((x) => x.totalMs > x.limitMs).length}; timed again after a first run over the limit: ${r.filter((x) => x.retimed).length})`)
  const loaded = r.filter((x) => (x.loadFactor ?? 1) > 1.05)
  if (loaded.length) line(`  limits scaled for load from other processes (the machine probed slower than its fastest): ${loaded.length} case(s), factors ${loaded.map((x) => (x.loadFactor ?? 1).toFixed(1)).join(', ')}`)
  const raised = run.baselines.filter((b) => b.cleanMs * 2.5 > 1000)
  if (raised.length) line(`  limit above 1 s for: ${raised.map((b) => `${b.name} (clean decode ${b.cleanMs.toFixed(0)} ms)`).join(', ')}`)
  const memory = r.map((x) => x.memoryBytes)
  const hungriest = [...r].sort((a, b) => b.memoryBytes - a.memoryBytes).slice(0, 3)
  line(`  most memory: ${hungriest.map((x) => `${(x.memoryBytes / MB).toFixed(0)} MB (${x.source}, ${x.mutation}, seed ${x.seed}, ${x.code ? `${x.outcome}:${x.code}` : x.outcome})`).join('; ')}`)
  line(`  memory: largest growth during one case ${(Math.max(0, ...memory) / MB).toFixed(1)} MB; retained after the run ${((run.memoryAfter - run.memoryBefore) / MB).toFixed(1)} MB (${(run.memoryBefore / MB).toFixed(1)} → ${(run.memoryAfter / MB).toFixed(1)} MB after GC)`)
  const failed = r.filter(isFailure)
  if (failed.length || run.failures.length) {
    line('  FAILURES:')
    for (const f of failed) line(`    case ${f.index} seed ${f.seed} ${f.source} ${f.mutation} (${f.description}): ${f.outcome} ${f.totalMs.toFixed(0)} ms / ${f.limitMs} ms ${f.detail ?? ''}`)
    for (const f of run.failures) line(`    case ${f.index} seed ${f.seed}: ${f.detail}`)
  }
  return lines.join('\n')
}

/**
 * Writes each failed case as test/fixtures/fuzz-regressions/<name>.dcm and adds it to the
 * index (README.md lists the index's columns), so that it is tested on every run from then on.
 */
export function saveRegressions(dir: string, run: FuzzRun): string[] {
  mkdirSync(dir, { recursive: true })
  const index = path.join(dir, 'regressions.tsv')
  if (!existsSync(index)) writeFileSync(index, 'file\tsource\tmutation\tseed\tfound\texpected\n')
  const written: string[] = []
  for (const report of run.reports.filter(isFailure)) {
    if (!report.bytes) continue
    const name = `${path.basename(report.source)}-${report.mutation}-${report.seed}.dcm`
    writeFileSync(path.join(dir, name), report.bytes)
    appendFileSync(index, `${name}\t${report.source}\t${report.description}\t${report.seed}\t${report.outcome} in ${report.totalMs.toFixed(0)} ms: ${(report.detail ?? '').replace(/\s+/g, ' ').slice(0, 200)}\t?\n`)
    written.push(name)
  }
  return written
}
