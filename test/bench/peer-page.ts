/**
 * Driving the peer page (renderer/bench-wadors-peer.html, served by the peer proxy): the study
 * list from Orthanc, a click on a row, Cornerstone's wadors loading. It carries the same marks
 * and the same viewport cells as the workstation, so the same measurements read both.
 */
import type { BrowserContext, Page } from 'playwright-core'
import { worklistRow } from './workstation-page.ts'

export interface PeerPageOptions {
  /** Size of the viewer area, the same as the workstation's so both render as many pixels. */
  width: number
  height: number
  mpr?: boolean
}

/** A new page of the context on the peer's study list, ready for a click. */
export async function openPeerPage(context: BrowserContext, proxyUrl: string, options: PeerPageOptions): Promise<Page> {
  const page = await context.newPage()
  await loadPeerList(page, proxyUrl, options)
  return page
}

/** (Re)loads the peer's study list: a fresh page, nothing of an earlier study in memory. */
export async function loadPeerList(page: Page, proxyUrl: string, options: PeerPageOptions): Promise<void> {
  const query = new URLSearchParams({ width: String(Math.round(options.width)), height: String(Math.round(options.height)), ...(options.mpr ? { mpr: '1' } : {}) })
  await page.goto(`${proxyUrl}/bench-wadors-peer.html?${query}`)
  const status = page.locator('#peer-status')
  await status.and(page.locator('[data-state="listed"], [data-state="error"]')).waitFor({ timeout: 60_000 })
  if ((await status.getAttribute('data-state')) === 'error') throw new Error(`peer page: ${await status.textContent()}`)
}

export async function clickPeerOpen(page: Page, studyInstanceUid: string): Promise<void> {
  await worklistRow(page, studyInstanceUid).getByRole('button').click()
}

/** Waits for the peer page to say the study is shown (MPR: every slice loaded); throws its error. */
export async function waitPeerReady(page: Page, timeoutMs = 600_000): Promise<void> {
  const status = page.locator('#peer-status')
  await status.and(page.locator('[data-state="ready"], [data-state="error"]')).waitFor({ timeout: timeoutMs })
  if ((await status.getAttribute('data-state')) === 'error') throw new Error(`peer page: ${await status.textContent()}`)
}
