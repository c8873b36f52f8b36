/**
 * The transfer-syntax matrix: every encoding in ../shared/dicom (copied with attribution into
 * test/fixtures/transfer-syntaxes) is decoded by the viewer's own `wscache:` loader and shown
 * in a StackViewport on the GPU path (decode-check.html), and its pixels are compared with a
 * reference decode made in Node by independent decoders (test/harness/reference-decode.ts).
 *
 * Greyscale is compared in stored values: the loader applies the modality LUT while decoding,
 * and the test undoes it with the slope and intercept it reads from the file itself. Colour is
 * compared as 8-bit RGB after the loader's colour conversion. Multi-frame files are checked on
 * their first and last frames.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test, type Page } from '@playwright/test'
import { startLoopbackFileServer, type LoopbackFileServer } from '../harness/loopback-file-server.ts'
import { pixelDifference, type PixelDifference } from '../harness/pixel-difference.ts'
import { decodeReference, type ReferenceFrame, type ReferenceImage } from '../harness/reference-decode.ts'
import type { DecodedFrame, RenderOutcome } from '../../renderer/src/viewer/decode-check.ts'
import { APP_DIR } from './demo-server-fixture.ts'

const FIXTURES = fileURLToPath(new URL('../fixtures/transfer-syntaxes', import.meta.url))

/** How close the viewer's decode must come to a reference. */
type Tolerance =
  | { kind: 'exact' }
  /** Lossy codecs decoded twice: independent implementations may round differently. */
  | { kind: 'within'; maxAbsDiff: number }
  /** JPEG-LS near-lossless: no sample further from the original than the NEAR value in the codestream. */
  | { kind: 'near' }
  /** Lossy against the original image: the codec's loss, not the decoder's, so a quality bound. */
  | { kind: 'quality'; minPsnr: number; maxMeanAbsDiff: number }

interface Check {
  /** 'decoder': the independent decode of the same file; otherwise the uncompressed file of the same image. */
  against: 'decoder' | string
  tolerance: Tolerance
}

interface MatrixRow {
  transferSyntax: string
  file: string
  checks: Check[]
}

const EXACT: Tolerance = { kind: 'exact' }

