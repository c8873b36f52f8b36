import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { formatTable, rowCells, toMarkdown, writeReport, type BenchReport, type FigureRow } from './results-table.ts'

const open: FigureRow = {
  id: 'open.ct.cached',
  figure: 'Open → first image, CT 500, cached',
  unit: 'ms',
  ours: { median: 142.4, p95: 181.2, n: 7 },
  peer: { median: 2310, p95: 2600, n: 7 },
  ratio: { median: 0.0617, p95: 0.08, n: 7 },
  goal: { text: '≤ 150 ms and ≥ 5× faster', met: true },
}
const prefetch: FigureRow = { id: 'prefetch.plain', figure: 'Prefetch | plain', unit: 'MB/s', ours: { median: 81.23, p95: 90, n: 3 }, peer: null, ratio: null, goal: { text: '≥ 100 MB/s', met: false }, note: 'IndexedDB writes' }
const missing: FigureRow = { id: 'worklist.filter', figure: 'Worklist filter', unit: 'ms', ours: null, peer: null, ratio: null, goal: { text: '≤ 50 ms', met: false }, unavailable: 'the worklist has no filter' }
const report: BenchReport = { title: 'Benchmarks', machine: '2 cores, SwiftShader', startedAt: '2026-11-22T01:00:00Z', wallSeconds: 601.4, smoke: false, rows: [open, prefetch, missing], notes: ['peer through a proxy'] }

describe('results table', () => {
  it('shows median, p95 and n, the paired ratio, a dash where the peer has no equivalent, and whether the goal is met', () => {
    expect(rowCells(open)).toEqual(['Open → first image, CT 500, cached', '142 ms (p95 181, n=7)', '2310 ms (p95 2600, n=7)', '0.06× (p95 0.08)', '≤ 150 ms and ≥ 5× faster', 'met'])
    expect(rowCells(prefetch)).toEqual(['Prefetch | plain', '81.2 MB/s (p95 90.0, n=3)', '—', '—', '≥ 100 MB/s', 'NOT MET'])
    expect(rowCells(missing)[1]).toBe('not measured: the worklist has no filter')
    expect(rowCells(missing)[5]).toBe('not measured')
    expect(rowCells({ ...missing, unavailable: undefined, failed: 'the image never came' })[1]).toBe('FAILED: the image never came')
  })

  it('aligns the terminal table and lists the notes', () => {
    const text = formatTable(report)
    const lines = text.split('\n')
    const header = lines.find((l) => l.startsWith('figure'))!
    const row = lines.find((l) => l.startsWith('Open'))!
    expect(row.indexOf('142 ms')).toBe(header.indexOf('ours'))
    expect(text).toContain('* peer through a proxy')
    expect(text).toContain('- Prefetch | plain: IndexedDB writes')
  })

  it('writes Markdown with escaped pipes and the same report as JSON', async () => {
    const markdown = toMarkdown(report)
    expect(markdown).toContain('| Prefetch \\| plain | 81.2 MB/s (p95 90.0, n=3) | — | — | ≥ 100 MB/s | NOT MET |')
    const dir = await mkdtemp(path.join(tmpdir(), 'bench-results-'))
    try {
      const written = await writeReport(dir, report)
      expect(JSON.parse(await readFile(written.json, 'utf8'))).toEqual(report)
      expect(await readFile(written.markdown, 'utf8')).toBe(markdown)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
