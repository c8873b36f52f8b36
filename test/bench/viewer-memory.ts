/**
 * The viewer under a long study: scroll rate through every slice (first pass decodes, second
 * pass is served from the decoded-image cache when it fits) and the memory the browser holds
 * (resident set of all its processes — the children of this Node process — read from /proc) before opening, after reading every
 * slice, and after closing the study — the decoded-image cache is bounded by a setting and a
 * closed study must give its memory back.
 */
import { readdirSync, readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'

/**
 * Resident memory (MB) of the descendants of a process, from /proc (Linux): for this Node
 * process (which also runs the reading server) that is the browser it launched.
 */
export function descendantsRssMb(rootPid: number): number {
  const children = new Map<number, number[]>()
  const rss = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry)
    if (!Number.isInteger(pid)) continue
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8')
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1])
      const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0)
      rss.set(pid, kb)
      children.set(ppid, [...(children.get(ppid) ?? []), pid])
    } catch {
      // the process ended while we looked
    }
  }
  let total = 0
  const stack = [...(children.get(rootPid) ?? [])]
  while (stack.length) {
    const pid = stack.pop()!
    total += rss.get(pid) ?? 0
    stack.push(...(children.get(pid) ?? []))
  }
  return total / 1024
}

export interface ViewerRun {
  firstPassSlicesPerSecond: number
  secondPassSlicesPerSecond: number
  rssBeforeMb: number
  rssReadMb: number
  rssClosedMb: number
  /** After opening and reading the whole study once more: a leak would add another study's worth. */
  rssSecondReadingMb: number
}

/** Scrolls once through every slice of the open study's first viewport by keyboard; returns slices per second. */
async function scrollThrough(page: Page, slices: number): Promise<number> {
  const viewport = page.locator('[data-testid="viewport-cell"][data-cell="0"] [data-testid="stack-viewport"]')
  await page.keyboard.press('Home')
  await viewport.and(page.locator('[data-slice-index="0"]')).waitFor()
  const start = performance.now()
  for (let i = 1; i < slices; i++) {
    await page.keyboard.press('ArrowDown')
    await viewport.and(page.locator(`[data-slice-index="${i}"]`)).waitFor({ timeout: 60_000 })
  }
  return (slices - 1) / ((performance.now() - start) / 1000)
}

/** Opens the study from the worklist (already cached), reads every slice twice, closes it; measures as it goes. */
export async function measureViewerRun(page: Page, studyInstanceUid: string, slices: number): Promise<ViewerRun> {
  const browserRssMb = () => descendantsRssMb(process.pid)
  const settle = () => page.waitForTimeout(1_500)
  await settle()
  const rssBeforeMb = browserRssMb()
  await page.locator(`[data-testid="worklist-row"][data-study-uid="${studyInstanceUid}"]`).getByRole('button', { name: '開く' }).click()
  const viewport = page.locator('[data-testid="viewport-cell"][data-cell="0"] [data-testid="stack-viewport"]')
  await viewport.and(page.locator('[data-render-path="gpu"]')).waitFor({ timeout: 60_000 })
  await viewport.click()
  const firstPassSlicesPerSecond = await scrollThrough(page, slices)
  const secondPassSlicesPerSecond = await scrollThrough(page, slices)
  await settle()
  const rssReadMb = browserRssMb()
  await page.getByRole('button', { name: /ワークリストへ戻る/ }).click()
  await page.getByTestId('worklist-row').first().waitFor()
  // give the collector a moment: freed buffers are returned lazily
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 3_000)))
  const rssClosedMb = browserRssMb()
  // the allocator keeps freed pages, so the test of a bound is a second reading costing nothing more
  await page.locator(`[data-testid="worklist-row"][data-study-uid="${studyInstanceUid}"]`).getByRole('button', { name: '開く' }).click()
  await viewport.and(page.locator('[data-render-path="gpu"]')).waitFor({ timeout: 60_000 })
  await viewport.click()
  await scrollThrough(page, slices)
  await settle()
  const rssSecondReadingMb = browserRssMb()
  return { firstPassSlicesPerSecond, secondPassSlicesPerSecond, rssBeforeMb, rssReadMb, rssClosedMb, rssSecondReadingMb }
}
