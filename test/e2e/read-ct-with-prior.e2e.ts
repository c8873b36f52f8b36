/**
 * The reading viewer on the CT phantom and its prior, in Debian's Chromium: the hanging
 * protocol puts them side by side with synchronised scrolling; probe and length measure what
 * the file says (computed here from the DICOM bytes, not by the workstation); measurements
 * and key images are kept with the draft across a reload; layouts, presets, invert, rotate
 * and the shortcut sheet work from the keyboard; every viewport stays on the GPU path.
 */
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test, type Page } from '@playwright/test'
import { PRIOR_SLICES_CUT } from '../../server/demo-ct-prior.ts'
import { readStoredImage, type StoredImage } from '../harness/stored-pixels.ts'
import { settledText, viewportCanvasStats } from './canvas-pixels.ts'
import { logIn, openStudy, useDemoServer } from './demo-server-fixture.ts'

const CT_STUDY_UID = '1.3.46.670589.33.1.27492712521914879309.27169771283235650014'
const CT_DIR = fileURLToPath(new URL('../../server/demo-data/dicom/ct-phantom', import.meta.url))
const demo = useDemoServer()

const cell = (page: Page, index: number) => page.locator(`[data-testid="viewport-cell"][data-cell="${index}"]`)
const cellSelector = (index: number) => `[data-testid="viewport-cell"][data-cell="${index}"]`

async function ctByInstanceNumber(): Promise<Map<number, StoredImage>> {
  const images = await Promise.all((await readdir(CT_DIR)).map((name) => readStoredImage(path.join(CT_DIR, name))))
  return new Map(images.map((image) => [image.instanceNumber, image]))
}

/** Where the image's pixel (x, y) is drawn, for an image fitted (and centred) in the viewport. */
async function canvasPointOf(page: Page, index: number, image: { columns: number; rows: number }, x: number, y: number) {
  const box = (await cell(page, index).getByTestId('stack-viewport').boundingBox())!
  const scale = Math.min(box.width / image.columns, box.height / image.rows)
  return { x: box.x + box.width / 2 + (x + 0.5 - image.columns / 2) * scale, y: box.y + box.height / 2 + (y + 0.5 - image.rows / 2) * scale, scale }
}

async function openCt(page: Page) {
  await page.goto(demo.server.url)
  if (await page.getByRole('heading', { name: 'ログイン' }).isVisible().catch(() => false)) await logIn(page, 'reader1')
  await openStudy(page, CT_STUDY_UID)
  await expect(page.getByTestId('cache-progress')).toHaveAttribute('value', '28', { timeout: 60_000 })
  for (const i of [0, 1]) await expect(cell(page, i).getByTestId('stack-viewport')).toHaveAttribute('data-render-path', 'gpu', { timeout: 60_000 })
}

async function instanceNumberShown(page: Page, index: number): Promise<number> {
  const text = (await cell(page, index).locator('.viewport-overlay__corner--bl').textContent()) ?? ''
  const match = /In: (\d+)/.exec(text)
  if (!match) throw new Error(`no instance number in the overlay: ${text}`)
  return Number(match[1])
}

