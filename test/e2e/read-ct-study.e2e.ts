/**
 * The walking skeleton end to end, in Debian's Chromium: log in, see the worklist, open
 * the CT phantom, watch it cache, read it with the mouse — checked on the canvas pixels.
 */
import { expect, test, type Page } from '@playwright/test'
import { FIRST_VIEWPORT, viewportCanvasStats } from './canvas-pixels.ts'
import { logIn, useDemoServer } from './demo-server-fixture.ts'

const CT_STUDY_UID = '1.3.46.670589.33.1.27492712521914879309.27169771283235650014'
const demo = useDemoServer()

function watchPageErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) errors.push(`csp: ${message.text()}`)
  })
  return errors
}

test('login errors are clear: wrong password, unreachable server', async ({ page }) => {
  await page.goto(demo.server.url)
  await expect(page.getByRole('heading', { name: 'ログイン' })).toBeVisible()
  await expect(page.getByLabel('読影サーバー')).toHaveValue(demo.server.url)

  await logIn(page, 'reader1', 'not-the-password')
  await expect(page.getByRole('alert')).toHaveText('ユーザー名またはパスワードが正しくありません。')

  await page.getByLabel('読影サーバー').fill('http://127.0.0.1:9')
  await logIn(page, 'reader1')
  await expect(page.getByRole('alert')).toContainText('サーバーに接続できません')
})

test('a reader logs in, opens the CT from the worklist and reads it on the GPU path', async ({ page }, testInfo) => {
  const errors = watchPageErrors(page)
  await page.goto(demo.server.url)
  await logIn(page, 'reader1')

  const rows = page.getByTestId('worklist-row')
  await expect(rows.first()).toBeVisible()
  const ctRow = page.locator(`[data-testid="worklist-row"][data-study-uid="${CT_STUDY_UID}"]`)
  await expect(ctRow).toContainText('CT')
  await expect(ctRow).toContainText('至急')

  await ctRow.getByRole('button', { name: '開く' }).click()
  const progress = page.getByTestId('cache-progress')
  await expect(progress).toBeVisible()
  await expect(progress).toHaveAttribute('max', '28')
  await expect(progress).toHaveAttribute('value', '28', { timeout: 60_000 })

  const viewport = page.locator(FIRST_VIEWPORT).getByTestId('stack-viewport')
  await expect(viewport).toHaveAttribute('data-render-path', 'gpu', { timeout: 60_000 })
  await expect(page.locator(FIRST_VIEWPORT).getByTestId('slice-number')).toHaveText('Im: 1 / 28')

  // the phantom, not a black canvas: a large lit area with real contrast
  await expect.poll(async () => (await viewportCanvasStats(page)).litFraction, { timeout: 30_000 }).toBeGreaterThan(0.02)
  const first = await viewportCanvasStats(page)
  expect(first.stdDev).toBeGreaterThan(10)
  await page.screenshot({ path: testInfo.outputPath('ct-phantom-slice-1.png') })
  await testInfo.attach('ct-phantom-slice-1', { path: testInfo.outputPath('ct-phantom-slice-1.png'), contentType: 'image/png' })

  // window/level by left drag
  const box = (await viewport.boundingBox())!
  const cx = box.x + box.width / 2
  const cy = box.y + box.height / 2
  const wlBefore = await page.locator(FIRST_VIEWPORT).getByTestId('window-level').textContent()
  await page.mouse.move(cx, cy)
  await page.mouse.down({ button: 'left' })
  await page.mouse.move(cx + 120, cy + 60, { steps: 8 })
  await page.mouse.up({ button: 'left' })
  await expect(page.locator(FIRST_VIEWPORT).getByTestId('window-level')).not.toHaveText(wlBefore ?? '')
  const afterWl = await viewportCanvasStats(page)
  expect(afterWl.checksum).not.toBe(first.checksum)

  // zoom by right drag
  const zoomText = () => page.locator(FIRST_VIEWPORT).locator('.viewport-overlay__corner--bl').textContent()
  const zoomBefore = await zoomText()
  await page.mouse.move(cx, cy)
  await page.mouse.down({ button: 'right' })
  await page.mouse.move(cx, cy - 100, { steps: 8 })
  await page.mouse.up({ button: 'right' })
  await expect.poll(zoomText).not.toBe(zoomBefore)

  // pan by middle drag moves the image
  const beforePan = await viewportCanvasStats(page)
  await page.mouse.move(cx, cy)
  await page.mouse.down({ button: 'middle' })
  await page.mouse.move(cx + 80, cy + 40, { steps: 8 })
  await page.mouse.up({ button: 'middle' })
  await expect.poll(async () => (await viewportCanvasStats(page)).checksum).not.toBe(beforePan.checksum)

  // wheel to the last slice
  await page.mouse.move(cx, cy)
  for (let i = 0; i < 27; i++) {
    await page.mouse.wheel(0, 120)
    await expect(page.locator(FIRST_VIEWPORT).getByTestId('slice-number')).toHaveText(`Im: ${i + 2} / 28`)
  }
  await page.mouse.wheel(0, 120)
  await expect(page.locator(FIRST_VIEWPORT).getByTestId('slice-number')).toHaveText('Im: 28 / 28')
  await expect(viewport).toHaveAttribute('data-slice-index', '27')
  await expect(viewport).toHaveAttribute('data-render-path', 'gpu')
  const last = await viewportCanvasStats(page)
  // the last slice holds only the rim of the phantom: little, but not nothing
  expect(last.litFraction).toBeGreaterThan(0.001)
  expect(last.checksum).not.toBe(afterWl.checksum)

  await expect(page.locator(FIRST_VIEWPORT).locator('.viewport-overlay__corner--tl')).toContainText('さくらクリニック')
  await page.screenshot({ path: testInfo.outputPath('ct-phantom-last-slice.png') })
  await testInfo.attach('ct-phantom-last-slice', { path: testInfo.outputPath('ct-phantom-last-slice.png'), contentType: 'image/png' })
  expect(errors).toEqual([])
})
