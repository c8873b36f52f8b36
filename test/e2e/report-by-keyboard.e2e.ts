/**
 * Structured reporting end to end: a health-checkup chest X-ray reported as "E" with its
 * finding and location by keyboard alone, counted; the server holds exactly that report.
 * And a draft survives a renderer restart to the last keystroke.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test, type Page } from '@playwright/test'
import { DEMO_PASSWORD } from '../../server/demo-seed.ts'
import { startReadingServer } from '../../server/start-reading-server.ts'
import { viewportCanvasStats } from './canvas-pixels.ts'

const CR_STUDY_UID = '1.2.392.200036.9125.0.199302241758.16'
const MR_STUDY_UID = '1.113654.3.13.1026'
const appDir = fileURLToPath(new URL('../../dist/renderer', import.meta.url))

let server: Awaited<ReturnType<typeof startReadingServer>>
let dataDir: string

test.beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'rw-report-'))
  server = await startReadingServer({ dataDir, port: 0, seedDemo: true, appDir })
})

test.afterAll(async () => {
  await server?.close()
  await rm(dataDir, { recursive: true, force: true })
})

async function logInAndOpen(page: Page, studyUid: string): Promise<void> {
  await page.goto(server.url)
  await page.getByLabel('ユーザー名').fill('reader1')
  await page.getByLabel('パスワード').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: 'ログイン' }).click()
  await page.locator(`[data-testid="worklist-row"][data-study-uid="${studyUid}"]`).getByRole('button', { name: '開く' }).click()
}

test('a chest X-ray reported "E" with finding and location in under ten keystrokes, stored once on the server', async ({ page }, testInfo) => {
  await logInAndOpen(page, CR_STUDY_UID)
  const search = page.getByTestId('finding-search')
  await expect(search).toBeFocused({ timeout: 30_000 })

  let keystrokes = 0
  const press = async (key: string) => {
    keystrokes += 1
    await page.keyboard.press(key)
  }
  for (const key of 'nod') await press(key)
  await press('Enter') // 結節影 (Nodule)
  await press('r') // right lung field
  await press('Enter') // keep the default judgement E
  await expect(page.getByTestId('report-finding')).toHaveCount(1)
  await expect(page.getByTestId('overall-judgement')).toContainText('E')
  await press('Control+Enter') // submit
  expect(keystrokes).toBeLessThan(10)

  await expect(page.getByTestId('report-status')).toHaveAttribute('data-status', 'sent', { timeout: 30_000 })
  // the chest image beside the report is drawn (fitted after the report panel took its width)
  await expect(page.getByTestId('stack-viewport')).toHaveAttribute('data-render-path', 'gpu')
  await expect.poll(async () => (await viewportCanvasStats(page)).litFraction, { timeout: 30_000 }).toBeGreaterThan(0.3)
  await page.screenshot({ path: testInfo.outputPath('report-sent.png') })

  const token = await page.evaluate(() => {
    const key = Object.keys(sessionStorage).find((k) => k.startsWith('reading-workstation.credentials:'))
    return key ? (JSON.parse(sessionStorage.getItem(key)!) as { accessToken: string }).accessToken : ''
  })
  const worklist = (await (await fetch(`${server.url}/api/v1/worklist`, { headers: { authorization: `Bearer ${token}` } })).json()) as { assignments: Array<{ id: string; studyInstanceUid: string; status: string }> }
  const assignment = worklist.assignments.find((a) => a.studyInstanceUid === CR_STUDY_UID)!
  expect(assignment.status).toBe('submitted')
  const report = (await (await fetch(`${server.url}/api/v1/assignments/${assignment.id}/report`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
    overallJudgement: string
    content: { findings: Array<{ findingCode: string; judgement: string; laterality?: string; location?: string }> }
  }
  expect(report.overallJudgement).toBe('E')
  expect(report.content.findings).toEqual([expect.objectContaining({ findingCode: 'cx-nodule', judgement: 'E', laterality: 'R', location: '右肺野' })])
})

test('a draft survives a renderer restart, to the last keystroke', async ({ page }) => {
  await logInAndOpen(page, MR_STUDY_UID)
  const editor = page.getByTestId('impression-editor')
  await editor.click()
  await page.keyboard.type('左手関節に異常信号なし。最後の一文字まで')
  const started = Date.now()
  await expect(page.getByTestId('report-status')).toHaveAttribute('data-status', 'editing')
  await expect(page.getByTestId('report-status')).toContainText('ローカルに保存済み', { timeout: 5_000 })
  expect(Date.now() - started).toBeLessThan(1_500)

  await page.reload()
  await page.locator(`[data-testid="worklist-row"][data-study-uid="${MR_STUDY_UID}"]`).getByRole('button', { name: '開く' }).click()
  await expect(page.getByTestId('impression-editor')).toHaveText('左手関節に異常信号なし。最後の一文字まで', { timeout: 30_000 })
})
