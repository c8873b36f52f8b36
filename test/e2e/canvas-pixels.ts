/** Pixel statistics of the viewport's canvas, computed in the page: proof that an image was drawn. */
import type { Page } from '@playwright/test'

export interface CanvasStats {
  width: number
  height: number
  /** Share of pixels brighter than near-black. */
  litFraction: number
  mean: number
  stdDev: number
  /** A cheap fingerprint of the drawn pixels, to tell two renderings apart. */
  checksum: number
}

export function viewportCanvasStats(page: Page): Promise<CanvasStats> {
  return page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="stack-viewport"] canvas')
    if (!canvas) throw new Error('no canvas in the viewport')
    const context = canvas.getContext('2d')
    if (!context) throw new Error('viewport canvas has no 2D context')
    const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height)
    let lit = 0
    let sum = 0
    let sumSq = 0
    let checksum = 0
    const n = width * height
    for (let i = 0; i < data.length; i += 4) {
      const luma = (data[i]! + data[i + 1]! + data[i + 2]!) / 3
      if (luma > 16) lit++
      sum += luma
      sumSq += luma * luma
      checksum = (checksum * 31 + (luma | 0)) >>> 0
    }
    const mean = sum / n
    return { width, height, litFraction: lit / n, mean, stdDev: Math.sqrt(Math.max(0, sumSq / n - mean * mean)), checksum }
  })
}
