/**
 * Figure 5, worklist: a reader with thousands of assignments reloads the workstation; the
 * time from the list's arrival in the renderer (the worklist store set, from the local copy)
 * to its rows painted, from the page's own marks. And the time to apply a filter, once the
 * worklist has one. No peer equivalent.
 */
import type { BrowserContext, Page } from 'playwright-core'
import type { BenchEnvironment } from './bench-environment.ts'
import { WORKLIST_READER } from './bench-environment.ts'
import type { FigureRow } from './results-table.ts'
import { summarise } from './statistics.ts'
import { openWorkstation } from './workstation-page.ts'

const ARRIVED = 'workstation:worklist-arrived'
const PAINTED = 'workstation:worklist-painted'

interface PaintTimes {
  /** Arrival → painted, ms. */
  paintMs: number
  /** Navigation start → painted, ms. */
  fromNavigationMs: number
}

/** The first arrival of at least `count` assignments and the first paint of them after it, once both are marked. */
async function paintTimes(page: Page, count: number): Promise<PaintTimes> {
  const handle = await page.waitForFunction(
    ({ count, arrived, painted }) => {
      const withCount = (name: string) => performance.getEntriesByName(name, 'mark').filter((m) => (((m as PerformanceMark).detail as { count?: number } | null)?.count ?? 0) >= count)
      const arrival = withCount(arrived)[0]
      const paint = arrival && withCount(painted).find((m) => m.startTime >= arrival.startTime)
      return arrival && paint ? { paintMs: paint.startTime - arrival.startTime, fromNavigationMs: paint.startTime } : false
    },
    { count, arrived: ARRIVED, painted: PAINTED },
    { timeout: 120_000, polling: 50 },
  )
  return (await handle.jsonValue()) as PaintTimes
}

export async function measureWorklist(env: BenchEnvironment, context: BrowserContext, assignments: number, runs: number, log: (line: string) => void): Promise<FigureRow[]> {
  const page = await openWorkstation(context, env.server.url, WORKLIST_READER)
  try {
    // the first sync stores the whole list locally; every reload then paints it from there
    const rows = page.getByTestId('worklist-row')
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="worklist-row"]').length >= n, assignments, { timeout: 300_000 })
    const shown = await rows.count()
    const times: PaintTimes[] = []
    for (let run = 0; run < runs; run++) {
      await page.reload()
      times.push(await paintTimes(page, assignments))
    }
    log(`  worklist of ${shown} rows: first paint ${times.map((t) => t.paintMs.toFixed(0)).join(', ')} ms`)
    const paint = summarise(times.map((t) => t.paintMs))
    const filterControl = page.getByTestId('worklist-filter')
    const hasFilter = (await filterControl.count()) > 0
    return [
      {
        id: 'worklist.first-paint',
        figure: `Worklist: first paint of ${shown} assignments (list in the renderer → rows painted)`,
        unit: 'ms',
        ours: paint,
        peer: null,
        ratio: null,
        goal: { text: '≤ 200 ms', met: paint.median <= 200 },
        note: `navigation start → rows painted: median ${summarise(times.map((t) => t.fromNavigationMs)).median.toFixed(0)} ms`,
      },
      {
        id: 'worklist.filter',
        figure: `Worklist: apply a filter to ${shown} assignments`,
        unit: 'ms',
        ours: null,
        peer: null,
        ratio: null,
        goal: { text: '≤ 50 ms', met: false },
        ...(hasFilter ? { unavailable: 'a filter control exists but the bench does not drive it yet' } : { unavailable: 'the worklist has no filter yet (worklist filtering is issue 10)' }),
      },
    ]
  } finally {
    await page.close()
  }
}
