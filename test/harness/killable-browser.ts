/**
 * Chromium on a profile folder of its own, which a test can kill the way a crash or a power
 * button does: SIGKILL to the whole process group (browser, renderers, GPU and utility
 * processes) — no unload handlers, no graceful IndexedDB shutdown — and then start again on
 * the same folder. Linux only (it reads /proc), as the tests that use it are.
 */
import { readdir, readFile } from 'node:fs/promises'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { CHROMIUM_ARGS, requireChromium } from '../e2e/chromium-launch.ts'

export interface KillableBrowser {
  readonly context: BrowserContext
  /** The first tab. */
  readonly page: Page
  /** The browser process; also its process group. */
  readonly pid: number
  /** SIGKILL to the process group; resolves once none of its processes is left. */
  kill(): Promise<void>
  /** A normal shutdown (for the end of a test). */
  close(): Promise<void>
}

export interface LaunchOptions {
  viewport?: { width: number; height: number }
}

interface ProcessInfo {
  pid: number
  state: string
  pgrp: number
  cmdline: string[]
}

/** Every process still alive (zombies left out: they hold nothing). */
async function listProcesses(): Promise<ProcessInfo[]> {
  const found: ProcessInfo[] = []
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8')
      // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so read after the last ')'
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (state === 'Z' || state === 'X') continue
      const cmdline = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).split('\0').filter(Boolean)
      found.push({ pid: Number(entry), state: state!, pgrp: Number(pgrp), cmdline })
    } catch {
      // gone while we looked
    }
  }
  return found
}

/** The browser process (not a renderer or helper) running on this profile folder. */
async function findBrowserProcess(userDataDir: string): Promise<ProcessInfo> {
  const flag = `--user-data-dir=${userDataDir}`
  for (let i = 0; i < 50; i++) {
    const browser = (await listProcesses()).find((p) => p.cmdline.includes(flag) && !p.cmdline.some((a) => a.startsWith('--type=')))
    if (browser) return browser
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`no Chromium browser process found for ${userDataDir}`)
}

/** Starts Chromium (headless, the project's binary and flags) on the profile folder. */
export async function launchKillableBrowser(userDataDir: string, options: LaunchOptions = {}): Promise<KillableBrowser> {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: requireChromium(),
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: options.viewport ?? { width: 1400, height: 900 },
  })
  const page = context.pages()[0] ?? (await context.newPage())
  const browser = await findBrowserProcess(userDataDir)
  // Playwright starts the browser detached, as the leader of a process group of its own: the
  // group is every process the browser started, and only those
  if (browser.pgrp !== browser.pid) throw new Error(`Chromium ${browser.pid} does not lead its process group (${browser.pgrp}): killing the group would hit others`)
  const pid = browser.pid
  let killed = false
  return {
    context,
    page,
    pid,
    async kill() {
      killed = true
      process.kill(-pid, 'SIGKILL')
      const deadline = Date.now() + 15_000
      for (;;) {
        const left = (await listProcesses()).filter((p) => p.pgrp === pid)
        if (left.length === 0) break
        if (Date.now() > deadline) throw new Error(`Chromium processes survived SIGKILL: ${left.map((p) => p.pid).join(', ')}`)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      // Playwright notices the lost connection; closing only releases its side
      await context.close().catch(() => undefined)
    },
    async close() {
      if (!killed) await context.close()
    },
  }
}
