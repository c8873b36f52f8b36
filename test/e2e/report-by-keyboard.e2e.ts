/**
 * Structured reporting end to end: a health-checkup chest X-ray reported as "E" with its
 * finding and location by keyboard alone, counted; the server holds exactly that report.
 * And a draft survives a renderer restart to the last keystroke.
 */
import { expect, test } from '@playwright/test'
import { viewportCanvasStats } from './canvas-pixels.ts'
import { logIn, openStudy, useDemoServer } from './demo-server-fixture.ts'

const CR_STUDY_UID = '1.2.392.200036.9125.0.199302241758.16'
const MR_STUDY_UID = '1.113654.3.13.1026'
const demo = useDemoServer()

test('a chest X-ray reported "E" with finding and location in under ten keystrokes, stored once on the server', async ({ page }, testInfo) => {
  await page.goto(demo.server.url)
  await logIn(page, 'reader1')
  await openStudy(page, CR_STUDY_UID)
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
  const worklist = (await (await fetch(`${demo.server.url}/api/v1/worklist`, { headers: { authorization: `Bearer ${token}` } })).json()) as { assignments: Array<{ id: string; studyInstanceUid: string; status: string }> }
  const assignment = worklist.assignments.find((a) => a.studyInstanceUid === CR_STUDY_UID)!
  expect(assignment.status).toBe('submitted')
  const report = (await (await fetch(`${demo.server.url}/api/v1/assignments/${assignment.id}/report`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
    overallJudgement: string
    content: { findings: Array<{ findingCode: string; judgement: string; laterality?: string; location?: string }> }
  }
  expect(report.overallJudgement).toBe('E')
  expect(report.content.findings).toEqual([expect.objectContaining({ findingCode: 'cx-nodule', judgement: 'E', laterality: 'R', location: '右肺野' })])
})

test('a draft survives a renderer restart, to the last keystroke', async ({ page }) => {
  await page.goto(demo.server.url)
  await logIn(page, 'reader1')
  await openStudy(page, MR_STUDY_UID)
  const editor = page.getByTestId('impression-editor')
  await editor.click()
  await page.keyboard.type('左手関節に異常信号なし。最後の一文字まで')
  const started = Date.now()
  await expect(page.getByTestId('report-status')).toHaveAttribute('data-status', 'editing')
  await expect(page.getByTestId('report-status')).toContainText('ローカルに保存済み', { timeout: 5_000 })
  expect(Date.now() - started).toBeLessThan(1_500)

  await page.reload()
  await openStudy(page, MR_STUDY_UID)
  await expect(page.getByTestId('impression-editor')).toHaveText('左手関節に異常信号なし。最後の一文字まで', { timeout: 30_000 })
})
