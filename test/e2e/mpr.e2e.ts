/**
 * MPR from the local cache, in Debian's Chromium: the CT phantom in three planes on the GPU
 * path, checked on the canvas pixels against the phantom's extent computed here from the
 * DICOM files; slab + MIP change the image; series that are not volumes are refused in words.
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { expect, test, type Page, type TestInfo } from '@playwright/test'
import dicomParser from 'dicom-parser'
import { demoDicomDir } from '../../server/demo-seed.ts'
import { viewportCanvasStats, type CanvasStats } from './canvas-pixels.ts'
import { logIn, openStudy, useDemoServer } from './demo-server-fixture.ts'

const CT_STUDY_UID = '1.3.46.670589.33.1.27492712521914879309.27169771283235650014'
const SCOUT_STUDY_UID = '1.3.46.670589.33.1.15053592413351079234.27718218421047494460'
const MR_STUDY_UID = '1.113654.3.13.1026'
const US_STUDY_UID = '1.3.6.1.4.1.25403.166563008443.732.20120418082458.1'
const PLANES = ['axial', 'sagittal', 'coronal'] as const
type Plane = (typeof PLANES)[number]

const demo = useDemoServer()
/**
 * A frame of a thick slab is ray-cast on the CPU under SwiftShader: with other tests running
 * on the same two cores it can keep the page busy for seconds, so pixel polls wait longer.
 */
const RENDER_TIMEOUT = 30_000

type PlaneStats = CanvasStats

/** Pixel statistics of one MPR plane's canvas, computed in the page. */
function planeStats(page: Page, plane: Plane): Promise<PlaneStats> {
  return viewportCanvasStats(page, `[data-testid="mpr-viewport"][data-orientation="${plane}"]`)
}

/**
 * The phantom's extent in mm, from the DICOM files themselves: the bounding box of voxels
 * above -100 HU (its edges are plastic against air, so the threshold hardly matters), each
 * voxel counted whole (a slice is drawn as thick as the slice spacing).
 */
function phantomExtentMm(): { lr: number; ap: number; si: number } {
  const dir = path.join(demoDicomDir(), 'ct-phantom')
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity]
  const zs: number[] = []
  let pixelSpacing = [0, 0]
  for (const file of readdirSync(dir)) {
    const bytes = readFileSync(path.join(dir, file))
    const ds = dicomParser.parseDicom(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength))
    const columns = ds.uint16('x00280011')!
    const slope = ds.floatString('x00281053') ?? 1
    const intercept = ds.floatString('x00281052') ?? 0
    pixelSpacing = [ds.floatString('x00280030', 0)!, ds.floatString('x00280030', 1)!]
    const element = ds.elements.x7fe00010!
    expect(ds.uint16('x00280100')).toBe(16)
    const signed = ds.uint16('x00280103') === 1
    const view = new DataView(ds.byteArray.buffer, ds.byteArray.byteOffset + element.dataOffset, element.length)
    let any = false
    for (let i = 0; i < element.length / 2; i++) {
      const stored = signed ? view.getInt16(i * 2, true) : view.getUint16(i * 2, true)
      if (stored * slope + intercept <= -100) continue
      any = true
      const x = i % columns
      const y = Math.floor(i / columns)
      x0 = Math.min(x0, x)
      x1 = Math.max(x1, x)
      y0 = Math.min(y0, y)
      y1 = Math.max(y1, y)
    }
    if (any) zs.push(ds.floatString('x00200032', 2)!)
  }
  const sliceSpacing = (Math.max(...zs) - Math.min(...zs)) / (zs.length - 1)
  // rows run along y (pixelSpacing[0]), columns along x (pixelSpacing[1]) for this axial series
  return { lr: (x1 - x0 + 1) * pixelSpacing[1]!, ap: (y1 - y0 + 1) * pixelSpacing[0]!, si: zs.length * sliceSpacing }
}

