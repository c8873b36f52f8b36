/**
 * `npm run generate-studies -- --out DIR --ct 300,500 --seed N`: writes clinically sized
 * synthetic studies, derived from the demo DICOM files, for benchmarks and cache tests.
 * The same arguments always give byte-identical files. Output is never committed (bench-data/
 * is git-ignored).
 */
import { rm } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { loadCtSourceSeries } from './study-generator/ct-source-series.ts'
import { DEFAULT_CT_SOURCE_DIR, generateCtSeries } from './study-generator/ct-series-generator.ts'
import { generateCrPair } from './study-generator/cr-pair-generator.ts'

const USAGE = `Usage: node scripts/generate-studies.ts [--out DIR] [--ct 300,500,1000] [--cr-pair] [--seed N]
                                          [--patient-name NAME] [--patient-id ID]

  --out DIR            where to write (default bench-data); each CT goes to DIR/ct-<N>/<n>.dcm
  --ct LIST            slice counts of the CT series, comma-separated (default 300,500,1000; "none" for none)
  --cr-pair            also a chest CR current/prior pair, to DIR/cr-pair/{prior,current}.dcm
  --seed N             seed of every UID (default 1); the same seed gives byte-identical files
  --patient-name NAME  PatientName of every study (default BENCH^CT<N>, BENCH^CRPAIR)
  --patient-id ID      PatientID of every study (default BENCH-CT<N>, BENCH-CRPAIR)`

/** A mistake in the command line, answered with the usage text. */
class UsageError extends Error {
  override name = 'UsageError'
}

interface GenerateOptions {
  outDir: string
  sliceCounts: number[]
  crPair: boolean
  seed: string
  patientName: string | undefined
  patientId: string | undefined
}

function parseSliceCounts(text: string): number[] {
  if (text === 'none' || text === '') return []
  return text.split(',').map((part) => {
    const count = Number(part.trim())
    if (!Number.isInteger(count) || count < 2 || count > 10_000) throw new UsageError(`--ct: ${JSON.stringify(part)} is not a slice count from 2 to 10000`)
    return count
  })
}

/** The options, or null when only help was asked for. */
function parseOptions(args: string[]): GenerateOptions | null {
  let values
  try {
    values = parseArgs({
      args,
      options: {
        out: { type: 'string', default: 'bench-data' },
        ct: { type: 'string', default: '300,500,1000' },
        'cr-pair': { type: 'boolean', default: false },
        seed: { type: 'string', default: '1' },
        'patient-name': { type: 'string' },
        'patient-id': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }).values
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
  if (values.help) return null
  return {
    outDir: path.resolve(values.out),
    sliceCounts: parseSliceCounts(values.ct),
    crPair: values['cr-pair'],
    seed: values.seed,
    patientName: values['patient-name'],
    patientId: values['patient-id'],
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2))
  if (!options) {
    console.log(USAGE)
    return
  }
  const { outDir, sliceCounts } = options
  if (sliceCounts.length === 0 && !options.crPair) {
    console.log('Nothing to generate.')
    return
  }
  const patient = {
    ...(options.patientName !== undefined && { patientName: options.patientName }),
    ...(options.patientId !== undefined && { patientId: options.patientId }),
  }

  let totalBytes = 0
  let totalFiles = 0
  const started = performance.now()
  const source = sliceCounts.length > 0 ? await loadCtSourceSeries(DEFAULT_CT_SOURCE_DIR) : undefined
  for (const sliceCount of sliceCounts) {
    const dir = path.join(outDir, `ct-${sliceCount}`)
    // A previous run may have left other files here; the folder must hold exactly this series.
    await rm(dir, { recursive: true, force: true })
    const seriesStarted = performance.now()
    const series = await generateCtSeries({
      outDir: dir,
      sliceCount,
      seed: options.seed,
      ...(source && { source }),
      ...patient,
    })
    const seconds = (performance.now() - seriesStarted) / 1000
    totalBytes += series.bytes
    totalFiles += series.files
    console.log(
      `${displayPath(dir)}: ${series.files} files, ${megabytes(series.bytes)} MB in ${seconds.toFixed(1)} s ` +
        `(${series.patientName}, ${formatSpacing(series.spacing)} mm slices, study ${series.studyInstanceUid})`,
    )
  }
  if (options.crPair) {
    const dir = path.join(outDir, 'cr-pair')
    const pair = await generateCrPair({ outDir: dir, seed: options.seed, ...patient })
    totalBytes += pair.prior.bytes + pair.current.bytes
    totalFiles += 2
    console.log(
      `${displayPath(dir)}: 2 files, ${megabytes(pair.prior.bytes + pair.current.bytes)} MB ` +
        `(${pair.patientName}, prior ${pair.prior.studyDate} study ${pair.prior.studyInstanceUid}, current ${pair.current.studyDate} study ${pair.current.studyInstanceUid})`,
    )
  }
  const seconds = (performance.now() - started) / 1000
  console.log(`Wrote ${totalFiles} files, ${megabytes(totalBytes)} MB in ${seconds.toFixed(1)} s to ${outDir}`)
}

/** Relative to the working directory when inside it, as the user most likely typed it. */
function displayPath(dir: string): string {
  const relative = path.relative(process.cwd(), dir)
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : dir
}

function megabytes(bytes: number): string {
  return (bytes / 1_000_000).toFixed(1)
}

function formatSpacing(spacing: number): string {
  return String(Math.round(spacing * 1000) / 1000)
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  if (error instanceof UsageError) console.error(USAGE)
  process.exitCode = 1
})
