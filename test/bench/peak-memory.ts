/**
 * Figure 4, memory: the peak resident memory of the renderer process while the 1,000-slice CT
 * is read as a stack (opened, then stepped through: every slice loaded and set in the viewport,
 * the next step not waiting for its frame) and as MPR (three planes, the whole
 * volume loaded), ours and the peer's. Each reading gets a page with no other page of its site
 * open, and every Chromium process is sampled (every 200 ms) while it works: the page's
 * renderer is the one that grew.
 * performance.measureUserAgentSpecificMemory() would be the browser's own figure, but it needs
 * a cross-origin isolated page, which neither the workstation nor the peer page is: the
 * process's RSS is what is reported (the GPU process, where SwiftShader keeps textures, is
 * shown beside it).
 */
import type { BrowserContext, Page } from 'playwright-core'
import type { BenchEnvironment } from './bench-environment.ts'
import { BENCH_READER } from './bench-environment.ts'
import { scrollInPage } from './frame-recorder.ts'
import { clickPeerOpen, loadPeerList, waitPeerReady, type PeerPageOptions } from './peer-page.ts'
import { sampleProcesses } from './renderer-memory.ts'
import type { FigureRow } from './results-table.ts'
import { pairedRatio, summarise } from './statistics.ts'
import { checkShownImage, waitForImages } from './viewer-checks.ts'
import { clickOpen, logIn, openMarkTime, waitUntilCached } from './workstation-page.ts'

const GOAL_MB = 1536

interface Reading {
  peakMb: number
  gpuGrowthMb: number
  isolated: boolean
}

async function read(context: BrowserContext, url: string, work: (page: Page) => Promise<void>): Promise<Reading> {
  const page = await context.newPage()
  try {
    const sampling = sampleProcesses()
    await page.goto(url)
    await work(page)
    const isolated = await page.evaluate(() => globalThis.crossOriginIsolated === true)
    const processes = sampling.stop()
    const renderer = processes.filter((p) => p.type === 'renderer').sort((a, b) => b.growthMb - a.growthMb)[0]
    if (!renderer) throw new Error('no renderer process was sampled')
    const gpu = processes.find((p) => p.type === 'gpu-process')
    return { peakMb: renderer.peakMb, gpuGrowthMb: gpu?.growthMb ?? 0, isolated }
  } finally {
    await page.close()
  }
}

async function oursStack(page: Page, env: BenchEnvironment): Promise<void> {
  const study = env.studies.largeCt
  await logIn(page, BENCH_READER)
  await waitUntilCached(page, [study.studyInstanceUid], 120_000)
  await clickOpen(page, study.studyInstanceUid)
  await waitForImages(page, [0], (await openMarkTime(page)) ?? 0, 180_000)
  const run = await scrollInPage(page, 0, study.files - 1, { until: 'loaded' })
  if (run.frames < study.files - 1) throw new Error(`ours, stack: ${run.frames} of ${study.files - 1} slices shown`)
  await checkShownImage(page, 0, 'ours, stack of the large CT')
}

async function oursMpr(page: Page, env: BenchEnvironment): Promise<void> {
  const study = env.studies.largeCt
  await logIn(page, BENCH_READER)
  await waitUntilCached(page, [study.studyInstanceUid], 120_000)
  await clickOpen(page, study.studyInstanceUid)
  await waitForImages(page, [0], (await openMarkTime(page)) ?? 0, 180_000)
  await page.getByRole('button', { name: 'MPR', exact: true }).click()
  const viewer = page.getByTestId('mpr-viewer')
  await viewer.and(page.locator('[data-state="ready"], [data-state="error"]')).waitFor({ timeout: 600_000 })
  if ((await viewer.getAttribute('data-state')) !== 'ready') throw new Error(`ours, MPR: ${await viewer.textContent()}`)
  await checkPlanes(page, 'ours, MPR')
}