/** A series' volume size in mm from its files: across its columns, down its rows, and along the stack (slice count × spacing). */
function volumeSizeMm(folder: string): { across: number; down: number; stack: number } {
  const dir = path.join(demoDicomDir(), folder)
  const slices = readdirSync(dir).map((file) => {
    const bytes = readFileSync(path.join(dir, file))
    return dicomParser.parseDicom(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), { untilTag: 'x7fe00010' })
  })
  const first = slices[0]!
  const o = [0, 1, 2, 3, 4, 5].map((i) => first.floatString('x00200037', i)!)
  const normal = [o[1]! * o[5]! - o[2]! * o[4]!, o[2]! * o[3]! - o[0]! * o[5]!, o[0]! * o[4]! - o[1]! * o[3]!]
  const along = slices.map((ds) => [0, 1, 2].reduce((sum, i) => sum + ds.floatString('x00200032', i)! * normal[i]!, 0))
  const spacing = (Math.max(...along) - Math.min(...along)) / (slices.length - 1)
  return {
    across: first.uint16('x00280011')! * first.floatString('x00280030', 1)!,
    down: first.uint16('x00280010')! * first.floatString('x00280030', 0)!,
    stack: slices.length * spacing,
  }
}

async function attachScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const file = testInfo.outputPath(`${name}.png`)
  await page.screenshot({ path: file })
  await testInfo.attach(name, { path: file, contentType: 'image/png' })
}

async function openMpr(page: Page, studyInstanceUid: string, instances: number): Promise<void> {
  await openStudy(page, studyInstanceUid)
  await expect(page.getByTestId('cache-progress')).toHaveAttribute('value', String(instances), { timeout: 60_000 })
  await page.getByRole('button', { name: 'MPR', exact: true }).click()
}

