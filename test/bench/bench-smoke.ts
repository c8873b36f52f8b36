/**
 * The smoke test of the benchmark harness, run by `npm test`: the whole bench once on tiny
 * data (BENCH_SMOKE=1), its JSON checked to hold every figure with numbers (results-check.ts).
 * It proves the harness still measures; the numbers themselves mean nothing and fail nothing.
 * Exits non-zero when the run fails or its results are incomplete; writes check.json beside them.
 */
import { spawnSync } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { projectRoot } from '../../scripts/workstation-paths.ts'
import { checkBenchReport, REQUIRED_FIGURES } from './results-check.ts'
import type { BenchReport } from './results-table.ts'

const resultsDir = path.join(projectRoot, 'test-results', 'bench-smoke')

async function main(): Promise<number> {
  const started = performance.now()
  const run = spawnSync(process.execPath, [path.join(projectRoot, 'test', 'bench', 'run-benchmarks.ts')], {
    cwd: projectRoot,
    stdio: 'inherit',
    env: { ...process.env, BENCH_SMOKE: '1', BENCH_RESULTS_DIR: resultsDir },
  })
  let problems: string[]
  if (run.status !== 0) {
    problems = [`the bench exited with ${run.status ?? run.signal}`]
  } else {
    const report = JSON.parse(await readFile(path.join(resultsDir, 'results.json'), 'utf8')) as BenchReport
    problems = checkBenchReport(report)
  }
  const seconds = (performance.now() - started) / 1000
  const passed = problems.length === 0 ? REQUIRED_FIGURES.length : 0
  await writeFile(path.join(resultsDir, 'check.json'), `${JSON.stringify({ passed, failed: problems.length, problems, seconds }, null, 2)}\n`).catch(() => undefined)
  console.log(problems.length ? `bench smoke run: ${problems.length} problem(s)\n${problems.map((p) => `  - ${p}`).join('\n')}` : `bench smoke run: all ${REQUIRED_FIGURES.length} figures measured (${seconds.toFixed(0)} s)`)
  return problems.length ? 1 : 0
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error))
    process.exit(1)
  },
)
