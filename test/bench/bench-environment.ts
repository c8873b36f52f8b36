/**
 * Everything a benchmark run needs, started once: the renderer built for the bench, the
 * generated studies, the reference reading server holding them (our path: the workstation
 * served by it, caching from it), Orthanc holding the same files (the peer path), the
 * loopback proxy that gives the peer page Orthanc on its own origin, and one Chromium.
 */
import { spawnSync } from 'node:child_process'
import { readdir, stat } from 'node:fs/promises'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { benchDataPaths, ensureBenchData } from '../../scripts/study-generator/bench-data-set.ts'
import { projectRoot } from '../../scripts/workstation-paths.ts'
import { DEMO_PASSWORD } from '../../server/demo-seed.ts'
import { importDicomFiles } from '../../server/dicom-import.ts'
import { startReadingServer, type RunningReadingServer } from '../../server/start-reading-server.ts'
import { DB_TEMPLATE_DIR } from '../../server/test-database-template.ts'
import { CHROMIUM_ARGS, requireChromium } from '../e2e/chromium-launch.ts'
import { startOrthanc, type OrthancProcess } from '../harness/orthanc-process.ts'
import type { BenchConfig } from './bench-config.ts'
import { startPeerProxy, type PeerProxy } from './peer-proxy.ts'

/** The reader whose worklist holds the benchmark studies, and the one given the big worklist. */
export const BENCH_READER = 'reader3'
export const WORKLIST_READER = 'reader2'
export const BENCH_FACILITY = 'sakura-clinic'

export interface BenchStudy {
  studyInstanceUid: string
  dir: string
  files: number
  bytes: number
}

export interface BenchStudies {
  ct: BenchStudy
  largeCt: BenchStudy
  mammo: BenchStudy
  mammoJ2k?: BenchStudy
  crCurrent: BenchStudy
  crPrior: BenchStudy
}

export interface BenchEnvironment {
  config: BenchConfig
  server: RunningReadingServer
  orthanc: OrthancProcess
  proxy: PeerProxy
  browser: Browser
  studies: BenchStudies
  /** A fresh access token of a user of the reading server. */
  token(username: string): Promise<string>
  close(): Promise<void>
}

type Log = (line: string) => void

/** Builds the renderer into the bench's own folder, so a bench never swaps the files under running e2e tests. */
function buildRenderer(outDir: string): void {
  const vite = path.join(projectRoot, 'node_modules', 'vite', 'bin', 'vite.js')
  const build = spawnSync(process.execPath, [vite, 'build', '--config', 'renderer/vite.config.ts', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'], { cwd: projectRoot, stdio: 'inherit' })
  if (build.status !== 0) throw new Error('the renderer build failed')
}

async function describeFolder(dir: string, files?: readonly string[]): Promise<Omit<BenchStudy, 'studyInstanceUid'>> {
  const names = files ?? (await readdir(dir)).filter((name) => name.endsWith('.dcm'))
  const sizes = await Promise.all(names.map(async (name) => (await stat(path.join(dir, name))).size))
  return { dir, files: names.length, bytes: sizes.reduce((sum, size) => sum + size, 0) }
}

async function login(url: string, username: string): Promise<string> {
  const response = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) })
  if (!response.ok) throw new Error(`login ${username}: ${response.status}`)
  return ((await response.json()) as { accessToken: string }).accessToken
}

/** Uploads every file, a few at a time (Orthanc stores them on its own threads). */
async function uploadAll(orthanc: OrthancProcess, files: readonly string[]): Promise<void> {
  let next = 0
  const lane = async () => {
    while (next < files.length) await orthanc.uploadFile(files[next++]!)
  }
  await Promise.all(Array.from({ length: 4 }, lane))
}

