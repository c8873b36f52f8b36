/**
 * Figure 2, scroll: stepping through every slice of the CT once it is shown, ours from the
 * local cache and the peer from Orthanc (with Cornerstone's stack prefetch running, as in
 * OHIF), then a second pass through what both now hold decoded in memory. The stepping runs
 * inside the page: the next step as soon as the previous slice is rendered; frames are
 * counted from Cornerstone's rendered-frame events, not from requests. Pairs of runs
 * alternate which side goes first. Both must render on the GPU path.
 */
import type { Page } from 'playwright-core'
import type { BenchEnvironment, BenchStudy } from './bench-environment.ts'
import { goToFirstSlice, scrollInPage, type ScrollRun } from './frame-recorder.ts'
import { clickPeerOpen, loadPeerList, type PeerPageOptions } from './peer-page.ts'
import type { FigureRow } from './results-table.ts'
import { pairedRatio, summarise } from './statistics.ts'
import { checkShownImage, waitForImages } from './viewer-checks.ts'
import { clickOpen, openMarkTime, waitUntilCached } from './workstation-page.ts'

interface Passes {
  first: ScrollRun
  second: ScrollRun
}

const fps = (run: ScrollRun) => (run.frames / run.elapsedMs) * 1000

async function scrollTwice(page: Page, slices: number, what: string): Promise<Passes> {
  const opened = await openMarkTime(page)
  await waitForImages(page, [0], opened ?? 0, 180_000)
  await checkShownImage(page, 0, what)
  const first = await scrollInPage(page, 0, slices - 1)
  await goToFirstSlice(page, 0)
  const second = await scrollInPage(page, 0, slices - 1)
  // the last slice is an image too, drawn on the GPU path
  await checkShownImage(page, 0, `${what}, after scrolling`)
  if (first.frames < slices - 1 || second.frames < slices - 1) throw new Error(`${what}: only ${first.frames} and ${second.frames} of ${slices - 1} steps showed a new slice`)
  return { first, second }
}

async function ours(page: Page, study: BenchStudy): Promise<Passes> {
  await page.reload()
  await waitUntilCached(page, [study.studyInstanceUid], 60_000)
  await clickOpen(page, study.studyInstanceUid)
  const passes = await scrollTwice(page, study.files, 'ours')
  await page.reload()
  return passes
}

async function peer(page: Page, env: BenchEnvironment, viewer: PeerPageOptions, study: BenchStudy): Promise<Passes> {
  await loadPeerList(page, env.proxy.url, viewer)
  await clickPeerOpen(page, study.studyInstanceUid)
  return scrollTwice(page, study.files, 'peer')
}

export async function measureScrollRate(env: BenchEnvironment, warm: Page, peerPage: Page, viewer: PeerPageOptions, runs: number, log: (line: string) => void): Promise<FigureRow[]> {
  const study = env.studies.ct
  const results = { ours: [] as Passes[], peer: [] as Passes[] }
  for (let run = 0; run < runs; run++) {
    for (const side of run % 2 ? (['peer', 'ours'] as const) : (['ours', 'peer'] as const)) {
      results[side].push(side === 'ours' ? await ours(warm, study) : await peer(peerPage, env, viewer, study))
    }
    const last = (side: 'ours' | 'peer') => results[side].at(-1)!
    log(`  scroll run ${run + 1}/${runs}: ours ${fps(last('ours').first).toFixed(1)} / ${fps(last('ours').second).toFixed(1)} fps, peer ${fps(last('peer').first).toFixed(1)} / ${fps(last('peer').second).toFixed(1)} fps (first / second pass)`)
  }
  const rows: FigureRow[] = []
  const gpu = 'GPU path (WebGL2 on SwiftShader) checked on both sides'
  for (const pass of ['first', 'second'] as const) {
    const label = pass === 'first' ? 'first pass (ours from the local cache, peer from Orthanc)' : 'second pass (decoded images in memory on both sides)'
    const oursFps = results.ours.map((r) => fps(r[pass]))
    const peerFps = results.peer.map((r) => fps(r[pass]))
    const fpsRatio = pairedRatio(oursFps, peerFps)
    rows.push({
      id: `scroll.${pass}.fps`,
      figure: `Scroll ${study.files} CT slices, ${label}`,
      unit: 'fps',
      ours: summarise(oursFps),
      peer: summarise(peerFps),
      ratio: fpsRatio,
      goal: { text: 'not slower than peer', met: fpsRatio.median >= 1 },
      note: gpu,
    })
    const p95 = (side: 'ours' | 'peer') => results[side].map((r) => summarise(r[pass].frameTimesMs).p95)
    const oursFrames = results.ours.flatMap((r) => r[pass].frameTimesMs)
    const peerFrames = results.peer.flatMap((r) => r[pass].frameTimesMs)
    const frameRatio = pairedRatio(p95('ours'), p95('peer'))
    rows.push({
      id: `scroll.${pass}.frame-time`,
      figure: `Scroll frame time, ${label} (all frames of all runs)`,
      unit: 'ms',
      ours: summarise(oursFrames),
      peer: summarise(peerFrames),
      ratio: frameRatio,
      goal: { text: 'p95 not longer than peer', met: frameRatio.median <= 1 },
    })
  }
  return rows
}