const MATRIX: MatrixRow[] = [
  { transferSyntax: 'Explicit VR Little Endian', file: 'CT1_UNC', checks: [{ against: 'decoder', tolerance: EXACT }] },
  { transferSyntax: 'Explicit VR Little Endian', file: 'CT_small.dcm', checks: [{ against: 'decoder', tolerance: EXACT }] },
  { transferSyntax: 'Explicit VR Little Endian', file: 'MR_small.dcm', checks: [{ against: 'decoder', tolerance: EXACT }] },
  { transferSyntax: 'Explicit VR Little Endian, multi-frame', file: 'NM-MONO2-16-13x-heart', checks: [{ against: 'decoder', tolerance: EXACT }] },
  {
    transferSyntax: 'Implicit VR Little Endian',
    file: 'MR_small_implicit.dcm',
    checks: [
      { against: 'decoder', tolerance: EXACT },
      { against: 'MR_small.dcm', tolerance: EXACT },
    ],
  },
  {
    transferSyntax: 'Explicit VR Big Endian',
    file: 'MR_small_bigendian.dcm',
    checks: [
      { against: 'decoder', tolerance: EXACT },
      { against: 'MR_small.dcm', tolerance: EXACT },
    ],
  },
  { transferSyntax: 'Deflated Explicit VR Little Endian', file: 'image_dfl.dcm', checks: [{ against: 'decoder', tolerance: EXACT }] },
  { transferSyntax: 'JPEG Baseline, YBR_FULL colour', file: 'SC_rgb_jpeg_dcmtk.dcm', checks: [{ against: 'decoder', tolerance: { kind: 'within', maxAbsDiff: 2 } }] },
  {
    transferSyntax: 'JPEG Baseline, YBR_FULL colour multi-frame',
    file: 'IM00001.fragmented_no_bot_jpeg_baseline.50.dcm',
    checks: [{ against: 'decoder', tolerance: { kind: 'within', maxAbsDiff: 2 } }],
  },
  // pydicom, GDCM and pylibjpeg decode (420,140) = 244 and (230,120) = 95; DCMTK gives 244 and 96
  { transferSyntax: 'JPEG Extended (12-bit)', file: 'JPGExtended.dcm', checks: [{ against: 'decoder', tolerance: { kind: 'within', maxAbsDiff: 2 } }] },
  {
    transferSyntax: 'JPEG Lossless SV1',
    file: 'CT1_JPLL',
    checks: [
      { against: 'decoder', tolerance: EXACT },
      { against: 'CT1_UNC', tolerance: EXACT },
    ],
  },
  {
    transferSyntax: 'JPEG-LS Lossless',
    file: 'CT1_JLSL',
    checks: [
      { against: 'decoder', tolerance: EXACT },
      { against: 'CT1_UNC', tolerance: EXACT },
    ],
  },
  {
    transferSyntax: 'JPEG-LS Near-Lossless',
    file: 'CT1_JLSN',
    checks: [
      // JPEG-LS decoding is deterministic integer arithmetic: any conforming decoder gives the same samples
      { against: 'decoder', tolerance: EXACT },
      { against: 'CT1_UNC', tolerance: { kind: 'near' } },
    ],
  },
  {
    transferSyntax: 'JPEG 2000 Lossless',
    file: 'CT1_J2KR',
    checks: [
      { against: 'decoder', tolerance: EXACT },
      { against: 'CT1_UNC', tolerance: EXACT },
    ],
  },
  {
    transferSyntax: 'JPEG 2000 (lossy)',
    file: 'CT1_J2KI',
    checks: [
      { against: 'decoder', tolerance: { kind: 'within', maxAbsDiff: 1 } },
      // the codec's loss at 69:1, not the decoder's: measured 41.0 dB over the image's range of
      // 4,278 and a mean error of 25.9 (max 352, ringing at edges). The bound leaves 3 dB; a frame
      // decoded at a lower resolution level or from fewer quality layers falls well below it.
      { against: 'CT1_UNC', tolerance: { kind: 'quality', minPsnr: 38, maxMeanAbsDiff: 35 } },
    ],
  },
  { transferSyntax: 'JPEG 2000 (lossy), 16-bit NM', file: 'JPEG2000.dcm', checks: [{ against: 'decoder', tolerance: { kind: 'within', maxAbsDiff: 1 } }] },
  { transferSyntax: 'JPEG 2000 (lossy), MONOCHROME1 CR', file: 'RG1_J2KI', checks: [{ against: 'decoder', tolerance: { kind: 'within', maxAbsDiff: 1 } }] },
  {
    transferSyntax: 'RLE Lossless',
    file: 'CT1_RLE',
    checks: [
      { against: 'decoder', tolerance: EXACT },
      { against: 'CT1_UNC', tolerance: EXACT },
    ],
  },
  {
    transferSyntax: 'RLE Lossless',
    file: 'MR_small_RLE.dcm',
    checks: [
      { against: 'decoder', tolerance: EXACT },
      { against: 'MR_small.dcm', tolerance: EXACT },
    ],
  },
  { transferSyntax: 'RLE Lossless, PALETTE COLOR multi-frame', file: 'US-PAL-8-10x-echo.dcm', checks: [{ against: 'decoder', tolerance: EXACT }] },
]

/** What decode-check.html reports. */
interface CheckPageResult {
  ok: boolean
  error?: string
  decoded: DecodedFrame
  rendered: RenderOutcome
}

const TYPED_ARRAYS = { Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array }

function decodedSamples(decoded: DecodedFrame): ArrayLike<number> {
  const Type = TYPED_ARRAYS[decoded.dataType as keyof typeof TYPED_ARRAYS]
  if (!Type) throw new Error(`unexpected pixel array ${decoded.dataType}`)
  // a copy, so that the typed array starts on an aligned offset
  const bytes = Uint8Array.from(Buffer.from(decoded.pixelsBase64, 'base64'))
  return new Type(bytes.buffer)
}

/** The loader's values back in stored values (its pre-scaling undone), to compare with a reference frame. */
function storedValuesOf(samples: ArrayLike<number>, rescale: DecodedFrame['rescale']): Float64Array {
  const values = Float64Array.from(samples)
  if (rescale) for (let i = 0; i < values.length; i++) values[i] = (values[i]! - rescale.intercept) / rescale.slope
  return values
}

function describeTolerance(tolerance: Tolerance, near?: number): string {
  switch (tolerance.kind) {
    case 'exact':
      return 'max Δ = 0'
    case 'within':
      return `max Δ ≤ ${tolerance.maxAbsDiff}`
    case 'near':
      return `max Δ ≤ NEAR (${near})`
    case 'quality':
      return `PSNR ≥ ${tolerance.minPsnr} dB, mean Δ ≤ ${tolerance.maxMeanAbsDiff}`
  }
}

