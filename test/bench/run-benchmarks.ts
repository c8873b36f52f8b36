/**
 * `npm run bench`: the workstation against the peer path (what OHIF Viewer v3 does:
 * Cornerstone3D's wadors loading from Orthanc, no local cache), in one Chromium, on the same
 * generated studies, figure by figure (one file each), into one table printed and written to
 * bench-results/ as JSON and Markdown. BENCH_SMOKE=1 runs everything once on tiny data (the
 * smoke test of `npm test`). Benchmarks never fail on a goal; they fail only when they cannot
 * measure.
 */
import os from 'node:os'
import type { Page } from 'playwright-core'
import { benchConfig } from './bench-config.ts'
import { BENCH_READER, startBenchEnvironment, WORKLIST_READER } from './bench-environment.ts'
import { installFrameRecorder } from './frame-recorder.ts'
import path from 'node:path'
import { benchDataPaths } from '../../scripts/study-generator/bench-data-set.ts'
import { measureOpenToFirstImage, type OpenTarget } from './open-to-first-image.ts'
import { measurePeakMemory } from './peak-memory.ts'
import type { PeerPageOptions } from './peer-page.ts'
import { measurePrefetchThroughput } from './prefetch-throughput.ts'
import { measureReportSaveLatency } from './report-save-latency.ts'
import { formatTable, writeReport, type BenchReport, type FigureRow } from './results-table.ts'
import { measureScrollRate } from './scroll-rate.ts'
import { waitForImages } from './viewer-checks.ts'
import { seedWorklist } from './worklist-seed.ts'
import { measureWorklist } from './worklist-paint.ts'
import { clickOpen, openMarkTime, openWorkstation, waitUntilCached } from './workstation-page.ts'

const VIEWPORT = { width: 1400, height: 900 }

/** The size of the workstation's viewer grid with a study open: the peer page gets the same. */
async function viewerSize(page: Page, studyInstanceUid: string): Promise<PeerPageOptions> {
  await clickOpen(page, studyInstanceUid)
  await waitForImages(page, [0], (await openMarkTime(page)) ?? 0, 120_000)
  const box = await page.getByTestId('viewport-grid').boundingBox()
  await page.reload()
  if (!box) throw new Error('the workstation shows no viewport grid')
  return { width: box.width, height: box.height }
}

/**
 * One figure's rows; a figure that cannot be measured (a timeout, a black image) becomes a
 * FAILED row with the reason, and the run goes on with the next figure.
 */
async function figure(title: string, id: string, measure: () => Promise<FigureRow[]>, log: (line: string) => void): Promise<FigureRow[]> {
  log(title)
  const started = performance.now()
  try {
    const rows = await measure()
    log(`  (${((performance.now() - started) / 1000).toFixed(0)} s)`)
    return rows
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0]! : String(error)
    log(`  FAILED: ${reason}`)
    return [{ id, figure: title, unit: 'ms', ours: null, peer: null, ratio: null, goal: null, failed: reason }]
  }
}