test('CT beside its prior: synchronised scroll, probe HU and length mm from the file, kept with the draft', async ({ page }, testInfo) => {
  await page.goto(demo.server.url)
  await logIn(page, 'reader1')
  await openCt(page)
  const area = page.locator('.viewer-area')
  await expect(area).toHaveAttribute('data-protocol', 'ct-mr-compare')
  await expect(area).toHaveAttribute('data-layout', '1x2')
  await expect(cell(page, 0)).toHaveAttribute('data-role', 'current')
  await expect(cell(page, 1)).toHaveAttribute('data-role', 'prior')
  for (const i of [0, 1]) await expect.poll(async () => (await viewportCanvasStats(page, cellSelector(i))).litFraction, { timeout: 30_000 }).toBeGreaterThan(0.02)
  await page.screenshot({ path: testInfo.outputPath('ct-compare.png') })
  await testInfo.attach('ct-compare', { path: testInfo.outputPath('ct-compare.png'), contentType: 'image/png' })

  // scrolling the current study moves the prior to the slice at the same position
  await cell(page, 0).click()
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowDown')
  // the prior lacks the first and last PRIOR_SLICES_CUT slices: the same position is another index there
  await expect(cell(page, 0).getByTestId('slice-number')).toHaveText('Im: 6 / 28')
  await expect(cell(page, 1).getByTestId('slice-number')).toHaveText(`Im: ${6 - PRIOR_SLICES_CUT} / ${28 - 2 * PRIOR_SLICES_CUT}`)
  await page.keyboard.press('End')
  await expect(cell(page, 0).getByTestId('slice-number')).toHaveText('Im: 28 / 28')
  await expect(cell(page, 1).getByTestId('slice-number')).toHaveText(`Im: ${28 - 2 * PRIOR_SLICES_CUT} / ${28 - 2 * PRIOR_SLICES_CUT}`)
  await page.keyboard.press('Home')
  await expect(cell(page, 1).getByTestId('slice-number')).toHaveText(`Im: 1 / ${28 - 2 * PRIOR_SLICES_CUT}`)

  // probe at the image centre: the value is the file's stored value × slope + intercept there
  const files = await ctByInstanceNumber()
  const image = files.get(await instanceNumberShown(page, 0))!
  const centre = await canvasPointOf(page, 0, image, image.columns / 2, image.rows / 2)
  await page.keyboard.press('d')
  await page.mouse.click(centre.x, centre.y)
  const probeText = cell(page, 0).locator('svg text', { hasText: 'HU' })
  await expect(probeText).toHaveCount(1, { timeout: 10_000 })
  // Cornerstone writes the probe's text as lines of one SVG text: '(x, y, slice)' then 'value HU'
  const probe = await settledText(probeText)
  const [, x, y] = /\((\d+), (\d+), \d+\)/.exec(probe)!.map(Number) as [number, number, number]
  expect(Math.abs(x - image.columns / 2)).toBeLessThanOrEqual(1)
  expect(Math.abs(y - image.rows / 2)).toBeLessThanOrEqual(1)
  const expectedHu = image.at(x, y) * image.rescaleSlope + image.rescaleIntercept
  const shownHu = Number.parseFloat(/(-?[\d.]+) HU/.exec(probe)![1]!)
  expect(Math.abs(shownHu - expectedHu)).toBeLessThan(0.5)

  // a 240-pixel horizontal line measures 240 / scale image pixels × the file's column spacing
  await page.keyboard.press('l')
  const from = await canvasPointOf(page, 0, image, image.columns / 4, image.rows / 4)
  await page.mouse.move(from.x, from.y)
  await page.mouse.down()
  await page.mouse.move(from.x + 240, from.y, { steps: 10 })
  await page.mouse.up()
  const lengthText = cell(page, 0).locator('svg text', { hasText: / mm$/ })
  await expect(lengthText).toHaveCount(1, { timeout: 10_000 })
  const expectedMm = (240 / from.scale) * image.pixelSpacing![1]
  const lengthShown = await settledText(lengthText)
  const shownMm = Number.parseFloat(lengthShown)
  expect(Math.abs(shownMm - expectedMm) / expectedMm).toBeLessThan(0.01)

  // a key image, marked with K, listed in the strip
  await page.keyboard.press('k')
  await expect(page.getByTestId('key-image-item')).toHaveCount(1)
  await page.screenshot({ path: testInfo.outputPath('ct-measured.png') })
  await testInfo.attach('ct-measured', { path: testInfo.outputPath('ct-measured.png'), contentType: 'image/png' })

  // measurements and key images are part of the draft: they are back after a reload
  await page.waitForTimeout(600) // the draft is saved 250 ms after a change
  await page.reload()
  await openCt(page)
  await expect(cell(page, 0).locator('svg text', { hasText: / mm$/ })).toHaveText(lengthShown, { timeout: 30_000 })
  await expect(cell(page, 0).locator('svg text', { hasText: 'HU' })).toHaveCount(1)
  await expect(page.getByTestId('key-image-item')).toHaveCount(1)
  // K again on the same image unmarks it
  await cell(page, 0).click({ position: { x: 5, y: 5 } })
  await page.keyboard.press('w')
  await page.keyboard.press('k')
  await expect(page.getByTestId('key-image-item')).toHaveCount(0)
})

