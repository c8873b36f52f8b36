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
  /** Repetitions: open → first image (cached and peer, in alternating pairs), cold opens, scroll passes, prefetches, worklist reloads, typing runs. */
  openRuns: number
  coldRuns: number
  scrollRuns: number
  prefetchRuns: number
  worklistRuns: number
  typingRuns: number
  /** Characters typed per typing run. */
  typedCharacters: number
  resultsDir: string
  /** Where the bench builds its own copy of the renderer (never the dist/renderer the e2e tests use). */
  rendererDir: string
}

export function benchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const smoke = env.BENCH_SMOKE === '1'
  const resultsDir = path.resolve(projectRoot, env.BENCH_RESULTS_DIR ?? 'bench-results')
  const rendererDir = path.join(projectRoot, 'dist', 'bench-renderer')
  if (smoke) {
    return {
      smoke,
      dataDir: path.join(projectRoot, 'bench-data', 'smoke'),
      data: { seed: 'smoke', ctSlices: [12, 16], ctJpegLsSlices: [], mammo: ['uncompressed'], mammoSubsampling: 8, crPair: true, worklistCount: 200 },
      ctSlices: 12,
      largeCtSlices: 16,
      openRuns: 1,
      coldRuns: 1,
      scrollRuns: 1,
      prefetchRuns: 1,
      worklistRuns: 1,
      typingRuns: 1,
      typedCharacters: 8,
      resultsDir,
      rendererDir,
    }
  }
  return {
    smoke,
    dataDir: path.join(projectRoot, 'bench-data'),
    data: { seed: '1', ctSlices: [500, 1000], ctJpegLsSlices: [], mammo: ['uncompressed', 'jpeg2000'], mammoSubsampling: 1, crPair: true, worklistCount: 5000 },
    ctSlices: 500,
    largeCtSlices: 1000,
    openRuns: Number(env.BENCH_OPEN_RUNS ?? 7),
    coldRuns: Number(env.BENCH_COLD_RUNS ?? 5),
    scrollRuns: Number(env.BENCH_SCROLL_RUNS ?? 2),
    prefetchRuns: Number(env.BENCH_PREFETCH_RUNS ?? 3),
    worklistRuns: Number(env.BENCH_WORKLIST_RUNS ?? 7),
    typingRuns: Number(env.BENCH_TYPING_RUNS ?? 3),
    typedCharacters: 60,
    resultsDir,
    rendererDir,
  }
}
