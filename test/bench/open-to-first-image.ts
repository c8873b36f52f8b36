/**
 * Figure 1, open → first image: from the click on the study's worklist row (the page's own
 * study-open mark, set in the click handler) to the first frame rendered with an image in the
 * first viewport; for a mammogram also to all four views drawn. Ours from the encrypted local
 * cache (cached: the study prefetched, the page reloaded so nothing is in memory; cold: a new
 * browser context, logged in, the study not yet downloaded) and the peer's wadors loading from
 * Orthanc, in runs made in triples (cached, peer, cold; cold only in the first runs of a
 * target when it asks for fewer) whose order rotates.
 */
import type { BrowserContext, Page } from 'playwright-core'
import type { BenchEnvironment, BenchStudy } from './bench-environment.ts'
import { BENCH_READER } from './bench-environment.ts'
import { installFrameRecorder } from './frame-recorder.ts'
import { clickPeerOpen, loadPeerList, type PeerPageOptions } from './peer-page.ts'
import { openFigureRows, type OpenTimes } from './open-figure-rows.ts'
import type { FigureRow } from './results-table.ts'
import type { Summary } from './statistics.ts'
import { checkShownImage, failingOnImageErrors, waitForImages } from './viewer-checks.ts'
import { clickOpen, openMarkTime, openWorkstation, waitUntilCached, worklistRow } from './workstation-page.ts'

export interface OpenTarget {
  /** Key in the row ids, e.g. "ct". */
  key: string
  label: string
  study: BenchStudy
  /** Viewports the study is hung in (1 for a CT, 4 for a four-view, 2 for a chest with its prior). */
  cells: number
  runs: number
  /** Cold opens, in the first runs (default: every run). */
  coldRuns?: number
  /** Judges our cached and all-views figures (medians) and the paired ratio. */
  goal?: (ours: Summary, ratio: Summary) => { text: string; met: boolean }
  allViewsGoal?: (ours: Summary) => { text: string; met: boolean }
}


const IMAGE_TIMEOUT_MS = 180_000

/** Clicks open on a page that shows the worklist (ours or the peer's) and times its images. */
async function timeOpen(page: Page, cells: number, what: string, click: () => Promise<void>, settleMs: number): Promise<OpenTimes> {
  // a reader looks at the list before clicking: whatever the page does once it shows is done
  await page.waitForTimeout(settleMs)
  return failingOnImageErrors(page, () => timeImages(page, cells, what, click))
}

async function timeImages(page: Page, cells: number, what: string, click: () => Promise<void>): Promise<OpenTimes> {
  await click()
  const opened = await openMarkTime(page)
  if (opened === undefined) throw new Error(`${what}: the click left no study-open mark`)
  const wanted = Array.from({ length: cells }, (_, cell) => cell)
  const [first] = await waitForImages(page, [0], opened, IMAGE_TIMEOUT_MS)
  await checkShownImage(page, 0, what)
  const all = cells > 1 ? Math.max(...(await waitForImages(page, wanted, opened, IMAGE_TIMEOUT_MS))) : first!
  return { first: first! - opened, all: all - opened }
}

/** From a freshly loaded page (nothing of the study in memory); leaves the page on its worklist again. */
async function oursCached(page: Page, study: BenchStudy, cells: number, settleMs: number): Promise<OpenTimes> {
  await page.reload()
  await waitUntilCached(page, [study.studyInstanceUid], 60_000)
  const times = await timeOpen(page, cells, 'ours, cached', () => clickOpen(page, study.studyInstanceUid), settleMs)
  await page.reload()
  return times
}

async function oursCold(env: BenchEnvironment, study: BenchStudy, cells: number): Promise<OpenTimes> {
  const context = await env.browser.newContext({ viewport: { width: 1400, height: 900 } })
  try {
    await installFrameRecorder(context)
    const page = await openWorkstation(context, env.server.url, BENCH_READER)
    const state = await worklistRow(page, study.studyInstanceUid).locator('[data-testid="cache-state"]').getAttribute('data-state')
    const times = await timeOpen(page, cells, 'ours, cold', () => clickOpen(page, study.studyInstanceUid), env.config.settleMs)
    return { ...times, wasCached: state === 'complete' }
  } finally {
    await context.close()
  }
}

async function peer(page: Page, env: BenchEnvironment, viewer: PeerPageOptions, study: BenchStudy, cells: number): Promise<OpenTimes> {
  await loadPeerList(page, env.proxy.url, viewer)
  return timeOpen(page, cells, 'peer', () => clickPeerOpen(page, study.studyInstanceUid), env.config.settleMs)
}

/**
 * Measures every target; `warm` is a workstation page (logged in as the bench reader, every
 * study cached), `peerContext` the context the peer page runs in.
 */
export async function measureOpenToFirstImage(env: BenchEnvironment, warm: Page, peerContext: BrowserContext, viewer: PeerPageOptions, targets: readonly OpenTarget[], log: (line: string) => void): Promise<FigureRow[]> {
  const peerPage = await peerContext.newPage()
  const rows: FigureRow[] = []
  try {
    for (const target of targets) {
      try {
        rows.push(...(await measureTarget(env, warm, peerPage, viewer, target, log)))
      } catch (error) {
        const reason = error instanceof Error ? error.message.split('\n')[0]! : String(error)
        log(`  ${target.label}: FAILED: ${reason}`)
        const failed = (id: string, figure: string): FigureRow => ({ id: `open.${target.key}.${id}`, figure: `${figure}, ${target.label}`, unit: 'ms', ours: null, peer: null, ratio: null, goal: null, failed: reason })
        rows.push(failed('cached', 'Open → first image'))
        // the page may be anywhere: back to its worklist for the next target
        await warm.reload().catch(() => undefined)
      }
    }
  } finally {
    await peerPage.close()
  }
  return rows
}

/** The runs of one target, in rotating order; its rows. */
async function measureTarget(env: BenchEnvironment, warm: Page, peerPage: Page, viewer: PeerPageOptions, target: OpenTarget, log: (line: string) => void): Promise<FigureRow[]> {
  const results = { cached: [] as OpenTimes[], peer: [] as OpenTimes[], cold: [] as OpenTimes[] }
  for (let run = 0; run < target.runs; run++) {
    const kinds = run < (target.coldRuns ?? target.runs) ? (['cached', 'peer', 'cold'] as const) : (['cached', 'peer'] as const)
    for (const which of kinds.map((_, i, all) => all[(i + run) % all.length]!)) {
      const times =
        which === 'cached' ? await oursCached(warm, target.study, target.cells, env.config.settleMs) : which === 'peer' ? await peer(peerPage, env, viewer, target.study, target.cells) : await oursCold(env, target.study, target.cells)
      results[which].push(times)
    }
    const cold = results.cold.at(-1)
    log(`  ${target.label} run ${run + 1}/${target.runs}: cached ${results.cached.at(-1)!.first.toFixed(0)} ms, ${cold ? `cold ${cold.first.toFixed(0)} ms, ` : ''}peer ${results.peer.at(-1)!.first.toFixed(0)} ms`)
  }
  return openFigureRows(target, results)
}
