/** Pixel statistics of a viewport's canvas, computed in the page: proof that an image was drawn. */
import type { Locator, Page } from '@playwright/test'

export interface CanvasStats {
  width: number
  height: number
  /** Share of pixels brighter than near-black. */
  litFraction: number
  mean: number
  stdDev: number
  /** A cheap fingerprint of the drawn pixels, to tell two renderings apart. */
  checksum: number
  /** Bounding box of the lit pixels (rows and columns with at least 3 lit pixels), in canvas pixels; null when nothing is lit. */
  litBox: { left: number; top: number; width: number; height: number } | null
}

/** The first viewport of the page (or the one inside `scope`, a CSS selector of a grid cell or viewer). */
export const FIRST_VIEWPORT = '[data-testid="viewport-cell"][data-cell="0"]'

export function viewportCanvasStats(page: Page, scope = FIRST_VIEWPORT): Promise<CanvasStats> {
  return page.evaluate((scopeSelector) => {
    const canvas = document.querySelector<HTMLCanvasElement>(`${scopeSelector} canvas`)
    if (!canvas) throw new Error(`no canvas in ${scopeSelector}`)
    const context = canvas.getContext('2d')
    if (!context) throw new Error('viewport canvas has no 2D context')
    const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height)
    const litPerColumn = new Uint32Array(width)
    const litPerRow = new Uint32Array(height)
    let lit = 0
    let sum = 0
    let sumSq = 0
    let checksum = 0
    const n = width * height
    for (let i = 0, p = 0; i < data.length; i += 4, p++) {
      const luma = (data[i]! + data[i + 1]! + data[i + 2]!) / 3
      if (luma > 16) {
        lit++
        litPerColumn[p % width]!++
        litPerRow[Math.floor(p / width)]!++
      }
      sum += luma
      sumSq += luma * luma
      checksum = (checksum * 31 + (luma | 0)) >>> 0
    }
    const mean = sum / n
    const columns = [...litPerColumn.keys()].filter((x) => litPerColumn[x]! >= 3)
    const rows = [...litPerRow.keys()].filter((y) => litPerRow[y]! >= 3)
    const litBox =
      columns.length && rows.length
        ? { left: columns[0]!, top: rows[0]!, width: columns[columns.length - 1]! - columns[0]! + 1, height: rows[rows.length - 1]! - rows[0]! + 1 }
        : null
    return { width, height, litFraction: lit / n, mean, stdDev: Math.sqrt(Math.max(0, sumSq / n - mean * mean)), checksum, litBox }
  }, scope)
}

/**
 * The canvas luminance (0–255) of a viewport as a grid of `columns` × `rows` samples, in CSS
 * pixel positions relative to the canvas: for comparing what is drawn with the file's pixels.
 */
export function sampleViewport(page: Page, scope: string, points: readonly (readonly [number, number])[]): Promise<number[]> {
  return page.evaluate(
    ({ scopeSelector, cssPoints }) => {
      const canvas = document.querySelector<HTMLCanvasElement>(`${scopeSelector} canvas`)
      if (!canvas) throw new Error(`no canvas in ${scopeSelector}`)
      const context = canvas.getContext('2d')!
      const ratio = canvas.width / canvas.clientWidth
      const { data, width } = context.getImageData(0, 0, canvas.width, canvas.height)
      return cssPoints.map(([x, y]) => {
        const i = (Math.floor(y * ratio) * width + Math.floor(x * ratio)) * 4
        return (data[i]! + data[i + 1]! + data[i + 2]!) / 3
      })
    },
    { scopeSelector: scope, cssPoints: points.map((p) => [p[0], p[1]] as [number, number]) },
  )
}

/** Pearson correlation of two equally long series. */
export function correlation(a: readonly number[], b: readonly number[]): number {
  const n = a.length
  const meanA = a.reduce((s, v) => s + v, 0) / n
  const meanB = b.reduce((s, v) => s + v, 0) / n
  let cov = 0
  let varA = 0
  let varB = 0
  for (let i = 0; i < n; i++) {
    cov += (a[i]! - meanA) * (b[i]! - meanB)
    varA += (a[i]! - meanA) ** 2
    varB += (b[i]! - meanB) ** 2
  }
  return cov / Math.sqrt(varA * varB)
}

/**
 * The text of a locator once it stops changing: Cornerstone computes a measurement's values
 * with a throttle, so the label drawn at mouse-up may still be an intermediate one.
 */
export async function settledText(locator: Locator, quietMs = 400, timeoutMs = 10_000): Promise<string> {
  const until = Date.now() + timeoutMs
  let last = await locator.textContent()
  while (Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, quietMs))
    const now = await locator.textContent()
    if (now === last && now !== null) return now
    last = now
  }
  throw new Error(`text did not settle within ${timeoutMs} ms (last: ${last})`)
}
