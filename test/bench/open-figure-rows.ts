/** The rows of figure 1 for one study, from its runs: cached, cold and all views against the peer. */
import type { FigureRow } from './results-table.ts'
import { pairedRatio, summarise, type Summary } from './statistics.ts'

export interface OpenTimes {
  /** Click → first image in the first viewport, ms. */
  first: number
  /** Click → every viewport drawn, ms. */
  all: number
  /** A cold open whose study the background prefetch had finished before the click (tiny studies). */
  wasCached?: boolean
}

export interface OpenRuns {
  cached: OpenTimes[]
  peer: OpenTimes[]
  /** Made in the first runs only: cold[i] was made beside peer[i]. */
  cold: OpenTimes[]
}

export interface OpenFigureTarget {
  key: string
  label: string
  cells: number
  goal?: (ours: Summary, ratio: Summary) => { text: string; met: boolean }
  allViewsGoal?: (ours: Summary) => { text: string; met: boolean }
}

export function openFigureRows(target: OpenFigureTarget, results: OpenRuns): FigureRow[] {
  const first = (which: keyof OpenRuns) => results[which].map((t) => t.first)
  const all = (which: keyof OpenRuns) => results[which].map((t) => t.all)
  const peerFirst = summarise(first('peer'))
  const cachedRatio = pairedRatio(first('cached'), first('peer'))
  const cached = summarise(first('cached'))
  const rows: FigureRow[] = [
    {
      id: `open.${target.key}.cached`,
      figure: `Open → first image, ${target.label}, cached`,
      unit: 'ms',
      ours: cached,
      peer: peerFirst,
      ratio: cachedRatio,
      goal: target.goal?.(cached, cachedRatio) ?? null,
    },
  ]
  if (results.cold.length) {
    const alreadyCached = results.cold.filter((t) => t.wasCached).length
    rows.push({
      id: `open.${target.key}.cold`,
      figure: `Open → first image, ${target.label}, cold (not yet cached)`,
      unit: 'ms',
      ours: summarise(first('cold')),
      peer: peerFirst,
      // cold runs are the first runs: each pairs with the peer run of its own triple
      ratio: pairedRatio(first('cold'), first('peer').slice(0, results.cold.length)),
      goal: null,
      ...(alreadyCached ? { note: `${alreadyCached} of ${results.cold.length} cold runs found the study already cached when the worklist appeared` } : {}),
    })
  }
  if (target.cells > 1) {
    const allCached = summarise(all('cached'))
    rows.push({
      id: `open.${target.key}.all-views`,
      figure: `Open → all ${target.cells} views drawn, ${target.label}, cached`,
      unit: 'ms',
      ours: allCached,
      peer: summarise(all('peer')),
      ratio: pairedRatio(all('cached'), all('peer')),
      goal: target.allViewsGoal?.(allCached) ?? null,
    })
  }
  return rows
}