async function checkPlanes(page: Page, what: string): Promise<void> {
  for (const plane of ['axial', 'sagittal', 'coronal']) {
    const viewport = page.locator(`[data-testid="mpr-viewport"][data-orientation="${plane}"]`)
    await viewport.and(page.locator('[data-render-path="gpu"]')).waitFor({ timeout: 60_000 })
  }
  const lit = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLCanvasElement>('[data-testid="mpr-viewport"] canvas')].map((canvas) => {
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height)
      let count = 0
      for (let i = 0; i < data.length; i += 4) if (data[i]! + data[i + 1]! + data[i + 2]! > 48) count++
      return count / (data.length / 4)
    }),
  )
  if (lit.length < 3 || lit.some((fraction) => fraction < 0.001)) throw new Error(`${what}: a plane is black (lit ${lit.map((f) => f.toFixed(4)).join(', ')})`)
}

async function peerStack(page: Page, env: BenchEnvironment, viewer: PeerPageOptions): Promise<void> {
  const study = env.studies.largeCt
  await loadPeerList(page, env.proxy.url, viewer)
  await clickPeerOpen(page, study.studyInstanceUid)
  await waitForImages(page, [0], (await openMarkTime(page)) ?? 0, 180_000)
  const run = await scrollInPage(page, 0, study.files - 1, { until: 'loaded' })
  if (run.frames < study.files - 1) throw new Error(`peer, stack: ${run.frames} of ${study.files - 1} slices shown`)
  await checkShownImage(page, 0, 'peer, stack of the large CT')
}

async function peerMpr(page: Page, env: BenchEnvironment, viewer: PeerPageOptions): Promise<void> {
  await loadPeerList(page, env.proxy.url, { ...viewer, mpr: true })
  await clickPeerOpen(page, env.studies.largeCt.studyInstanceUid)
  await waitPeerReady(page)
  await checkPlanes(page, 'peer, MPR')
}

/**
 * `oursContext` must hold the bench reader's cache and no open page of the workstation;
 * `peerContext` no open page.
 */
export async function measurePeakMemory(env: BenchEnvironment, oursContext: BrowserContext, peerContext: BrowserContext, viewer: PeerPageOptions, log: (line: string) => void): Promise<FigureRow[]> {
  const rows: FigureRow[] = []
  const slices = env.studies.largeCt.files
  const peerUrl = `${env.proxy.url}/bench-wadors-peer.html`
  for (const mode of ['stack', 'mpr'] as const) {
    const ours = await read(oursContext, env.server.url, (page) => (mode === 'stack' ? oursStack(page, env) : oursMpr(page, env)))
    const peer = await read(peerContext, peerUrl, (page) => (mode === 'stack' ? peerStack(page, env, viewer) : peerMpr(page, env, viewer)))
    log(`  memory, ${mode}: ours ${ours.peakMb.toFixed(0)} MB (GPU process +${ours.gpuGrowthMb.toFixed(0)} MB), peer ${peer.peakMb.toFixed(0)} MB (GPU process +${peer.gpuGrowthMb.toFixed(0)} MB)`)
    const oursSummary = summarise([ours.peakMb])
    rows.push({
      id: `memory.${mode}`,
      figure: `Peak renderer memory, CT ${slices} slices ${mode === 'stack' ? 'as a stack, stepped through every slice' : 'as MPR, whole volume loaded'}`,
      unit: 'MB',
      ours: oursSummary,
      peer: summarise([peer.peakMb]),
      ratio: pairedRatio([ours.peakMb], [peer.peakMb]),
      goal: { text: '≤ 1.5 GB', met: oursSummary.median <= GOAL_MB },
      note: `peak RSS of the page's renderer process, sampled every 200 ms (measureUserAgentSpecificMemory needs a cross-origin isolated page; the workstation's is ${ours.isolated ? '' : 'not '}isolated); the GPU process grew by ${ours.gpuGrowthMb.toFixed(0)} MB (ours) and ${peer.gpuGrowthMb.toFixed(0)} MB (peer)`,
    })
  }
  return rows
}
