/**
 * The generated studies the benchmarks read, by folder name under one data folder, each made
 * only when it is missing or was made with other options (a `.generated.json` in the folder
 * records what it holds, written last, so an interrupted run is redone).
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { generateCrPair } from './cr-pair-generator.ts'
import { loadCtSourceSeries, type CtSourceSeries } from './ct-source-series.ts'
import { DEFAULT_CT_SOURCE_DIR, generateCtSeries } from './ct-series-generator.ts'
import { transcodeFolderToJpegLs } from './jpeg-ls-transcoder.ts'
import { generateMammoFourView, loadMammoSource, type MammoEncoding, type MammoSource } from './mammo-four-view-generator.ts'
import { generateWorklist, writeWorklist } from './worklist-generator.ts'

export interface BenchDataSpec {
  seed: string
  /** Uncompressed CT series, by slice count. */
  ctSlices: readonly number[]
  /** JPEG-LS lossless CT series (another patient), by slice count. */
  ctJpegLsSlices: readonly number[]
  mammo: readonly MammoEncoding[]
  /** 1 for the real size (4664×3064); more for quick test data. */
  mammoSubsampling: number
  crPair: boolean
  /** Assignments in the generated worklist; 0 for none. */
  worklistCount: number
}

/** What the issue asks for: 500 and 1,000 slices in both syntaxes, both mammography sets, the CR pair, 5,000 assignments. */
export const FULL_DATA_SET: BenchDataSpec = {
  seed: '1',
  ctSlices: [500, 1000],
  ctJpegLsSlices: [500, 1000],
  mammo: ['uncompressed', 'jpeg2000'],
  mammoSubsampling: 1,
  crPair: true,
  worklistCount: 5000,
}

/** Where each part of the set lives, relative to the data folder. */
export const benchDataPaths = {
  ct: (slices: number) => `ct-${slices}`,
  ctJpegLs: (slices: number) => `ct-${slices}-jls`,
  mammo: (encoding: MammoEncoding, subsampling: number) => `mammo-four-view${encoding === 'jpeg2000' ? '-j2k' : ''}${subsampling > 1 ? `-s${subsampling}` : ''}`,
  crPair: () => 'cr-pair',
  worklist: (count: number) => `worklist-${count}`,
  worklistFile: 'worklist.json',
} as const

const MANIFEST = '.generated.json'

export type GenerationLog = (line: string) => void

/** Generates what of `spec` is not in `dataDir` yet; returns the folders it made. */
export async function ensureBenchData(dataDir: string, spec: BenchDataSpec, log: GenerationLog = () => undefined): Promise<string[]> {
  const made: string[] = []
  let ctSource: Promise<CtSourceSeries> | undefined
  let mammoSource: Promise<MammoSource> | undefined
  const ct = () => (ctSource ??= loadCtSourceSeries(DEFAULT_CT_SOURCE_DIR))
  const mammo = () => (mammoSource ??= loadMammoSource())

  const part = async (name: string, key: Record<string, unknown>, generate: (dir: string) => Promise<string>) => {
    const dir = path.join(dataDir, name)
    const wanted = JSON.stringify(key)
    const existing = await readFile(path.join(dir, MANIFEST), 'utf8').catch(() => null)
    if (existing !== null && JSON.stringify(JSON.parse(existing).key) === wanted) return
    await rm(dir, { recursive: true, force: true })
    await mkdir(dir, { recursive: true })
    const started = performance.now()
    const summary = await generate(dir)
    await writeFile(path.join(dir, MANIFEST), JSON.stringify({ key, summary }, null, 1))
    log(`${name}: ${summary} in ${((performance.now() - started) / 1000).toFixed(1)} s`)
    made.push(name)
  }
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`

  for (const slices of spec.ctSlices) {
    await part(benchDataPaths.ct(slices), { kind: 'ct', slices, seed: spec.seed }, async (dir) => {
      const series = await generateCtSeries({ outDir: dir, sliceCount: slices, seed: spec.seed, source: await ct() })
      return `${series.files} files, ${mb(series.bytes)}`
    })
  }
  for (const slices of spec.ctJpegLsSlices) {
    await part(benchDataPaths.ctJpegLs(slices), { kind: 'ct-jpeg-ls', slices, seed: spec.seed }, async (dir) => {
      // another patient, so that the two series are neither one study nor each other's prior
      const uncompressed = `${dir}.uncompressed`
      await rm(uncompressed, { recursive: true, force: true })
      try {
        await generateCtSeries({ outDir: uncompressed, sliceCount: slices, seed: spec.seed, source: await ct(), patientName: `BENCH^CT${slices}JLS`, patientId: `BENCH-CT${slices}-JLS` })
        const result = await transcodeFolderToJpegLs(uncompressed, dir)
        return `${result.files} files, ${mb(result.bytes)} (JPEG-LS lossless)`
      } finally {
        await rm(uncompressed, { recursive: true, force: true })
      }
    })
  }
  for (const encoding of spec.mammo) {
    await part(benchDataPaths.mammo(encoding, spec.mammoSubsampling), { kind: 'mammo', encoding, subsampling: spec.mammoSubsampling, seed: spec.seed }, async (dir) => {
      const study = await generateMammoFourView({ outDir: dir, seed: spec.seed, encoding, subsampling: spec.mammoSubsampling, source: await mammo() })
      return `${study.files} views of ${study.columns}×${study.rows}, ${mb(study.bytes)} (${encoding})`
    })
  }
  if (spec.crPair) {
    await part(benchDataPaths.crPair(), { kind: 'cr-pair', seed: spec.seed }, async (dir) => {
      const pair = await generateCrPair({ outDir: dir, seed: spec.seed })
      return `prior and current, ${mb(pair.prior.bytes + pair.current.bytes)}`
    })
  }
  if (spec.worklistCount > 0) {
    await part(benchDataPaths.worklist(spec.worklistCount), { kind: 'worklist', count: spec.worklistCount, seed: spec.seed }, async (dir) => {
      const bytes = await writeWorklist(path.join(dir, benchDataPaths.worklistFile), generateWorklist({ count: spec.worklistCount, seed: spec.seed }))
      return `${spec.worklistCount} assignments, ${mb(bytes)}`
    })
  }
  return made
}