/** Whether a difference is within a tolerance; `near` is the NEAR value read from the file under test. */
function meets(difference: PixelDifference, tolerance: Tolerance, near: number | undefined): boolean {
  switch (tolerance.kind) {
    case 'exact':
      return difference.maxAbsDiff === 0
    case 'within':
      return difference.maxAbsDiff <= tolerance.maxAbsDiff
    case 'near':
      // a NEAR of 0 would make this a lossless check in disguise
      return near !== undefined && near > 0 && difference.maxAbsDiff <= near
    case 'quality':
      return difference.psnr >= tolerance.minPsnr && difference.meanAbsDiff <= tolerance.maxMeanAbsDiff
  }
}

async function openCheckPage(page: Page, server: LoopbackFileServer, file: string, frames: number, frame: number): Promise<CheckPageResult> {
  const query = new URLSearchParams({ source: `/fixtures/${encodeURIComponent(file)}`, frames: String(frames), frame: String(frame) })
  await page.goto(`${server.url}/decode-check.html?${query}`)
  const output = page.locator('#check-result[data-done="true"]')
  await output.waitFor({ state: 'attached', timeout: 90_000 })
  return JSON.parse((await output.textContent()) ?? '{}') as CheckPageResult
}

/** The measured difference (Δ: absolute difference per sample; no pipes, the text goes into a Markdown table). */
function formatDifference(difference: PixelDifference): string {
  const psnr = Number.isFinite(difference.psnr) ? `${difference.psnr.toFixed(1)} dB` : '∞'
  return `max Δ ${difference.maxAbsDiff}, mean Δ ${difference.meanAbsDiff.toFixed(3)}, PSNR ${psnr}`
}

/** One line of the printed matrix: a file's frame, its pixel comparisons and how it was displayed. */
interface MatrixLine {
  file: string
  transferSyntax: string
  frame: number
  pixels: string[]
  renderPath: string
  canvas: string
}

/**
 * The matrix is collected in a file, not in memory: Playwright replaces the worker after every
 * failed test, and with it this module's state. Lines are kept per run of the test runner (the
 * workers' parent process), so a later run never mixes in an earlier one's lines.
 */
function matrixFile(): string {
  return path.join(test.info().project.outputDir, 'transfer-syntax-matrix.json')
}

async function recordMatrixLines(file: string, lines: MatrixLine[]): Promise<void> {
  const run = process.ppid
  const stored = (await readFile(matrixFile(), 'utf8').then(JSON.parse, () => null)) as { run: number; lines: Record<string, MatrixLine[]> } | null
  const current = stored?.run === run ? stored.lines : {}
  current[file] = lines
  await mkdir(path.dirname(matrixFile()), { recursive: true })
  await writeFile(matrixFile(), JSON.stringify({ run, lines: current }))
}

/** The matrix as a Markdown table, in the order of MATRIX; undefined until every row has run. */
async function matrixTable(): Promise<string | undefined> {
  const stored = (await readFile(matrixFile(), 'utf8').then(JSON.parse, () => null)) as { run: number; lines: Record<string, MatrixLine[]> } | null
  if (stored?.run !== process.ppid || MATRIX.some((row) => !stored.lines[row.file])) return undefined
  return [
    '| file | transfer syntax | frame | pixels vs reference (tolerance): measured, Δ = absolute difference | render path | canvas |',
    '|---|---|---|---|---|---|',
    ...MATRIX.flatMap((row) => stored.lines[row.file]!).map((l) => `| ${l.file} | ${l.transferSyntax} | ${l.frame} | ${l.pixels.join('<br>')} | ${l.renderPath} | ${l.canvas} |`),
  ].join('\n')
}

let server: LoopbackFileServer | undefined
const references = new Map<string, Promise<ReferenceImage>>()
function reference(file: string): Promise<ReferenceImage> {
  let decoded = references.get(file)
  if (!decoded) references.set(file, (decoded = decodeReference(path.join(FIXTURES, file))))
  return decoded
}

test.beforeAll(async () => {
  server = await startLoopbackFileServer({ '/fixtures/': FIXTURES, '/': APP_DIR })
})

test.afterAll(async () => {
  await server?.close()
  const table = await matrixTable()
  if (!table) return
  await writeFile(path.join(test.info().project.outputDir, 'transfer-syntax-matrix.md'), `${table}\n`)
  console.log(`\nTransfer-syntax matrix\n${table}\n`)
})

