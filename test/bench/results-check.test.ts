import { describe, expect, it } from 'vitest'
import { checkBenchReport, REQUIRED_FIGURES } from './results-check.ts'
import type { BenchReport, FigureRow } from './results-table.ts'

const stat = { median: 10, p95: 12, n: 3 }

function completeReport(): BenchReport {
  const rows: FigureRow[] = REQUIRED_FIGURES.map((id) => {
    const withPeer = /^(open|scroll|memory)\./.test(id)
    return { id, figure: id, unit: 'ms', ours: stat, peer: withPeer ? stat : null, ratio: withPeer ? { median: 1, p95: 1, n: 3 } : null, goal: { text: '≤ 1', met: false } }
  })
  return { title: 't', machine: 'm', startedAt: 's', wallSeconds: 60, smoke: true, rows, notes: [] }
}

describe('checkBenchReport', () => {
  it('accepts a report with every figure, numbers for ours, the peer and the ratio where the peer has an equivalent', () => {
    expect(checkBenchReport(completeReport())).toEqual([])
  })

  it('names a missing figure, a missing number, a peer figure where there is none, and a missing goal', () => {
    const report = completeReport()
    report.rows = report.rows.filter((row) => row.id !== 'memory.mpr')
    report.rows.find((row) => row.id === 'open.ct.cached')!.ours = { median: NaN, p95: NaN, n: 0 }
    report.rows.find((row) => row.id === 'scroll.first.fps')!.ratio = null
    report.rows.find((row) => row.id === 'prefetch.aes')!.peer = stat
    report.rows.find((row) => row.id === 'report.keystroke-to-saved')!.goal = null
    expect(checkBenchReport(report)).toEqual([
      'memory.mpr: missing',
      'open.ct.cached: no number for ours',
      'scroll.first.fps: no ratio ours/peer',
      'prefetch.aes: the peer has no equivalent, yet a peer figure is given',
      'report.keystroke-to-saved: no goal',
    ])
  })

  it('holds a failed measurement against the run', () => {
    const report = completeReport()
    Object.assign(report.rows.find((row) => row.id === 'open.cr.cold')!, { ours: null, failed: 'timed out' })
    expect(checkBenchReport(report)).toEqual(['open.cr.cold: failed: timed out'])
  })

  it('accepts a figure that cannot be measured yet only with its reason', () => {
    const report = completeReport()
    const filter = report.rows.find((row) => row.id === 'worklist.filter')!
    Object.assign(filter, { ours: null, unavailable: 'no filter yet' })
    expect(checkBenchReport(report)).toEqual([])
    filter.unavailable = ' '
    expect(checkBenchReport(report)).toEqual(['worklist.filter: not measured, without a reason'])
  })
})
