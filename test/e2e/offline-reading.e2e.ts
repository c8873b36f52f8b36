/**
 * Offline-first: after logging in, every assigned study and its priors are cached without
 * the reader doing anything; then the reading server goes away and a cached study still
 * opens and reads on the GPU path and a report written meanwhile is queued; when the server
 * returns, the workstation is online again and the queued report is sent.
 * The app is served by one server and the reading API by another, so that stopping the
 * API cuts the network without taking the app's own files away (and every request crosses
 * origins, as from the desktop app's app:// pages).
 */
import { expect, test } from '@playwright/test'
import { startReadingServer, type RunningReadingServer } from '../../server/start-reading-server.ts'
import { FIRST_VIEWPORT, viewportCanvasStats } from './canvas-pixels.ts'
import { APP_DIR, logIn, openStudy, useDemoServer } from './demo-server-fixture.ts'

const CT_STUDY_UID = '1.3.46.670589.33.1.27492712521914879309.27169771283235650014'
/** The reading API, in its own data folder; the app comes from a separate, empty server. */
const api = useDemoServer({ appDir: undefined })
let appServer: RunningReadingServer | undefined

test.beforeAll(async () => {
  appServer = await startReadingServer({ dataDir: null, port: 0, appDir: APP_DIR })
})

test.afterAll(async () => {
  await appServer?.close()
})

test('prefetches the worklist with its priors, then reads a cached study with the server gone', async ({ page }, testInfo) => {
  await page.goto(appServer!.url)
  await logIn(page, 'reader1', undefined, api.server.url)

  const rows = page.getByTestId('worklist-row')
  await expect(rows.first()).toBeVisible()
  const rowCount = await rows.count()
  expect(rowCount).toBeGreaterThanOrEqual(5)
  // every row's study reaches "cached" by itself, progress shown on the way
  await expect(page.locator('[data-testid="cache-state"][data-state="complete"]')).toHaveCount(rowCount, { timeout: 90_000 })
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-online', 'true')
  await page.screenshot({ path: testInfo.outputPath('worklist-cached.png') })

  // the CT's prior (the same patient's other study) is cached too
  const cachedStudies = await page.evaluate(async () => {
    const open = indexedDB.open('reading-workstation')
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      open.onsuccess = () => resolve(open.result)
      open.onerror = () => reject(open.error)
    })
    const all = await new Promise<Array<{ studyInstanceUid: string; complete: boolean }>>((resolve) => {
      const request = db.transaction('studies').objectStore('studies').getAll()
      request.onsuccess = () => resolve(request.result)
    })
    db.close()
    return all.filter((s) => s.complete).map((s) => s.studyInstanceUid)
  })
  expect(cachedStudies.length).toBeGreaterThan(rowCount - 1)

  // cut the network: the reading server stops
  await api.server.close()
  await expect(page.getByTestId('offline-banner')).toBeVisible({ timeout: 60_000 })
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-online', 'false')

  await openStudy(page, CT_STUDY_UID)
  const viewport = page.locator(FIRST_VIEWPORT).getByTestId('stack-viewport')
  await expect(viewport).toHaveAttribute('data-render-path', 'gpu', { timeout: 30_000 })
  await expect(page.locator(FIRST_VIEWPORT).getByTestId('slice-number')).toHaveText('Im: 1 / 28')
  await expect.poll(async () => (await viewportCanvasStats(page)).litFraction, { timeout: 30_000 }).toBeGreaterThan(0.02)
  const box = (await viewport.boundingBox())!
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
  for (let i = 0; i < 5; i++) await page.mouse.wheel(0, 120)
  await expect(page.locator(FIRST_VIEWPORT).getByTestId('slice-number')).toHaveText('Im: 6 / 28')
  await page.screenshot({ path: testInfo.outputPath('offline-ct.png') })

  // a report written offline waits in the outbox (the master was kept when the worklist arrived)
  await page.getByTestId('impression-editor').click()
  await page.keyboard.type('オフラインで読影。頭部ファントム、異常なし。')
  await page.keyboard.press('Control+Enter')
  await expect(page.getByTestId('report-status')).toHaveAttribute('data-status', 'queued')

  // the network comes back: the same server on the same port; the queued report goes out by itself
  api.replace(await startReadingServer({ dataDir: api.dataDir, port: api.server.port }))
  await expect(page.getByTestId('report-status')).toHaveAttribute('data-status', 'sent', { timeout: 60_000 })
  const stored = await api.server.db.query<{ impression: string }>(
    "select r.content->>'impression' as impression from reports r join assignments a on a.id = r.assignment_id where a.study_instance_uid = $1",
    [CT_STUDY_UID],
  )
  expect(stored.rows.map((r) => r.impression)).toEqual(['オフラインで読影。頭部ファントム、異常なし。'])
  await page.getByRole('button', { name: /ワークリストへ戻る/ }).click()
  await expect(page.getByTestId('offline-banner')).toBeHidden({ timeout: 60_000 })
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-online', 'true')
})
