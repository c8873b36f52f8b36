/**
 * `npm run generate-studies`: writes the clinically sized synthetic studies the benchmarks
 * read, derived from the real DICOM files of the demo (new UIDs, consistent geometry): with no
 * study options, everything issue 9 lists — 500- and 1,000-slice 512×512 CT, uncompressed and
 * JPEG-LS lossless; a four-view mammogram at 4664×3064, uncompressed and JPEG 2000 lossless; a
 * chest CR current/prior pair; a worklist of 5,000 assignments. The same options always give
 * byte-identical files; parts already generated with the same options are kept (--force
 * remakes them). Output is never committed (bench-data/ is git-ignored).
 */
import path from 'node:path'
import { parseArgs } from 'node:util'
import { rm } from 'node:fs/promises'
import { benchDataPaths, ensureBenchData, FULL_DATA_SET, type BenchDataSpec } from './study-generator/bench-data-set.ts'
import type { MammoEncoding } from './study-generator/mammo-four-view-generator.ts'

const USAGE = `Usage: node scripts/generate-studies.ts [--out DIR] [--seed N] [--force]
         [--ct 500,1000] [--ct-jls 500,1000] [--mammo uncompressed,jpeg2000] [--mammo-subsampling N]
         [--cr-pair] [--worklist N]

  --out DIR                where to write (default bench-data): DIR/ct-<N>/, DIR/ct-<N>-jls/,
                           DIR/mammo-four-view[-j2k]/, DIR/cr-pair/, DIR/worklist-<N>/worklist.json
  --ct LIST                uncompressed CT series, by slice count ("none" for none)
  --ct-jls LIST            JPEG-LS lossless CT series (another patient), by slice count (needs DCMTK's dcmcjpls)
  --mammo LIST             four-view mammograms: uncompressed and/or jpeg2000 (needs OpenJPEG's tools)
  --mammo-subsampling N    keep every N-th pixel of the mammograms (default 1: 4664x3064)
  --cr-pair                a chest CR current/prior pair
  --worklist N             a worklist of N assignments (JSON)
  --seed N                 seed of every UID and random choice (default 1)
  --force                  remake parts that are already there
  With none of --ct, --ct-jls, --mammo, --cr-pair, --worklist: the whole set the benchmarks use.`

/** A mistake in the command line, answered with the usage text. */
class UsageError extends Error {
  override name = 'UsageError'
}

function parseSliceCounts(option: string, text: string): number[] {
  if (text === 'none' || text === '') return []
  return text.split(',').map((part) => {
    const count = Number(part.trim())
    if (!Number.isInteger(count) || count < 2 || count > 10_000) throw new UsageError(`--${option}: ${JSON.stringify(part)} is not a slice count from 2 to 10000`)
    return count
  })
}

function parseEncodings(text: string): MammoEncoding[] {
  if (text === 'none' || text === '') return []
  return text.split(',').map((part) => {
    const encoding = part.trim()
    if (encoding !== 'uncompressed' && encoding !== 'jpeg2000') throw new UsageError(`--mammo: ${JSON.stringify(part)} is neither uncompressed nor jpeg2000`)
    return encoding
  })
}

function positiveInteger(option: string, text: string): number {
  const value = Number(text)
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`--${option}: ${JSON.stringify(text)} is not a positive integer`)
  return value
}

/** The output folder, what to make and whether to remake it; null when only help was asked for. */
function parseOptions(args: string[]): { outDir: string; spec: BenchDataSpec; force: boolean } | null {
  let values
  try {
    values = parseArgs({
      args,
      options: {
        out: { type: 'string', default: 'bench-data' },
        ct: { type: 'string' },
        'ct-jls': { type: 'string' },
        mammo: { type: 'string' },
        'mammo-subsampling': { type: 'string', default: '1' },
        'cr-pair': { type: 'boolean', default: false },
        worklist: { type: 'string' },
        seed: { type: 'string', default: FULL_DATA_SET.seed },
        force: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }).values
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
  if (values.help) return null
  const chosen = values.ct !== undefined || values['ct-jls'] !== undefined || values.mammo !== undefined || values['cr-pair'] || values.worklist !== undefined
  const spec: BenchDataSpec = chosen
    ? {
        seed: values.seed,
        ctSlices: parseSliceCounts('ct', values.ct ?? 'none'),
        ctJpegLsSlices: parseSliceCounts('ct-jls', values['ct-jls'] ?? 'none'),
        mammo: parseEncodings(values.mammo ?? 'none'),
        mammoSubsampling: positiveInteger('mammo-subsampling', values['mammo-subsampling']),
        crPair: values['cr-pair'],
        worklistCount: values.worklist === undefined ? 0 : positiveInteger('worklist', values.worklist),
      }
    : { ...FULL_DATA_SET, seed: values.seed, mammoSubsampling: positiveInteger('mammo-subsampling', values['mammo-subsampling']) }
  return { outDir: path.resolve(values.out), spec, force: values.force }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2))
  if (!options) {
    console.log(USAGE)
    return
  }
  const { outDir, spec } = options
  if (options.force) {
    const parts = [
      ...spec.ctSlices.map(benchDataPaths.ct),
      ...spec.ctJpegLsSlices.map(benchDataPaths.ctJpegLs),
      ...spec.mammo.map((encoding) => benchDataPaths.mammo(encoding, spec.mammoSubsampling)),
      ...(spec.crPair ? [benchDataPaths.crPair()] : []),
      ...(spec.worklistCount > 0 ? [benchDataPaths.worklist(spec.worklistCount)] : []),
    ]
    for (const part of parts) await rm(path.join(outDir, part), { recursive: true, force: true })
  }
  const started = performance.now()
  const made = await ensureBenchData(outDir, spec, (line) => console.log(line))
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  console.log(made.length ? `Generated ${made.length} part(s) in ${seconds} s under ${outDir}` : `Everything asked for is already in ${outDir} (--force remakes it)`)
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  if (error instanceof UsageError) console.error(USAGE)
  process.exitCode = 1
})
