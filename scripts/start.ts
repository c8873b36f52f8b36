/**
 * `npm start`: builds the workstation, then launches it in Electron — or, where the
 * Electron binary is missing (it is downloaded from the internet at install time), serves
 * the same workstation with the built-in demo server to a browser. The workstation keeps
 * running in the background after this command returns; `npm stop` ends it.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { DEMO_PASSWORD } from '../server/demo-seed.ts'
import { DEFAULT_PORT, projectRoot, stateFile, workstationDataDir, type RunningState } from './workstation-paths.ts'

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: projectRoot, stdio: 'inherit' })
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status})`)
}

function electronBinary(): string | null {
  const dir = path.join(projectRoot, 'node_modules', 'electron')
  const pathFile = path.join(dir, 'path.txt')
  if (!existsSync(pathFile)) return null
  const binary = path.join(dir, 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(binary) ? binary : null
}

function isAlive(pid: number | undefined): boolean {
  if (!pid) return false
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer()
    probe.once('error', () => resolve(false))
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)))
  })
}

async function choosePort(): Promise<number> {
  for (let port = DEFAULT_PORT; port < DEFAULT_PORT + 20; port++) if (await portIsFree(port)) return port
  throw new Error(`no free port between ${DEFAULT_PORT} and ${DEFAULT_PORT + 19} on 127.0.0.1`)
}

async function waitForHealth(url: string, logFile: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${url}/api/v1/health`)
      if (response.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n') : ''
  throw new Error(`the built-in server did not answer within ${timeoutMs / 1000} s. Its log (${logFile}):\n${tail}`)
}

function findChromium(): string | null {
  for (const candidate of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) {
    if (candidate && existsSync(candidate)) return candidate
  }
  return null
}

async function startInBrowser(dataDir: string): Promise<void> {
  const previous = existsSync(stateFile()) ? (JSON.parse(readFileSync(stateFile(), 'utf8')) as RunningState) : null
  if (previous && isAlive(previous.serverPid)) {
    console.log(`The workstation is already running: ${previous.url}  (stop it with: npm stop)`)
    return
  }
  const port = await choosePort()
  const url = `http://127.0.0.1:${port}`
  const logFile = path.join(dataDir, 'server.log')
  const log = openSync(logFile, 'a')
  const server = spawn(
    process.execPath,
    ['server/cli.ts', 'serve', '--data', path.join(dataDir, 'reading-server'), '--port', String(port), '--app', path.join(projectRoot, 'dist', 'renderer')],
    { cwd: projectRoot, detached: true, stdio: ['ignore', log, log] },
  )
  server.unref()
  const state: RunningState = { url, serverPid: server.pid ?? 0, startedAt: new Date().toISOString() }
  writeFileSync(stateFile(), JSON.stringify(state, null, 2))
  await waitForHealth(url, logFile)

  const chromium = findChromium()
  if (chromium && (process.env.DISPLAY || process.env.WAYLAND_DISPLAY) && !process.env.CI) {
    const browser = spawn(chromium, [`--app=${url}`, `--user-data-dir=${path.join(dataDir, 'browser-profile')}`, '--no-first-run', '--disable-background-networking'], {
      detached: true,
      stdio: 'ignore',
    })
    browser.unref()
    state.browserPid = browser.pid
    writeFileSync(stateFile(), JSON.stringify(state, null, 2))
    console.log(`Reading Workstation is running at ${url} (opened in Chromium). Demo log-in: reader1 / ${DEMO_PASSWORD}. Stop with: npm stop`)
  } else {
    console.log(`Reading Workstation is running at ${url} — open it in a browser. Demo log-in: reader1 / ${DEMO_PASSWORD}. Stop with: npm stop`)
  }
}

async function main(): Promise<void> {
  const dataDir = workstationDataDir()
  mkdirSync(dataDir, { recursive: true })
  run(process.execPath, [path.join(projectRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'error'])

  const electron = electronBinary()
  if (electron && !process.env.WORKSTATION_BROWSER) {
    run(process.execPath, [path.join(projectRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'electron/tsconfig.json', 'electron/tsconfig.preload.json'])
    const child = spawn(electron, [projectRoot], { cwd: projectRoot, detached: true, stdio: 'ignore' })
    child.unref()
    console.log(`Reading Workstation started in Electron (pid ${child.pid}).`)
    return
  }
  console.log('Electron binary not installed (its download needs the internet), so the workstation is served to a browser instead.')
  await startInBrowser(dataDir)
}

main().catch((error: unknown) => {
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})
