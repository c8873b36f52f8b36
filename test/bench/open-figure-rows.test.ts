import { describe, expect, it } from 'vitest'
import { openFigureRows } from './open-figure-rows.ts'

const times = (...values: number[]) => values.map((first) => ({ first, all: first * 2 }))

describe('openFigureRows', () => {
  it('pairs cached and peer run by run, and cold runs with the peer runs of their own triples', () => {
    const rows = openFigureRows(
      { key: 'mammo', label: 'four-view', cells: 4, goal: (ours) => ({ text: '≤ 1 s', met: ours.median <= 1000 }) },
      { cached: times(500, 700), peer: times(1000, 7000), cold: times(2000) },
    )
    expect(rows.map((r) => r.id)).toEqual(['open.mammo.cached', 'open.mammo.cold', 'open.mammo.all-views'])
    expect(rows[0]!.ratio).toEqual({ median: expect.closeTo(0.3, 9), p95: 0.5, n: 2 })
    expect(rows[0]!.goal).toEqual({ text: '≤ 1 s', met: true })
    // the one cold run beside the first peer run, not the mean of the peer's
    expect(rows[1]!.ratio).toEqual({ median: 2, p95: 2, n: 1 })
    expect(rows[2]!.ours).toEqual({ median: 1200, p95: 1400, n: 2 })
  })

  it('leaves out the cold row when no cold run was made, and the all-views row for one viewport', () => {
    const rows = openFigureRows({ key: 'ct', label: 'CT', cells: 1 }, { cached: times(100), peer: times(400), cold: [] })
    expect(rows.map((r) => r.id)).toEqual(['open.ct.cached'])
    expect(rows[0]!.goal).toBeNull()
  })

  it('notes cold runs that found the study cached already', () => {
    const rows = openFigureRows({ key: 'ct', label: 'CT', cells: 1 }, { cached: times(100), peer: times(400), cold: [{ first: 90, all: 90, wasCached: true }] })
    expect(rows[1]!.note).toMatch(/1 of 1 cold runs/)
  })
})
