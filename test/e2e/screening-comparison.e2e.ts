/**
 * Screening comparisons in Debian's Chromium: a MONOCHROME1 chest X-ray beside its prior
 * (bones white on dark, checked against the file's stored values) and in flicker mode
 * (current and prior alternate; the prior can be registered by drag), and a four-view
 * mammogram hung back to back with the right-breast views mirrored (checked on the pixels),
 * its prior four-view on the second page. Every viewport is on the GPU path.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test, type Page, type TestInfo } from '@playwright/test'
import { crPairStudyUid, deriveCrChestPair } from '../../server/demo-cr-chest-pair.ts'
import { mammographyStudyUid } from '../../server/demo-mammography.ts'
import { readStoredImage } from '../harness/stored-pixels.ts'
import { correlation, sampleViewport, settledText, viewportCanvasStats } from './canvas-pixels.ts'
import { logIn, openStudy, useDemoServer } from './demo-server-fixture.ts'

const DICOM_DIR = fileURLToPath(new URL('../../server/demo-data/dicom', import.meta.url))
const demo = useDemoServer()
const cellSelector = (index: number) => `[data-testid="viewport-cell"][data-cell="${index}"]`
const cell = (page: Page, index: number) => page.locator(cellSelector(index))

async function attachScreenshot(page: Page, testInfo: TestInfo, name: string) {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`) })
  await testInfo.attach(name, { path: testInfo.outputPath(`${name}.png`), contentType: 'image/png' })
}

test('chest X-ray beside its prior, MONOCHROME1 shown bones-white, and flicker with registration', async ({ page }, testInfo) => {
  // the current image as the server holds it, to compare with what is drawn
  const folder = await mkdtemp(path.join(os.tmpdir(), 'rw-cr-'))
  const [current] = await deriveCrChestPair(DICOM_DIR, 'current')
  const file = path.join(folder, 'current.dcm')
  await writeFile(file, current!.bytes)
  const stored = await readStoredImage(file)
  await rm(folder, { recursive: true, force: true })
  expect(stored.photometricInterpretation).toBe('MONOCHROME1')

  await page.goto(demo.server.url)
  await logIn(page, 'reader1')
  await openStudy(page, crPairStudyUid('current'))
  const area = page.locator('.viewer-area')
  await expect(area).toHaveAttribute('data-protocol', 'chest-compare', { timeout: 60_000 })
  for (const i of [0, 1]) {
    await expect(cell(page, i).getByTestId('stack-viewport')).toHaveAttribute('data-render-path', 'gpu', { timeout: 60_000 })
    await expect.poll(async () => (await viewportCanvasStats(page, cellSelector(i))).litFraction, { timeout: 30_000 }).toBeGreaterThan(0.05)
  }
  await expect(cell(page, 1)).toHaveAttribute('data-role', 'prior')
  await attachScreenshot(page, testInfo, 'chest-compare')

  // MONOCHROME1: a high stored value is dark on screen, so drawn and stored values anti-correlate
  const box = (await cell(page, 0).getByTestId('stack-viewport').boundingBox())!
  const scale = Math.min(box.width / stored.columns, box.height / stored.rows)
  const points: [number, number][] = []
  const values: number[] = []
  for (let gy = 1; gy < 16; gy++) {
    for (let gx = 1; gx < 16; gx++) {
      const x = Math.floor((gx / 16) * stored.columns)
      const y = Math.floor((gy / 16) * stored.rows)
      points.push([box.width / 2 + (x + 0.5 - stored.columns / 2) * scale, box.height / 2 + (y + 0.5 - stored.rows / 2) * scale])
      values.push(stored.at(x, y))
    }
  }
  const drawn = await sampleViewport(page, `${cellSelector(0)} [data-testid="stack-viewport"]`, points)
  expect(correlation(values, drawn)).toBeLessThan(-0.8)

  // a length on the chest (an image without a frame of reference) is kept with the draft like any other
  await cell(page, 0).click()
  await page.keyboard.press('l')
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5)
  await page.mouse.down()
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5, { steps: 8 })
  await page.mouse.up()
  const chestLength = cell(page, 0).locator('svg text', { hasText: / (mm|px)$/ })
  await expect(chestLength).toHaveCount(1, { timeout: 10_000 })
  const chestLengthText = await settledText(chestLength)
  await page.keyboard.press('w')

  // flicker: one viewport alternating current and prior
  await cell(page, 0).click()
  await page.keyboard.press('x')
  const flicker = page.getByTestId('flicker-viewer')
  await expect(flicker).toBeVisible()
  await expect(page.getByTestId('flicker-viewport')).toHaveAttribute('data-render-path', 'gpu', { timeout: 30_000 })
  await expect(flicker).toHaveAttribute('data-showing', 'prior', { timeout: 5_000 })
  await expect(flicker).toHaveAttribute('data-showing', 'current', { timeout: 5_000 })
  // pause on each and compare the pixels: the prior is shifted, so they differ (slowly, so that a pause lands where meant)
  await page.getByLabel('切替速度').selectOption('0.5')
  const checksums = new Map<string, number>()
  for (const showing of ['current', 'prior'] as const) {
    await expect(flicker).toHaveAttribute('data-showing', showing, { timeout: 5_000 })
    await page.getByRole('button', { name: '一時停止' }).click()
    await expect(flicker).toHaveAttribute('data-showing', showing)
    await expect.poll(async () => (await viewportCanvasStats(page, '[data-testid="flicker-viewer"]')).litFraction).toBeGreaterThan(0.05)
    checksums.set(showing, (await viewportCanvasStats(page, '[data-testid="flicker-viewer"]')).checksum)
    await attachScreenshot(page, testInfo, `chest-flicker-${showing}`)
    await page.getByRole('button', { name: '再生' }).click()
  }
  expect(checksums.get('current')).not.toBe(checksums.get('prior'))

  // registration: dragging moves only the prior
  await expect(flicker).toHaveAttribute('data-showing', 'prior', { timeout: 5_000 })
  await page.getByRole('button', { name: '一時停止' }).click()
  const before = (await viewportCanvasStats(page, '[data-testid="flicker-viewer"]')).checksum
  const stage = (await page.getByTestId('flicker-viewport').boundingBox())!
  await page.mouse.move(stage.x + stage.width / 2, stage.y + stage.height / 2)
  await page.mouse.down()
  await page.mouse.move(stage.x + stage.width / 2 - 12, stage.y + stage.height / 2 - 8, { steps: 4 })
  await page.mouse.up()
  await expect(page.locator('.flicker-viewer__stage')).toHaveAttribute('data-registration', '-12,-8')
  await expect.poll(async () => (await viewportCanvasStats(page, '[data-testid="flicker-viewer"]')).checksum).not.toBe(before)

  // after a restart the chest's measurement is back on its image
  await page.waitForTimeout(600)
  await page.reload()
  await openStudy(page, crPairStudyUid('current'))
  await expect(cell(page, 0).getByTestId('stack-viewport')).toHaveAttribute('data-render-path', 'gpu', { timeout: 60_000 })
  await expect(cell(page, 0).locator('svg text', { hasText: / (mm|px)$/ })).toHaveText(chestLengthText, { timeout: 30_000 })
})

test('four-view mammogram back to back, right views mirrored, prior on page 2', async ({ page }, testInfo) => {
  await page.goto(demo.server.url)
  await logIn(page, 'reader1')
  await openStudy(page, mammographyStudyUid('current'))
  const area = page.locator('.viewer-area')
  await expect(area).toHaveAttribute('data-protocol', 'mammo-four-view', { timeout: 60_000 })
  await expect(area).toHaveAttribute('data-layout', '2x2')
  const labels = ['RCC', 'LCC', 'RMLO', 'LMLO']
  for (const [i, label] of labels.entries()) {
    await expect(cell(page, i)).toHaveAttribute('data-label', new RegExp(`^${label}`))
    await expect(cell(page, i).getByTestId('stack-viewport')).toHaveAttribute('data-render-path', 'gpu', { timeout: 90_000 })
    await expect.poll(async () => (await viewportCanvasStats(page, cellSelector(i))).litFraction, { timeout: 90_000 }).toBeGreaterThan(0.05)
    // right-breast views (left column) are mirrored so that the chest walls meet in the middle
    await expect(cell(page, i).getByTestId('stack-viewport')).toHaveAttribute('data-flip-horizontal', String(label.startsWith('R')))
  }
  await attachScreenshot(page, testInfo, 'mammo-four-view')

  // the derived views share their pixels: RCC drawn is LCC drawn mirrored
  const box = (await cell(page, 0).getByTestId('stack-viewport').boundingBox())!
  const points: [number, number][] = []
  for (let gy = 1; gy < 20; gy++) for (let gx = 1; gx < 20; gx++) points.push([(gx / 20) * box.width, (gy / 20) * box.height])
  const right = await sampleViewport(page, `${cellSelector(0)} [data-testid="stack-viewport"]`, points)
  const leftMirrored = await sampleViewport(page, `${cellSelector(1)} [data-testid="stack-viewport"]`, points.map(([x, y]) => [box.width - x, y] as [number, number]))
  const leftAsIs = await sampleViewport(page, `${cellSelector(1)} [data-testid="stack-viewport"]`, points)
  expect(correlation(right, leftMirrored)).toBeGreaterThan(0.9)
  expect(correlation(right, leftMirrored)).toBeGreaterThan(correlation(right, leftAsIs) + 0.2)

  // page 2: the prior four-view
  await cell(page, 0).click()
  await page.keyboard.press('n')
  await expect(area).toHaveAttribute('data-page', '1')
  for (const [i, label] of labels.entries()) {
    await expect(cell(page, i)).toHaveAttribute('data-role', 'prior')
    await expect(cell(page, i)).toHaveAttribute('data-label', new RegExp(`^${label} 前回`))
    await expect(cell(page, i).getByTestId('stack-viewport')).toHaveAttribute('data-render-path', 'gpu', { timeout: 90_000 })
  }
  await expect.poll(async () => (await viewportCanvasStats(page, cellSelector(3))).litFraction, { timeout: 90_000 }).toBeGreaterThan(0.05)
  await attachScreenshot(page, testInfo, 'mammo-prior-four-view')
})
