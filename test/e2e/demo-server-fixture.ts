/**
 * The reference reading server as an end-to-end test file needs it: seeded with the demo,
 * serving the built workstation, in a temporary data folder that is removed afterwards.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test, type Page } from '@playwright/test'
import { DEMO_PASSWORD } from '../../server/demo-seed.ts'
import { startReadingServer, type ReadingServerOptions, type RunningReadingServer } from '../../server/start-reading-server.ts'
import { failOnCspViolations } from './csp-violations.ts'

export const APP_DIR = fileURLToPath(new URL('../../dist/renderer', import.meta.url))

export interface DemoServer {
  /** The running server (valid inside tests). */
  readonly server: RunningReadingServer
  readonly dataDir: string
  /** Replaces the running server (after a test stopped and restarted it). */
  replace(next: RunningReadingServer): void
}

/** Starts a demo server before this file's tests and removes it after them; its tests fail on any CSP violation. */
export function useDemoServer(options: Partial<ReadingServerOptions> = {}): DemoServer {
  let server: RunningReadingServer | undefined
  let dataDir: string | undefined
  // every test of a file that uses the demo server also fails on a CSP violation
  failOnCspViolations()
  test.beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'rw-e2e-'))
    server = await startReadingServer({ dataDir, port: 0, seedDemo: true, appDir: APP_DIR, ...options })
  })
  test.afterAll(async () => {
    await server?.close()
    if (dataDir) await rm(dataDir, { recursive: true, force: true })
  })
  return {
    get server() {
      if (!server) throw new Error('the demo server runs only inside tests')
      return server
    },
    get dataDir() {
      if (!dataDir) throw new Error('the demo server runs only inside tests')
      return dataDir
    },
    replace(next) {
      server = next
    },
  }
}

/** Fills in the login form (optionally with another server URL) and logs in. */
export async function logIn(page: Page, username: string, password: string = DEMO_PASSWORD, serverUrl?: string): Promise<void> {
  if (serverUrl) await page.getByLabel('読影サーバー').fill(serverUrl)
  await page.getByLabel('ユーザー名').fill(username)
  await page.getByLabel('パスワード').fill(password)
  await page.getByRole('button', { name: 'ログイン' }).click()
}

/** Opens a study from the worklist by its Study Instance UID. */
export async function openStudy(page: Page, studyInstanceUid: string): Promise<void> {
  const row = page.locator(`[data-testid="worklist-row"][data-study-uid="${studyInstanceUid}"]`)
  await expect(row).toBeVisible({ timeout: 30_000 })
  await row.getByRole('button', { name: '開く' }).click()
}