for (const row of MATRIX) {
  test(`${row.transferSyntax} — ${row.file}`, async ({ page }, testInfo) => {
    const pageErrors: string[] = []
    page.on('pageerror', (error) => pageErrors.push(error.message))
    // Cornerstone logs some harmless complaints as errors (an implicit-VR "xs" tag read as US): kept, not failed on
    page.on('console', (message) => {
      if (message.type() === 'error') testInfo.annotations.push({ type: 'console error', description: message.text() })
    })

    const own = await reference(row.file)
    const { numberOfFrames } = own.format
    const frames = [...new Set([1, numberOfFrames])]
    const lines: MatrixLine[] = []

    for (const frame of frames) {
      const result = await openCheckPage(page, server!, row.file, numberOfFrames, frame)
      if (!result.ok) {
        lines.push({ file: row.file, transferSyntax: row.transferSyntax, frame, pixels: [`✗ not decoded: ${result.error}`], renderPath: '—', canvas: '—' })
        await recordMatrixLines(row.file, lines)
      }
      expect(result.error, `${row.file} frame ${frame}: the check page failed`).toBeUndefined()
      expect(result.ok).toBe(true)
      const { decoded, rendered } = result

      // pixels
      const ownFrame = await own.frame(frame)
      expect([decoded.rows, decoded.columns, decoded.components]).toEqual([ownFrame.rows, ownFrame.columns, ownFrame.components])
      if (ownFrame.components === 1) {
        // the loader's pre-scaling must be the file's modality LUT (or none when the file has none)
        if (decoded.rescale) expect(decoded.rescale).toEqual(own.rescale)
        else expect(own.rescale === null || (own.rescale.slope === 1 && own.rescale.intercept === 0)).toBe(true)
      }
      const actual = ownFrame.components === 1 ? storedValuesOf(decodedSamples(decoded), decoded.rescale) : decodedSamples(decoded)
      const pixels: string[] = []
      for (const check of row.checks) {
        const expected: ReferenceFrame = check.against === 'decoder' ? ownFrame : await (await reference(check.against)).frame(frame)
        const difference = pixelDifference(actual, expected.values)
        const against = check.against === 'decoder' ? own.decoder : `${check.against} (uncompressed)`
        const tolerance = describeTolerance(check.tolerance, own.jpegLsNear)
        const ok = meets(difference, check.tolerance, own.jpegLsNear)
        pixels.push(`${ok ? '✓' : '✗'} ${against} (${tolerance}): ${formatDifference(difference)}`)
        testInfo.annotations.push({ type: `frame ${frame} vs ${against}`, description: `${formatDifference(difference)} (${tolerance})` })
        // soft: a failed pixel check still lets the display checks run and the screenshot be taken
        expect.soft(ok, `${row.file} frame ${frame} vs ${against}: ${formatDifference(difference)}, allowed ${tolerance}`).toBe(true)
      }

      // display: this frame, in a StackViewport, on the GPU path, and not a black canvas
      const shot = testInfo.outputPath(`${row.file}-frame-${frame}.png`)
      await page.getByTestId('stack-viewport').screenshot({ path: shot })
      await testInfo.attach(`${row.file} frame ${frame}`, { path: shot, contentType: 'image/png' })
      expect.soft(rendered.cpuRenderingEverywhere, 'Cornerstone fell back to CPU rendering').toBe(false)
      expect.soft(rendered.cpuRenderingInViewport, 'the viewport renders on the CPU').toBe(false)
      expect.soft(rendered.renderPath).toBe('gpu')
      expect.soft([rendered.imageIndex, rendered.stackSize], 'the frame shown, of how many').toEqual([frame - 1, numberOfFrames])
      expect.soft([rendered.imageRows, rendered.imageColumns]).toEqual([ownFrame.rows, ownFrame.columns])
      // MONOCHROME1 is shown inverted (white bone), everything else as stored
      expect.soft(rendered.invert, 'display inverted').toBe(own.format.photometricInterpretation === 'MONOCHROME1')
      const stats = rendered.canvas
      testInfo.annotations.push({ type: `frame ${frame} canvas`, description: `lit ${(stats.litFraction * 100).toFixed(1)}%, σ ${stats.stdDev.toFixed(1)}, zoom ${rendered.zoom}` })
      expect.soft(stats.width).toBeGreaterThan(0)
      expect.soft(stats.litFraction, `${row.file} frame ${frame}: lit share of the canvas`).toBeGreaterThan(0.02)
      expect.soft(stats.stdDev, `${row.file} frame ${frame}: contrast on the canvas`).toBeGreaterThan(5)
      lines.push({ file: row.file, transferSyntax: row.transferSyntax, frame, pixels, renderPath: rendered.renderPath, canvas: `lit ${(stats.litFraction * 100).toFixed(0)}%, σ ${stats.stdDev.toFixed(0)}` })
      await recordMatrixLines(row.file, lines)
    }
    expect(pageErrors).toEqual([])
  })
}