export async function startBenchEnvironment(config: BenchConfig, log: Log): Promise<BenchEnvironment> {
  let started = performance.now()
  const step = (what: string) => {
    log(`${what} (${((performance.now() - started) / 1000).toFixed(1)} s)`)
    started = performance.now()
  }
  if (config.buildRenderer) {
    buildRenderer(config.rendererDir)
    step('renderer built')
  }
  await ensureBenchData(config.dataDir, config.data, (line) => log(`  generated ${line}`))
  step('data ready')

  const folders = {
    ct: path.join(config.dataDir, benchDataPaths.ct(config.ctSlices)),
    largeCt: path.join(config.dataDir, benchDataPaths.ct(config.largeCtSlices)),
    mammo: path.join(config.dataDir, benchDataPaths.mammo('uncompressed', config.data.mammoSubsampling)),
    mammoJ2k: config.data.mammo.includes('jpeg2000') ? path.join(config.dataDir, benchDataPaths.mammo('jpeg2000', config.data.mammoSubsampling)) : undefined,
    cr: path.join(config.dataDir, benchDataPaths.crPair()),
  }
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'rw-bench-'))
  const cleanups: (() => Promise<unknown>)[] = [() => rm(dataDir, { recursive: true, force: true })]
  const closeAll = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined)
  }
  try {
    const [server, orthanc] = await Promise.all([
      startReadingServer({ dataDir, port: 0, seedDemo: true, appDir: config.rendererDir, databaseTemplateDir: DB_TEMPLATE_DIR }),
      startOrthanc(),
    ])
    cleanups.push(() => server.close(), () => orthanc.stop())
    step('reading server and Orthanc started')

    const folderList = [folders.ct, folders.largeCt, folders.mammo, ...(folders.mammoJ2k ? [folders.mammoJ2k] : []), folders.cr]
    const files = (await Promise.all(folderList.map(async (dir) => (await readdir(dir)).filter((name) => name.endsWith('.dcm')).map((name) => path.join(dir, name))))).flat()
    // the reading server imports in this process while Orthanc stores in its own: both cores busy
    const [report] = await Promise.all([importDicomFiles(server.db, server.storageDir, BENCH_FACILITY, folderList), uploadAll(orthanc, files)])
    const rejected = report.filter((entry) => !entry.ok)
    if (rejected.length) throw new Error(`the reading server refused ${rejected.length} files: ${rejected[0]?.file}: ${rejected[0]?.error}`)
    const studyOf = (where: string) => {
      const entry = report.find((r) => r.ok && (r.file === where || r.file.startsWith(where + path.sep)))
      if (!entry?.studyInstanceUid) throw new Error(`nothing of ${where} was imported`)
      return entry.studyInstanceUid
    }
    const study = async (dir: string, only?: string[]): Promise<BenchStudy> => ({ studyInstanceUid: studyOf(only ? path.join(dir, only[0]!) : dir), ...(await describeFolder(dir, only)) })
    const studies: BenchStudies = {
      ct: await study(folders.ct),
      largeCt: await study(folders.largeCt),
      mammo: await study(folders.mammo),
      ...(folders.mammoJ2k ? { mammoJ2k: await study(folders.mammoJ2k) } : {}),
      crCurrent: await study(folders.cr, ['current.dcm']),
      crPrior: await study(folders.cr, ['prior.dcm']),
    }
    step(`${files.length} files in the reading server and in Orthanc`)

    // the prior is not assigned: the workstation fetches it as the current study's prior
    const admin = await login(server.url, 'admin')
    const assigned = [studies.ct, studies.largeCt, studies.mammo, ...(studies.mammoJ2k ? [studies.mammoJ2k] : []), studies.crCurrent]
    for (const [index, { studyInstanceUid }] of assigned.entries()) {
      const response = await fetch(`${server.url}/api/v1/admin/assignments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
        body: JSON.stringify({ studyInstanceUid, username: BENCH_READER, readingType: 'first', priority: 'routine', dueAt: new Date(Date.now() + (index + 1) * 3_600_000).toISOString() }),
      })
      if (!response.ok) throw new Error(`assigning ${studyInstanceUid}: ${response.status} ${await response.text()}`)
    }

    const proxy = await startPeerProxy(config.rendererDir, orthanc.url)
    cleanups.push(() => proxy.close())
    const browser = await chromium.launch({ executablePath: requireChromium(), args: CHROMIUM_ARGS, headless: true })
    cleanups.push(() => browser.close())
    step('assigned, proxy and Chromium started')
    return { config, server, orthanc, proxy, browser, studies, token: (username) => login(server.url, username), close: closeAll }
  } catch (error) {
    await closeAll()
    throw error
  }
}
