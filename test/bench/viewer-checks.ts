/**
 * What every measured image must pass, on the workstation and on the peer page alike: drawn
 * on the GPU path (Cornerstone did not fall back to CPU rendering), and not black (events
 * fire on a black canvas when decoding fails, so the pixels are what proves an image).
 */
import type { Page } from 'playwright-core'
import type { Page as TestPage } from '@playwright/test'
import { viewportCanvasStats } from '../e2e/canvas-pixels.ts'
import type { FrameEvent } from './frame-recorder.ts'

export const cellSelector = (cell: number) => `[data-testid="viewport-cell"][data-cell="${cell}"]`

/** Throws unless the cell's viewport rendered on the GPU path and shows more than a black canvas. */
export async function checkShownImage(page: Page, cell: number, what: string): Promise<void> {
  const viewport = page.locator(`${cellSelector(cell)} [data-render-path]`).first()
  const path = await viewport.getAttribute('data-render-path')
  if (path !== 'gpu') throw new Error(`${what}: cell ${cell} rendered on the ${path ?? 'unknown'} path, not the GPU path`)
  // canvas-pixels.ts is written against @playwright/test's Page, which playwright-core's is
  const stats = await viewportCanvasStats(page as unknown as TestPage, cellSelector(cell))
  if (!(stats.litFraction > 0.001 && stats.stdDev > 1)) throw new Error(`${what}: cell ${cell} is black or flat (lit ${stats.litFraction}, σ ${stats.stdDev.toFixed(1)})`)
}

/**
 * Waits (in the page) until each of `cells` has rendered a frame after a new image was set on
 * it, at or after `since`; resolves with those times (page clock).
 */
export async function waitForImages(page: Page, cells: readonly number[], since: number, timeoutMs: number): Promise<number[]> {
  const handle = await page.waitForFunction(
    ({ cells, since }) => {
      const events = ((globalThis as unknown as { __benchFrames?: FrameEvent[] }).__benchFrames ?? []).filter((e) => e.t >= since)
      const times = cells.map((cell) => {
        const set = events.find((e) => e.cell === cell && e.kind === 'new-image')
        return set ? events.find((e) => e.cell === cell && e.kind === 'rendered' && e.t >= set.t)?.t : undefined
      })
      return times.every((t) => t !== undefined) ? times : false
    },
    { cells: [...cells], since },
    { timeout: timeoutMs, polling: 20 },
  )
  return (await handle.jsonValue()) as number[]
}

/** Page errors that mean an image will not come (a decode failed or gave up). */
const IMAGE_FAILURE = /decod|DicomSafety|could not be (read|decoded)|image.*(fail|error)/i

/**
 * Runs `work`, failing at once (instead of at its timeout) when the page reports that an image
 * could not be decoded or loaded.
 */
export async function failingOnImageErrors<T>(page: Page, work: () => Promise<T>): Promise<T> {
  let onError: (error: Error) => void = () => undefined
  const failed = new Promise<never>((_, reject) => {
    onError = (error) => {
      if (IMAGE_FAILURE.test(error.message)) reject(new Error(`the page gave up on an image: ${error.message}`))
    }
  })
  page.on('pageerror', onError)
  try {
    return await Promise.race([work(), failed])
  } finally {
    page.off('pageerror', onError)
    failed.catch(() => undefined)
  }
}
