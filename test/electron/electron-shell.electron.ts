/**
 * The desktop shell itself: the app starts its built-in server, serves the renderer from
 * app://, keeps Node out of the renderer, and exposes only the typed desktop bridge.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test'

const projectRoot = fileURLToPath(new URL('../..', import.meta.url))
let app: ElectronApplication
let userData: string

test.beforeAll(async () => {
  userData = await mkdtemp(path.join(os.tmpdir(), 'rw-electron-'))
  app = await electron.launch({ args: [projectRoot, `--user-data-dir=${userData}`], cwd: projectRoot })
})

test.afterAll(async () => {
  await app?.close()
  await rm(userData, { recursive: true, force: true })
})

test('opens the workstation from app:// with the login screen', async () => {
  const window = await app.firstWindow()
  await expect(window.getByRole('heading', { name: 'ログイン' })).toBeVisible({ timeout: 60_000 })
  expect(window.url()).toMatch(/^app:\/\/workstation\//)
})

test('the renderer has no Node and sees only the desktop bridge', async () => {
  const window = await app.firstWindow()
  const probe = await window.evaluate(() => {
    const scope = globalThis as unknown as Record<string, unknown>
    return { require: typeof scope.require, process: typeof scope.process, bridge: Object.keys((scope.readingDesktop as object | undefined) ?? {}).sort() }
  })
  expect(probe).toEqual({ require: 'undefined', process: 'undefined', bridge: ['app', 'credentials'] })
})

test('the built-in server runs on loopback and answers', async () => {
  const window = await app.firstWindow()
  const info = await window.evaluate(() => (globalThis as unknown as { readingDesktop: { app: { info(): Promise<{ shell: string; builtInServerUrl: string }> } } }).readingDesktop.app.info())
  expect(info.shell).toBe('electron')
  expect(info.builtInServerUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  const health = await fetch(`${info.builtInServerUrl}/api/v1/health`)
  expect(health.ok).toBe(true)
})

test('navigation away from the app is refused', async () => {
  const window = await app.firstWindow()
  await window.evaluate(() => {
    globalThis.location.href = 'https://example.com/'
  })
  await window.waitForTimeout(500)
  expect(window.url()).toMatch(/^app:\/\/workstation\//)
})
