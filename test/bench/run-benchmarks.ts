/**
 * `npm run bench`: the workstation's benchmarks, printed as a table.
 * - cache write throughput (IndexedDB in Chromium), AES-GCM and plain
 * - prefetch throughput of a generated 300-slice 512×512 CT from the reference server, AES-GCM and plain
 * - open → first image of that CT from the local cache, in the real app (GPU path, pixels checked)
 * - scroll rate through every slice and the browser's memory before, while and after reading it (viewer-memory.ts)
 * Runs alternate the two modes so that drift affects both alike.
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { chromium, type Page } from 'playwright-core'
import { DEMO_PASSWORD } from '../../server/demo-seed.ts'
import { importDicomFiles } from '../../server/dicom-import.ts'
import { startReadingServer } from '../../server/start-reading-server.ts'
import { generateCtSeries } from '../../scripts/study-generator/ct-series-generator.ts'
import { projectRoot } from '../../scripts/workstation-paths.ts'
import { CHROMIUM_ARGS, requireChromium } from '../e2e/chromium-launch.ts'
import { viewportCanvasStats } from '../e2e/canvas-pixels.ts'
import { summarise } from './statistics.ts'
import { measureViewerRun } from './viewer-memory.ts'

const SLICES = Number(process.env.BENCH_CT_SLICES ?? 300)
const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const OPEN_RUNS = Number(process.env.BENCH_OPEN_RUNS ?? 7)
const BENCH_READER = 'reader3'

async function login(url: string, username: string): Promise<string> {
  const response = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) })
  if (!response.ok) throw new Error(`login ${username}: ${response.status}`)
  return ((await response.json()) as { accessToken: string }).accessToken
}

async function benchPage(page: Page, url: string, query: Record<string, string>): Promise<{ mbPerSecond: number; seconds: number; bytes: number }> {
  await page.goto(`${url}/bench.html?${new URLSearchParams(query)}`)
  const result = page.locator('#bench-result[data-done="true"]')
  await result.waitFor({ timeout: 600_000 })
  const parsed = JSON.parse((await result.textContent()) ?? '{}') as { ok: boolean; result?: { mbPerSecond: number; seconds: number; bytes: number }; error?: string }
  if (!parsed.ok || !parsed.result) throw new Error(`bench page (${JSON.stringify(query)}): ${parsed.error}`)
  return parsed.result
}

async function main(): Promise<void> {
  console.log(`Building the renderer…`)
  const build = spawnSync(process.execPath, [path.join(projectRoot, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'error'], { cwd: projectRoot, stdio: 'inherit' })
  if (build.status !== 0) throw new Error('renderer build failed')

  const ctDir = path.join(projectRoot, 'bench-data', `ct-${SLICES}`)
  if (!existsSync(ctDir) || readdirSync(ctDir).length !== SLICES) {
    console.log(`Generating a ${SLICES}-slice CT into ${ctDir}…`)
    await generateCtSeries({ outDir: ctDir, sliceCount: SLICES, seed: 'bench' })
  }

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'rw-bench-'))
  const server = await startReadingServer({ dataDir, port: 0, seedDemo: true, appDir: path.join(projectRoot, 'dist', 'renderer') })
  const browser = await chromium.launch({ executablePath: requireChromium(), args: CHROMIUM_ARGS, headless: true })
  try {
    const report = await importDicomFiles(server.db, server.storageDir, 'sakura-clinic', [ctDir])
    const rejected = report.filter((r) => !r.ok)
    if (rejected.length) throw new Error(`import rejected ${rejected.length} files: ${rejected[0]?.error}`)
    const study = report.find((r) => r.ok)?.studyInstanceUid
    if (!study) throw new Error('nothing imported')
    const admin = await login(server.url, 'admin')
    const assigned = await fetch(`${server.url}/api/v1/admin/assignments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ studyInstanceUid: study, username: BENCH_READER, readingType: 'first', priority: 'stat', dueAt: new Date(Date.now() + 3_600_000).toISOString() }),
    })
    if (!assigned.ok) throw new Error(`assigning the bench CT: ${assigned.status} ${await assigned.text()}`)
    const token = await login(server.url, BENCH_READER)
    const totalMb = readdirSync(ctDir).reduce((sum, f) => sum + statSync(path.join(ctDir, f)).size, 0) / 1e6

    const page = await (await browser.newContext()).newPage()
    const write: Record<string, number[]> = { aes: [], plain: [] }
    const prefetch: Record<string, number[]> = { aes: [], plain: [] }
    for (let run = 0; run < RUNS; run++) {
      for (const cipher of run % 2 ? ['aes', 'plain'] : ['plain', 'aes']) {
        write[cipher]!.push((await benchPage(page, server.url, { mode: 'write', cipher, count: String(SLICES), size: '526000' })).mbPerSecond)
        prefetch[cipher]!.push((await benchPage(page, server.url, { mode: 'prefetch', cipher, server: server.url, token, study })).mbPerSecond)
      }
    }

    // open → first image, in the real app, from the cache the sync worker filled
    const app = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage()
    await app.goto(server.url)
    await app.getByLabel('ユーザー名').fill(BENCH_READER)
    await app.getByLabel('パスワード').fill(DEMO_PASSWORD)
    await app.getByRole('button', { name: 'ログイン' }).click()
    const row = app.locator(`[data-testid="worklist-row"][data-study-uid="${study}"]`)
    await row.locator('[data-testid="cache-state"][data-state="complete"]').waitFor({ timeout: 600_000 })
    const openMs: number[] = []
    let gpu = true
    for (let i = 0; i < OPEN_RUNS; i++) {
      await app.reload()
      await row.waitFor()
      await row.getByRole('button', { name: '開く' }).click()
      await app.waitForFunction(() => performance.getEntriesByName('workstation:first-image').length > 0, undefined, { timeout: 60_000 })
      const ms = await app.evaluate(() => {
        const open = performance.getEntriesByName('workstation:study-open').at(-1)
        const first = performance.getEntriesByName('workstation:first-image').at(-1)
        return open && first ? first.startTime - open.startTime : NaN
      })
      const stats = await viewportCanvasStats(app)
      if (stats.litFraction <= 0.001) throw new Error('first image rendered black: the measurement would be meaningless')
      gpu &&= (await app.getByTestId('stack-viewport').getAttribute('data-render-path')) === 'gpu'
      openMs.push(ms)
    }

    // scroll through every slice by keyboard, twice, and what memory that costs
    await app.reload()
    await row.waitFor()
    const viewerRun = await measureViewerRun(app, study, SLICES)

    const line = (label: string, values: number[], unit: string, digits = 1) => {
      const s = summarise(values)
      console.log(`${label.padEnd(58)} median ${s.median.toFixed(digits).padStart(8)} ${unit}   p95 ${s.p95.toFixed(digits).padStart(8)} ${unit}   (n=${s.n})`)
    }
    console.log(`\nBenchmarks — ${SLICES}-slice 512×512 CT (${totalMb.toFixed(1)} MB), headless Chromium, ${os.cpus().length} cores\n`)
    line('cache write throughput, AES-GCM', write.aes!, 'MB/s')
    line('cache write throughput, plain', write.plain!, 'MB/s')
    line('prefetch reference server → IndexedDB, AES-GCM', prefetch.aes!, 'MB/s')
    line('prefetch reference server → IndexedDB, plain', prefetch.plain!, 'MB/s')
    const ratio = summarise(prefetch.aes!).median / summarise(prefetch.plain!).median
    console.log(`${'encryption cost (prefetch, median AES / plain)'.padEnd(58)} ${(ratio * 100).toFixed(0)} % of plain throughput`)
    line(`open → first image from cache (${gpu ? 'GPU path' : 'CPU FALLBACK'})`, openMs, 'ms', 0)
    const value = (label: string, v: number, unit: string) => console.log(`${label.padEnd(58)} ${v.toFixed(1).padStart(8)} ${unit}`)
    value('scroll by keyboard, first pass (decoding)', viewerRun.firstPassSlicesPerSecond, 'slices/s')
    value('scroll by keyboard, second pass', viewerRun.secondPassSlicesPerSecond, 'slices/s')
    value('browser memory (RSS, all processes) before opening', viewerRun.rssBeforeMb, 'MB')
    value(`browser memory after reading all ${SLICES} slices`, viewerRun.rssReadMb, 'MB')
    value('browser memory after closing the study', viewerRun.rssClosedMb, 'MB')
    value('browser memory after reopening and reading it all again', viewerRun.rssSecondReadingMb, 'MB')
  } finally {
    await browser.close()
    await server.close()
    await rm(dataDir, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
  process.exit(1)
})