test('layouts, presets, invert, rotate and the shortcut sheet, by keyboard; every viewport on the GPU', async ({ page }, testInfo) => {
  await page.goto(demo.server.url)
  await logIn(page, 'reader1')
  await openCt(page)
  await cell(page, 0).click()

  // CT presets by digit: 3 is the lung window
  await page.keyboard.press('3')
  await expect(cell(page, 0).getByTestId('window-level')).toContainText('W: 1500 L: -600')
  const lung = await viewportCanvasStats(page, cellSelector(0))
  await page.keyboard.press('i')
  await expect(cell(page, 0).getByTestId('stack-viewport')).toHaveAttribute('data-invert', 'true')
  await expect.poll(async () => (await viewportCanvasStats(page, cellSelector(0))).checksum).not.toBe(lung.checksum)
  await page.keyboard.press('r')
  await expect(cell(page, 0).getByTestId('stack-viewport')).toHaveAttribute('data-rotation', '90')
  await page.keyboard.press('h')
  await expect(cell(page, 0).getByTestId('stack-viewport')).toHaveAttribute('data-flip-horizontal', 'true')
  await page.keyboard.press('Shift+R')
  await expect(cell(page, 0).getByTestId('stack-viewport')).toHaveAttribute('data-rotation', '0')
  await expect(cell(page, 0).getByTestId('stack-viewport')).toHaveAttribute('data-invert', 'false')

  // every layout renders its cells; the ones showing a series are on the GPU path with pixels
  const expectedCells = { '1x1': 1, '1x2': 2, '2x1': 2, '2x2': 4, '1x3': 3 } as const
  for (const [layout, count] of Object.entries(expectedCells)) {
    await page.getByLabel('レイアウト').selectOption(layout)
    await expect(page.getByTestId('viewport-cell')).toHaveCount(count)
    const shown = await page.locator('[data-testid="viewport-cell"] [data-testid="stack-viewport"]').count()
    expect(shown).toBeGreaterThanOrEqual(1)
    for (let i = 0; i < shown; i++) {
      const viewport = page.locator('[data-testid="viewport-cell"] [data-testid="stack-viewport"]').nth(i)
      await expect(viewport).toHaveAttribute('data-render-path', 'gpu', { timeout: 30_000 })
    }
    await expect.poll(async () => (await viewportCanvasStats(page, cellSelector(0))).litFraction, { timeout: 30_000 }).toBeGreaterThan(0.01)
    await page.screenshot({ path: testInfo.outputPath(`layout-${layout}.png`) })
    await testInfo.attach(`layout-${layout}`, { path: testInfo.outputPath(`layout-${layout}.png`), contentType: 'image/png' })
  }
  // a series dropped from the browser fills an empty cell
  await page.getByLabel('レイアウト').selectOption('2x2')
  await page.getByTestId('series-item').first().dragTo(cell(page, 3))
  await expect(cell(page, 3).getByTestId('stack-viewport')).toHaveAttribute('data-render-path', 'gpu', { timeout: 30_000 })

  // the reader keeps 2×2 as their layout for CT/MR comparisons: the next opening uses it
  await page.getByRole('button', { name: 'このレイアウトを既定に' }).click()
  await page.reload()
  await openCt(page)
  await expect(page.locator('.viewer-area')).toHaveAttribute('data-layout', '2x2')
  await expect(page.getByTestId('viewport-cell')).toHaveCount(4)

  await cell(page, 0).click()
  await page.locator('body').press('?')
  const sheet = page.getByRole('dialog')
  await expect(sheet).toBeVisible()
  await expect(sheet).toContainText('キー画像')
})

test('multi-frame ultrasound plays as a cine loop, and the rate follows the keyboard', async ({ page }, testInfo) => {
  await page.goto(demo.server.url)
  await logIn(page, 'reader1')
  await openStudy(page, '1.3.6.1.4.1.25403.166563008443.732.20120418082458.1')
  const area = page.locator('.viewer-area')
  await expect(area).toHaveAttribute('data-protocol', 'us-cine', { timeout: 60_000 })
  const viewport = cell(page, 0).getByTestId('stack-viewport')
  await expect(viewport).toHaveAttribute('data-render-path', 'gpu', { timeout: 60_000 })
  await expect(viewport).toHaveAttribute('data-cine', 'true')
  // the frames advance by themselves: several different frames are seen within two seconds
  const seen = new Set<string>()
  const until = Date.now() + 2_000
  while (Date.now() < until) {
    seen.add((await viewport.getAttribute('data-slice-index')) ?? '')
    await page.waitForTimeout(50)
  }
  expect(seen.size).toBeGreaterThanOrEqual(3)
  await expect.poll(async () => (await viewportCanvasStats(page, cellSelector(0))).litFraction, { timeout: 30_000 }).toBeGreaterThan(0.02)
  await page.screenshot({ path: testInfo.outputPath('us-cine.png') })
  await testInfo.attach('us-cine', { path: testInfo.outputPath('us-cine.png'), contentType: 'image/png' })
  // C stops it
  await cell(page, 0).click()
  await page.keyboard.press('c')
  await expect(viewport).toHaveAttribute('data-cine', 'false')
  await page.waitForTimeout(300) // a frame already on its way may still land
  const stopped = await viewport.getAttribute('data-slice-index')
  await page.waitForTimeout(500)
  await expect(viewport).toHaveAttribute('data-slice-index', stopped ?? '')
})
