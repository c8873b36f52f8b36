/**
 * How big and how often: the full benchmark (`npm run bench`: the data sizes, repeated
 * runs) or the smoke run (BENCH_SMOKE=1: tiny data, one run of everything, so the harness is
 * exercised by `npm test` in well under two minutes). BENCH_RESULTS_DIR moves the output.
 */
import path from 'node:path'
import type { BenchDataSpec } from '../../scripts/study-generator/bench-data-set.ts'
import { projectRoot } from '../../scripts/workstation-paths.ts'

export interface BenchConfig {
  smoke: boolean
  dataDir: string
  data: BenchDataSpec
  /** Slices of the CT used for open, scroll and prefetch; of the CT used for memory. */
  ctSlices: number
  largeCtSlices: number
  /** Repetitions: open → first image of the CT (cached, peer and cold, in rotating triples), scroll pairs, prefetches, worklist reloads, typing runs. */
  openRuns: number
  /** Open runs of the four-view mammogram and of the chest pair. */
  mammoRuns: number
  /** Of which cold (each a new browser context downloading 114 MB). */
  mammoColdRuns: number
  crRuns: number
  scrollRuns: number
  prefetchRuns: number
  worklistRuns: number
  /** Reloads of the worklist stop when the figure has taken this long (ms). */
  worklistBudgetMs: number
  typingRuns: number
  /** Pause on a freshly shown worklist before clicking open, as a reader would (ms). */
  settleMs: number
  /** Characters typed per typing run. */
  typedCharacters: number
  resultsDir: string
  /** Where the bench builds its own copy of the renderer (never the dist/renderer the e2e tests use), or finds one built. */
  rendererDir: string
  buildRenderer: boolean
}

export function benchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const smoke = env.BENCH_SMOKE === '1'
  const resultsDir = path.resolve(projectRoot, env.BENCH_RESULTS_DIR ?? 'bench-results')
  const rendererDir = env.BENCH_RENDERER_DIR ? path.resolve(projectRoot, env.BENCH_RENDERER_DIR) : path.join(projectRoot, 'dist', 'bench-renderer')
  const buildRenderer = !env.BENCH_RENDERER_DIR
  if (smoke) {
    return {
      smoke,
      dataDir: path.join(projectRoot, 'bench-data', 'smoke'),
      data: { seed: 'smoke', ctSlices: [12, 16], ctJpegLsSlices: [], mammo: ['uncompressed'], mammoSubsampling: 8, crPair: true, worklistCount: 200 },
      ctSlices: 12,
      largeCtSlices: 16,
      openRuns: 1,
      mammoRuns: 1,
      mammoColdRuns: 1,
      crRuns: 1,
      scrollRuns: 1,
      prefetchRuns: 1,
      worklistRuns: 2,
      worklistBudgetMs: 30_000,
      typingRuns: 1,
      typedCharacters: 8,
      settleMs: 100,
      resultsDir,
      rendererDir,
      buildRenderer,
    }
  }
  return {
    smoke,
    dataDir: path.join(projectRoot, 'bench-data'),
    data: { seed: '1', ctSlices: [500, 1000], ctJpegLsSlices: [], mammo: ['uncompressed', 'jpeg2000'], mammoSubsampling: 1, crPair: true, worklistCount: 5000 },
    ctSlices: 500,
    largeCtSlices: 1000,
    openRuns: Number(env.BENCH_OPEN_RUNS ?? 5),
    mammoRuns: Number(env.BENCH_MAMMO_RUNS ?? 2),
    mammoColdRuns: Number(env.BENCH_MAMMO_COLD_RUNS ?? 1),
    crRuns: Number(env.BENCH_CR_RUNS ?? 3),
    scrollRuns: Number(env.BENCH_SCROLL_RUNS ?? 1),
    prefetchRuns: Number(env.BENCH_PREFETCH_RUNS ?? 2),
    worklistRuns: Number(env.BENCH_WORKLIST_RUNS ?? 7),
    worklistBudgetMs: Number(env.BENCH_WORKLIST_BUDGET_S ?? 60) * 1000,
    typingRuns: Number(env.BENCH_TYPING_RUNS ?? 2),
    typedCharacters: 60,
    settleMs: 500,
    resultsDir,
    rendererDir,
    buildRenderer,
  }
}
