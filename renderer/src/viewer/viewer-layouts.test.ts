import { describe, expect, it } from 'vitest'
import { isLayoutId, layoutCellCount, layoutGrid, LAYOUT_IDS, nextLayout, type LayoutId } from './viewer-layouts.ts'

describe('viewer layouts', () => {
  it('names grids rows x columns', () => {
    expect(layoutGrid('1x1')).toEqual({ rows: 1, columns: 1 })
    expect(layoutGrid('1x2')).toEqual({ rows: 1, columns: 2 })
    expect(layoutGrid('2x1')).toEqual({ rows: 2, columns: 1 })
    expect(layoutGrid('2x2')).toEqual({ rows: 2, columns: 2 })
    expect(layoutGrid('1x3')).toEqual({ rows: 1, columns: 3 })
    expect(LAYOUT_IDS.map(layoutCellCount)).toEqual([1, 2, 2, 4, 3])
  })

  it('cycles through every layout and back', () => {
    const seen: LayoutId[] = [LAYOUT_IDS[0]]
    for (let i = 1; i < LAYOUT_IDS.length; i += 1) seen.push(nextLayout(seen[i - 1]!))
    expect(seen).toEqual([...LAYOUT_IDS])
    expect(nextLayout('1x3')).toBe('1x1')
  })

  it('recognises stored layout names only', () => {
    expect(isLayoutId('2x2')).toBe(true)
    expect(isLayoutId('1x4')).toBe(false)
    expect(isLayoutId(undefined)).toBe(false)
  })
})
