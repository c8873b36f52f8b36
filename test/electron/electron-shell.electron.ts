/**
 * The desktop shell itself: the app starts its built-in server, serves the renderer from
 * app:// with the shared CSP, keeps Node out of the renderer, exposes only the typed desktop
 * bridge, and refuses navigation, new windows and permission requests.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test'
import { CONTENT_SECURITY_POLICY } from '../../shared/content-security-policy.ts'

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
  expect(probe).toEqual({ require: 'undefined', process: 'undefined', bridge: ['app', 'cache', 'credentials'] })
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

test('window.open is denied: no second window appears and the page gets no handle', async () => {
  const window = await app.firstWindow()
  const handle = await window.evaluate(() => {
    const opened = globalThis.open('https://example.com/', '_blank')
    return opened === null ? 'null' : 'window'
  })
  await window.waitForTimeout(500)
  expect(handle).toBe('null')
  expect(app.windows()).toHaveLength(1)
})

test('permission requests are denied', async () => {
  const window = await app.firstWindow()
  const notification = await window.evaluate(() => Notification.requestPermission())
  expect(notification).toBe('denied')
  const geolocation = await window.evaluate(() => navigator.permissions.query({ name: 'geolocation' }).then((status) => status.state))
  expect(geolocation).toBe('denied')
})

test('the page is served from app:// with the shared Content Security Policy', async () => {
  const window = await app.firstWindow()
  const header = await window.evaluate(async () => (await fetch('app://workstation/index.html')).headers.get('content-security-policy'))
  expect(header).toBe(CONTENT_SECURITY_POLICY)
})

test('the desktop bridge refuses hostile arguments from the page itself', async () => {
  const window = await app.firstWindow()
  const refusal = await window.evaluate(async () => {
    const bridge = (globalThis as unknown as { readingDesktop: { credentials: { save(url: unknown, creds: unknown): Promise<void> } } }).readingDesktop
    const payload = JSON.parse('{"username":"x","accessToken":"t","expiresAt":"2030-01-01T00:00:00Z","__proto__":{"polluted":true}}') as unknown
    return bridge.credentials.save('http://127.0.0.1:8642', payload).then(
      () => 'saved',
      (error: Error) => error.message,
    )
  })
  expect(refusal).toMatch(/credentials:save: refused, invalid arguments/)
})
