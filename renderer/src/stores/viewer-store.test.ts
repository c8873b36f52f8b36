import { describe, expect, it } from 'vitest'
import type { HangingPlan } from '../viewer/hanging-protocol.ts'
import { createViewerStore } from './viewer-store.ts'

const cell = (series: string, role: 'current' | 'prior' = 'current') => ({ studyInstanceUid: role === 'current' ? 'st-now' : 'st-old', seriesInstanceUid: series, role })
const plan: HangingPlan = {
  protocolId: 'mammo-four-view',
  pages: [
    { layout: '2x2', viewports: [cell('rcc'), cell('lcc'), cell('rmlo'), { empty: true, role: 'current', label: 'LMLO' }] },
    { layout: '2x2', viewports: [cell('p-rcc', 'prior'), cell('p-lcc', 'prior')] },
  ],
  synchronise: { scroll: false, voi: false, zoom: false },
  flicker: false,
}

describe('viewer store', () => {
  it('hangs the first page of a plan and pages through the rest', () => {
    const store = createViewerStore()
    store.getState().applyPlan(plan)
    expect(store.getState().layout).toBe('2x2')
    expect(store.getState().cells.map((c) => (c && 'seriesInstanceUid' in c ? c.seriesInstanceUid : c && 'empty' in c ? `empty:${c.label}` : null))).toEqual(['rcc', 'lcc', 'rmlo', 'empty:LMLO'])
    expect(store.getState().synchronise).toBe(false)
    store.getState().nextPage()
    expect(store.getState().page).toBe(1)
    expect(store.getState().cells.slice(2)).toEqual([null, null])
    store.getState().nextPage()
    expect(store.getState().page).toBe(0)
  })

  it('keeps what is shown when the layout grows, and the first cells when it shrinks', () => {
    const store = createViewerStore()
    store.getState().applyPlan({ ...plan, pages: [{ layout: '1x2', viewports: [cell('a'), cell('b')] }], synchronise: { scroll: true, voi: true, zoom: true } })
    expect(store.getState().synchronise).toBe(true)
    store.getState().activate(1)
    store.getState().setLayout('2x2')
    expect(store.getState().cells).toHaveLength(4)
    expect(store.getState().cells[1]).toEqual(cell('b'))
    store.getState().setLayout('1x1')
    expect(store.getState().cells).toEqual([cell('a')])
    expect(store.getState().activeCell).toBe(0)
  })

  it('cycles layouts, viewports and modes', () => {
    const store = createViewerStore()
    store.getState().applyPlan({ ...plan, pages: [{ layout: '1x2', viewports: [cell('a'), cell('b')] }] })
    store.getState().nextLayout()
    expect(store.getState().layout).toBe('2x1')
    store.getState().nextCell()
    expect(store.getState().activeCell).toBe(1)
    store.getState().nextCell()
    expect(store.getState().activeCell).toBe(0)
    store.getState().toggleMode('flicker')
    expect(store.getState().mode).toBe('flicker')
    store.getState().toggleMode('flicker')
    expect(store.getState().mode).toBe('grid')
  })

  it('shows a chosen series in the active cell or the one it was dropped on, leaving MPR', () => {
    const store = createViewerStore()
    store.getState().applyPlan({ ...plan, pages: [{ layout: '1x2', viewports: [cell('a'), cell('b')] }] })
    store.getState().toggleMode('mpr')
    store.getState().assign(cell('c'))
    expect(store.getState().cells[0]).toEqual(cell('c'))
    expect(store.getState().mode).toBe('grid')
    store.getState().assign(cell('d'), 1)
    expect(store.getState().cells[1]).toEqual(cell('d'))
    expect(store.getState().activeCell).toBe(1)
    store.getState().assign(cell('e'), 7)
    expect(store.getState().cells.map((c) => (c && 'seriesInstanceUid' in c ? c.seriesInstanceUid : null))).toEqual(['c', 'd'])
  })
})