test('MPR shows the CT phantom in three planes on the GPU path; slab and MIP change the image', async ({ page }, testInfo) => {
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`))
  await page.goto(demo.server.url)
  await logIn(page, 'reader1')
  await openMpr(page, CT_STUDY_UID, 28)

  await expect(page.getByTestId('mpr-viewer')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 })
  const viewports = page.getByTestId('mpr-viewport')
  await expect(viewports).toHaveCount(3)
  const thin = {} as Record<Plane, PlaneStats>
  for (const plane of PLANES) {
    const viewport = page.locator(`[data-testid="mpr-viewport"][data-orientation="${plane}"]`)
    await expect(viewport).toHaveAttribute('data-render-path', 'gpu', { timeout: 30_000 })
    // the phantom, not a black canvas
    await expect.poll(async () => (await planeStats(page, plane)).litFraction, { timeout: 30_000 }).toBeGreaterThan(0.02)
    thin[plane] = await planeStats(page, plane)
    expect(thin[plane].stdDev, `${plane} contrast`).toBeGreaterThan(10)
    // crosshairs: the other two planes' lines are drawn over this one
    await expect.poll(() => viewport.locator('svg line').count()).toBeGreaterThanOrEqual(2)
  }
  testInfo.annotations.push({ type: 'thin planes', description: JSON.stringify(thin) })
  // three different planes, not one image three times
  expect(new Set(PLANES.map((p) => thin[p].checksum)).size).toBe(3)
  await attachScreenshot(page, testInfo, 'mpr-ct-phantom-thin')

  // a 30 mm slab without MIP averages: the hollow phantom's thin walls fade into the air
  // around them under this narrow (W 80) window, but do not vanish
  await page.getByLabel('スラブ厚 (mm)').fill('30')
  await expect(page.getByTestId('mpr-viewer')).toHaveAttribute('data-slab-thickness', '30')
  for (const plane of PLANES) {
    await expect.poll(async () => (await planeStats(page, plane)).checksum, { timeout: RENDER_TIMEOUT }).not.toBe(thin[plane].checksum)
    const averaged = await planeStats(page, plane)
    testInfo.annotations.push({ type: `${plane} 30 mm average`, description: JSON.stringify(averaged) })
    expect(averaged.litFraction, `${plane} averaged`).toBeGreaterThan(0.002)
  }

  // a slab through the whole phantom with MIP: its silhouette, whose aspect must be the phantom's
  await page.getByLabel('スラブ厚 (mm)').fill('300')
  await page.getByLabel('MIP').check()
  await expect(page.getByTestId('mpr-viewer')).toHaveAttribute('data-slab-thickness', '300')
  await expect(page.getByTestId('mpr-viewer')).toHaveAttribute('data-mip', 'true')
  const mip = {} as Record<Plane, PlaneStats>
  for (const plane of PLANES) {
    // the maximum over a thick slab is brighter than one slice of it (and than the averages before it)
    await expect.poll(async () => (await planeStats(page, plane)).mean, { timeout: RENDER_TIMEOUT }).toBeGreaterThan(thin[plane].mean * 2)
    mip[plane] = await planeStats(page, plane)
    await expect(page.locator(`[data-testid="mpr-viewport"][data-orientation="${plane}"]`)).toHaveAttribute('data-render-path', 'gpu')
  }
  testInfo.annotations.push({ type: 'MIP planes', description: JSON.stringify(mip) })
  await attachScreenshot(page, testInfo, 'mpr-ct-phantom-mip-300mm')

  const extent = phantomExtentMm()
  testInfo.annotations.push({ type: 'phantom extent (mm)', description: JSON.stringify(extent) })
  // 28 slices of 5 mm
  expect(extent.si).toBeCloseTo(140, 1)
  const aspect = (plane: Plane) => mip[plane].litBox!.width / mip[plane].litBox!.height
  const expected: Record<Plane, number> = { axial: extent.lr / extent.ap, sagittal: extent.ap / extent.si, coronal: extent.lr / extent.si }
  for (const plane of PLANES) {
    expect(mip[plane].litBox, `${plane} silhouette`).not.toBeNull()
    testInfo.annotations.push({ type: `${plane} aspect`, description: `${aspect(plane).toFixed(3)} (expected ${expected[plane].toFixed(3)})` })
    expect(Math.abs(aspect(plane) / expected[plane] - 1), `${plane} aspect ${aspect(plane)} vs ${expected[plane]}`).toBeLessThan(0.04)
  }

  // back to thin slices: the first images again
  await page.getByLabel('MIP').uncheck()
  await page.getByLabel('スラブ厚 (mm)').fill('0')
  await expect(page.getByTestId('mpr-viewer')).toHaveAttribute('data-slab-thickness', '0')
  await expect(page.getByTestId('mpr-viewer')).toHaveAttribute('data-mip', 'false')
  await expect.poll(async () => (await planeStats(page, 'sagittal')).checksum, { timeout: RENDER_TIMEOUT }).toBe(thin.sagittal.checksum)

  // window/level by left drag (away from the crosshair lines) changes the axial image
  const axial = page.locator('[data-testid="mpr-viewport"][data-orientation="axial"]')
  const box = (await axial.boundingBox())!
  const before = await planeStats(page, 'axial')
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3)
  await page.mouse.down({ button: 'left' })
  await page.mouse.move(box.x + box.width * 0.3 + 80, box.y + box.height * 0.3 + 40, { steps: 8 })
  await page.mouse.up({ button: 'left' })
  await expect.poll(async () => (await planeStats(page, 'axial')).checksum, { timeout: RENDER_TIMEOUT }).not.toBe(before.checksum)

  // the wheel moves the axial plane, and the crosshair line in the sagittal plane follows
  const sagittalLines = () => page.locator('[data-testid="mpr-viewport"][data-orientation="sagittal"] svg line').evaluateAll((lines) => lines.map((l) => l.getAttribute('y1')).join(','))
  const linesBefore = await sagittalLines()
  const axialBefore = await planeStats(page, 'axial')
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3)
  for (let i = 0; i < 5; i++) await page.mouse.wheel(0, 120)
  await expect.poll(async () => (await planeStats(page, 'axial')).checksum, { timeout: RENDER_TIMEOUT }).not.toBe(axialBefore.checksum)
  await expect.poll(sagittalLines, { timeout: RENDER_TIMEOUT }).not.toBe(linesBefore)
  for (const plane of PLANES) await expect(page.locator(`[data-testid="mpr-viewport"][data-orientation="${plane}"]`)).toHaveAttribute('data-render-path', 'gpu')
  await attachScreenshot(page, testInfo, 'mpr-ct-phantom-scrolled')

  // closing MPR releases its viewports
  await page.getByRole('button', { name: 'MPR', exact: true }).click()
  await expect(viewports).toHaveCount(0)
  expect(errors).toEqual([])
})

test('a coronal MR acquisition (the wrist, 16 slices 2 mm apart) is a volume too', async ({ page }, testInfo) => {
  await page.goto(demo.server.url)
  await logIn(page, 'reader1')
  await openMpr(page, MR_STUDY_UID, 16)
  await expect(page.getByTestId('mpr-viewer')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 })
  const stats = {} as Record<Plane, PlaneStats>
  for (const plane of PLANES) {
    await expect(page.locator(`[data-testid="mpr-viewport"][data-orientation="${plane}"]`)).toHaveAttribute('data-render-path', 'gpu', { timeout: 30_000 })
    await expect.poll(async () => (await planeStats(page, plane)).litFraction, { timeout: 30_000 }).toBeGreaterThan(0.01)
    stats[plane] = await planeStats(page, plane)
    expect(stats[plane].stdDev, `${plane} contrast`).toBeGreaterThan(5)
  }
  testInfo.annotations.push({ type: 'MR planes', description: JSON.stringify(stats) })
  // the MR's background noise is lit, so each plane's lit box is the whole volume section:
  // acquired coronal, its rows run left-right, its columns head-foot, its stack front-back
  const size = volumeSizeMm('mr-wrist')
  testInfo.annotations.push({ type: 'MR volume (mm)', description: JSON.stringify(size) })
  expect(size.stack).toBeCloseTo(32, 1)
  const expected: Record<Plane, number> = { axial: size.across / size.stack, sagittal: size.stack / size.down, coronal: size.across / size.down }
  for (const plane of PLANES) {
    const box = stats[plane].litBox!
    testInfo.annotations.push({ type: `MR ${plane} aspect`, description: `${(box.width / box.height).toFixed(3)} (expected ${expected[plane].toFixed(3)})` })
    expect(Math.abs(box.width / box.height / expected[plane] - 1), `${plane} aspect`).toBeLessThan(0.04)
  }
  await attachScreenshot(page, testInfo, 'mpr-mr-wrist')
})

test('MPR refuses, in words and without a canvas, a single scout image and an ultrasound cine', async ({ page }, testInfo) => {
  await page.goto(demo.server.url)
  await logIn(page, 'reader1')

  await openMpr(page, SCOUT_STUDY_UID, 1)
  const refused = page.getByTestId('mpr-refused')
  await expect(refused).toBeVisible()
  await expect(refused).toHaveAttribute('role', 'alert')
  await expect(refused).toHaveAttribute('data-reason', 'too-few-slices')
  await expect(refused).toContainText('このシリーズは MPR で表示できません')
  await expect(refused).toContainText('スライスが 3 枚未満')
  await expect(refused).toContainText('The series has 1 image; a volume needs at least 3 slices.')
  await expect(page.getByTestId('mpr-viewport')).toHaveCount(0)
  await expect(page.locator('.viewer-area__images canvas')).toHaveCount(0)
  await attachScreenshot(page, testInfo, 'mpr-refused-scout')

  await page.getByRole('button', { name: 'ワークリストへ戻る' }).click()
  await openMpr(page, US_STUDY_UID, 1)
  await expect(refused).toHaveAttribute('data-reason', 'not-cross-sectional')
  await expect(refused).toContainText('断層画像（CT・MR など）ではありません')
  await expect(page.getByTestId('mpr-viewport')).toHaveCount(0)
  await expect(page.locator('.viewer-area__images canvas')).toHaveCount(0)
  await attachScreenshot(page, testInfo, 'mpr-refused-us-cine')
})