async function main(): Promise<void> {
  const config = benchConfig()
  const startedAt = new Date().toISOString()
  // other work on the same cores slows every figure: the report says how busy the machine was
  const loadAtStart = os.loadavg()[0]!
  const wallStart = performance.now()
  const log = (line: string) => console.log(line)
  log(`Benchmarks${config.smoke ? ' (smoke run)' : ''}: preparing…`)
  const env = await startBenchEnvironment(config, log)
  const rows: FigureRow[] = []
  try {
    const { studies } = env
    const warmContext = await env.browser.newContext({ viewport: VIEWPORT })
    await installFrameRecorder(warmContext)
    const warm = await openWorkstation(warmContext, env.server.url, BENCH_READER)
    const cachedStudies = [studies.ct, studies.largeCt, studies.mammo, ...(studies.mammoJ2k ? [studies.mammoJ2k] : []), studies.crCurrent]
    const cacheStart = performance.now()
    await waitUntilCached(warm, cachedStudies.map((s) => s.studyInstanceUid))
    log(`every bench study in the workstation's cache (${((performance.now() - cacheStart) / 1000).toFixed(1)} s)`)
    const viewer = await viewerSize(warm, studies.ct.studyInstanceUid)
    const peerContext = await env.browser.newContext({ viewport: VIEWPORT })
    await installFrameRecorder(peerContext)

    const targets: OpenTarget[] = [
      {
        key: 'ct',
        label: `CT ${config.ctSlices} slices`,
        study: studies.ct,
        cells: 1,
        runs: config.openRuns,
        goal: (ours, ratio) => ({ text: '≤ 150 ms and ≥ 5× faster than peer', met: ours.median <= 150 && ratio.median <= 0.2 }),
      },
      { key: 'mammo', label: 'mammogram four-view (uncompressed)', study: studies.mammo, cells: 4, runs: config.mammoRuns, coldRuns: config.mammoColdRuns, goal: (ours) => ({ text: '≤ 1 s', met: ours.median <= 1000 }), allViewsGoal: (ours) => ({ text: '≤ 1 s', met: ours.median <= 1000 }) },
      // JPEG 2000 decoding of four 14-megapixel views takes tens of seconds here: one pair, no cold run
      ...(studies.mammoJ2k ? [{ key: 'mammo-j2k', label: 'mammogram four-view (JPEG 2000)', study: studies.mammoJ2k, cells: 4, runs: 1, coldRuns: 0 }] : []),
      { key: 'cr', label: 'chest CR with prior', study: studies.crCurrent, cells: 2, runs: config.crRuns },
    ]
    rows.push(...(await figure('Figure 1: open → first image', 'open', () => measureOpenToFirstImage(env, warm, peerContext, viewer, targets, log), log)))

    rows.push(
      ...(await figure(
        'Figure 2: scroll',
        'scroll',
        async () => {
          const peerPage = await peerContext.newPage()
          try {
            return await measureScrollRate(env, warm, peerPage, viewer, config.scrollRuns, log)
          } finally {
            await peerPage.close()
          }
        },
        log,
      )),
    )

    rows.push(
      ...(await figure(
        'Figure 3: prefetch throughput',
        'prefetch',
        async () => {
          const prefetchContext = await env.browser.newContext()
          try {
            return await measurePrefetchThroughput(env, await prefetchContext.newPage(), config.prefetchRuns, log)
          } finally {
            await prefetchContext.close()
          }
        },
        log,
      )),
    )

    rows.push(...(await figure('Figure 6: report typing', 'report', () => measureReportSaveLatency(env, warmContext, config.typingRuns, config.typedCharacters, log), log)))

    // each reading gets a renderer process of its own: no other page of the site may be open
    await warm.close()
    rows.push(...(await figure('Figure 4: peak memory', 'memory', () => measurePeakMemory(env, warmContext, peerContext, viewer, log), log)))
    await warmContext.close()
    await peerContext.close()

    rows.push(
      ...(await figure(
        'Figure 5: worklist',
        'worklist',
        async () => {
          const worklistFile = path.join(config.dataDir, benchDataPaths.worklist(config.data.worklistCount), benchDataPaths.worklistFile)
          const seeded = await seedWorklist(env.server, worklistFile, WORKLIST_READER)
          const worklistContext = await env.browser.newContext({ viewport: VIEWPORT })
          try {
            return await measureWorklist(env, worklistContext, seeded, config.worklistRuns, config.worklistBudgetMs, log)
          } finally {
            await worklistContext.close()
          }
        },
        log,
      )),
    )

    const report: BenchReport = {
      title: config.smoke ? 'Benchmarks — smoke run' : 'Benchmarks — workstation vs. the peer path',
      machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GB, headless Chromium (${env.browser.version()}), WebGL2 on SwiftShader (software)`,
      startedAt,
      wallSeconds: (performance.now() - wallStart) / 1000,
      smoke: config.smoke,
      rows,
      notes: [
        `machine load (1-minute load average) ${loadAtStart.toFixed(1)} at the start and ${os.loadavg()[0]!.toFixed(1)} at the end, on ${os.cpus().length} cores${Math.max(loadAtStart, os.loadavg()[0]!) > os.cpus().length ? ': other processes shared the cores during the run, every figure is slower for it' : ''}`,
        `peer: Cornerstone3D 5.14 wadors image loading (as OHIF Viewer v3) from Orthanc ${'1.10'} with its DICOMweb plugin on loopback, reached through a minimal same-origin pass-through proxy (Orthanc sends no CORS headers); responses marked no-store, no local cache; same Chromium, same studies, same viewer size (${Math.round(viewer.width)}×${Math.round(viewer.height)} px), same renderer settings`,
        'ours: the workstation served by the reference reading server, reading from its encrypted (AES-GCM) IndexedDB cache',
        'rendering: Cornerstone3D on WebGL2 (GPU path, checked on every measured viewport) — here WebGL2 is SwiftShader, a software rasteriser on the CPU, so render-bound figures are slower than on a real GPU',
      ],
    }
    const written = await writeReport(config.resultsDir, report)
    console.log(`\n${formatTable(report)}\n\nwritten to ${written.json} and ${written.markdown}`)
  } finally {
    await env.close()
  }
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
  process.exit(1)
})
