/**
 * Driving the workstation itself (the built renderer served by the reading server) the way a
 * reader does: log in, wait for the worklist and the cache, open a study by its row, go back.
 */
import type { BrowserContext, Page } from 'playwright-core'
import { DEMO_PASSWORD } from '../../server/demo-seed.ts'

export const OPEN_MARK = 'workstation:study-open'
export const FIRST_IMAGE_MARK = 'workstation:first-image'

export function worklistRow(page: Page, studyInstanceUid: string) {
  return page.locator(`[data-testid="worklist-row"][data-study-uid="${studyInstanceUid}"]`)
}

/** A new page of the context on the workstation, logged in as `username`, showing the worklist. */
export async function openWorkstation(context: BrowserContext, url: string, username: string, timeoutMs?: number): Promise<Page> {
  const page = await context.newPage()
  await page.goto(url)
  await logIn(page, username, timeoutMs)
  return page
}

/** Logs in and waits for the first worklist row (a very long worklist may take minutes to show). */
export async function logIn(page: Page, username: string, timeoutMs = 60_000): Promise<void> {
  await page.getByLabel('ユーザー名').fill(username)
  await page.getByLabel('パスワード').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: 'ログイン' }).click()
  await page.getByTestId('worklist-row').first().waitFor({ timeout: timeoutMs })
}

/** Waits until the sync worker has every instance of these studies in the local cache. */
export async function waitUntilCached(page: Page, studyInstanceUids: readonly string[], timeoutMs = 900_000): Promise<void> {
  for (const uid of studyInstanceUids) {
    await worklistRow(page, uid).locator('[data-testid="cache-state"][data-state="complete"]').waitFor({ timeout: timeoutMs })
  }
}

/** Clicks the row's open button; resolves at once (the page marks the moment of the click itself). */
export async function clickOpen(page: Page, studyInstanceUid: string): Promise<void> {
  const row = worklistRow(page, studyInstanceUid)
  await row.waitFor({ timeout: 60_000 })
  await row.getByRole('button', { name: '開く' }).click()
}

/** Back to the worklist from an open study. */
export async function closeStudy(page: Page): Promise<void> {
  await page.getByRole('button', { name: /ワークリストへ戻る/ }).click()
  await page.getByTestId('worklist-row').first().waitFor()
}

/** Time of the last study-open mark (page clock), or undefined before any. */
export function openMarkTime(page: Page): Promise<number | undefined> {
  return page.evaluate((name) => performance.getEntriesByName(name, 'mark').at(-1)?.startTime, OPEN_MARK)
}
