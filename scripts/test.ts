/**
 * `npm test`: every check and every test suite, in order, with counts per suite:
 * typecheck, lint, Electronegativity, unit, server, interop (Orthanc), end-to-end (Chromium), Electron shell,
 * and the benchmark harness (its unit tests and a smoke run of the whole bench on tiny data:
 * benchmarks never fail the tests, a harness that can no longer measure does).
 * Exits non-zero when anything failed; a suite that cannot run is reported, never counted as passed.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { projectRoot } from './workstation-paths.ts'

interface SuiteResult {
  name: string
  passed: number
  failed: number
  skipped: number
  note?: string
}

const bin = (name: string) => path.join(projectRoot, 'node_modules', '.bin', name)
const resultsDir = path.join(projectRoot, 'test-results')
mkdirSync(resultsDir, { recursive: true })

function run(label: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): boolean {
  console.log(`\n=== ${label} ===`)
  const started = Date.now()
  const result = spawnSync(command, args, { cwd: projectRoot, stdio: 'inherit', env: { ...process.env, ...env } })
  console.log(`=== ${label}: ${result.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s ===`)
  return result.status === 0
}

function vitestSuite(project: string, extraArgs: string[] = ['--project', project]): SuiteResult {
  const outputFile = path.join(resultsDir, `vitest-${project}.json`)
  rmSync(outputFile, { force: true })
  const ok = run(`${project} tests`, bin('vitest'), ['run', ...extraArgs, '--reporter=default', '--reporter=json', `--outputFile=${outputFile}`])
  if (!existsSync(outputFile)) return { name: project, passed: 0, failed: 1, skipped: 0, note: 'vitest wrote no results' }
  const report = JSON.parse(readFileSync(outputFile, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number; numFailedTestSuites: number }
  const failed = report.numFailedTests + (ok || report.numFailedTests > 0 ? 0 : Math.max(1, report.numFailedTestSuites))
  return { name: project, passed: report.numPassedTests, failed, skipped: report.numPendingTests + report.numTodoTests }
}

function playwrightSuite(): SuiteResult {
  const outputFile = path.join(resultsDir, 'e2e-results.json')
  rmSync(outputFile, { force: true })
  const ok = run('end-to-end tests (Chromium)', bin('playwright'), ['test', '--config', 'playwright.config.ts'])
  if (!existsSync(outputFile)) return { name: 'e2e', passed: 0, failed: 1, skipped: 0, note: 'playwright wrote no results' }
  const report = JSON.parse(readFileSync(outputFile, 'utf8')) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number } }
  const failed = report.stats.unexpected + (ok || report.stats.unexpected > 0 ? 0 : 1)
  return { name: 'e2e', passed: report.stats.expected + report.stats.flaky, failed, skipped: report.stats.skipped }
}

function electronSuite(): SuiteResult {
  const pathFile = path.join(projectRoot, 'node_modules', 'electron', 'path.txt')
  const binary = existsSync(pathFile) ? path.join(projectRoot, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim()) : null
  if (!binary || !existsSync(binary)) {
    console.log('\n=== Electron shell tests: NOT RUN — the Electron binary is not installed (it is downloaded from the internet, which this machine cannot reach). The shell\'s logic is covered by the unit tests; the workstation itself by the end-to-end tests in Chromium. ===')
    return { name: 'electron', passed: 0, failed: 0, skipped: 0, note: 'not run: no Electron binary' }
  }
  const outputFile = path.join(resultsDir, 'electron-results.json')
  rmSync(outputFile, { force: true })
  const ok = run('Electron shell tests', bin('playwright'), ['test', '--config', 'test/electron/playwright-electron.config.ts'])
  if (!existsSync(outputFile)) return { name: 'electron', passed: 0, failed: 1, skipped: 0 }
  const report = JSON.parse(readFileSync(outputFile, 'utf8')) as { stats: { expected: number; unexpected: number; skipped: number } }
  return { name: 'electron', passed: report.stats.expected, failed: report.stats.unexpected + (ok ? 0 : 1), skipped: report.stats.skipped }
}

/** The bench harness: its unit tests, then the smoke run, whose every figure counts as a check. */
function benchSuite(): SuiteResult {
  const unit = vitestSuite('bench', ['--config', 'test/bench/vitest.bench.config.ts'])
  const checkFile = path.join(resultsDir, 'bench-smoke', 'check.json')
  rmSync(checkFile, { force: true })
  // the renderer the build check made just before serves the smoke run too
  const ok = run('benchmark smoke run (tiny data, one run each)', process.execPath, [path.join(projectRoot, 'test', 'bench', 'bench-smoke.ts')], { BENCH_RENDERER_DIR: 'dist/renderer' })
  if (!existsSync(checkFile)) return { name: 'bench', passed: unit.passed, failed: unit.failed + 1, skipped: unit.skipped, note: 'the smoke run wrote no check' }
  const check = JSON.parse(readFileSync(checkFile, 'utf8')) as { passed: number; failed: number }
  return { name: 'bench', passed: unit.passed + check.passed, failed: unit.failed + check.failed + (ok || check.failed > 0 ? 0 : 1), skipped: unit.skipped }
}

const checks: SuiteResult[] = []
const check = (name: string, ok: boolean) => checks.push({ name, passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0 })

check('typecheck', run('typecheck', bin('tsc'), ['-b']))
check('lint', run('lint', bin('eslint'), ['.', '--max-warnings=0']))
check('electroneg', run('Electronegativity (Electron security lint; unjustified HIGH/MEDIUM fails)', process.execPath, [path.join(projectRoot, 'scripts', 'electronegativity-check.ts')]))
check('build', run('build', process.execPath, [path.join(projectRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn']))

const suites = [vitestSuite('unit'), vitestSuite('server'), vitestSuite('interop'), playwrightSuite(), electronSuite(), benchSuite()]

console.log('\n=== Summary ===')
for (const c of checks) console.log(`${c.name.padEnd(10)} ${c.failed ? 'FAILED' : 'ok'}`)
for (const s of suites) console.log(`${s.name.padEnd(10)} ${s.passed} passed, ${s.failed} failed${s.skipped ? `, ${s.skipped} skipped` : ''}${s.note ? `  (${s.note})` : ''}`)
const passed = suites.reduce((n, s) => n + s.passed, 0)
const failed = suites.reduce((n, s) => n + s.failed, 0) + checks.reduce((n, c) => n + c.failed, 0)
const skipped = suites.reduce((n, s) => n + s.skipped, 0)
console.log(`total: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
process.exit(failed > 0 ? 1 : 0)
