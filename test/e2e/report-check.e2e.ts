/**
 * The teleradiology report check (読影レポートチェック) end to end in Chromium, on the head CT of
 * the demo (reader1 reads first, checker1 checks), then reader statistics:
 *
 * 1. reader1's report goes in through the API. checker1 opens the check assignment, sees the
 *    first report beside the images and returns it with a comment; reader1 sees the comment,
 *    corrects the report with a reason, and the case is back in check (checked on the server).
 * 2. checker1 edits the corrected report in place (impression and a finding's judgement), sees
 *    the tracked changes live and approves with an amendment and its reason.
 * 3. reader1's worklist row says the report was amended; opening it shows the checker's changes
 *    as <ins>/<del> with the checker's words.
 * 4. Two more double reads go in through the API (the Fuji chest, disagreeing; the echo,
 *    agreeing). admin opens the statistics from the top bar: each reader's row has the known
 *    number of cases and agreement rate, and the CSV download holds reader1's row; reader1 sees
 *    only their own row.
 */
import { randomUUID } from 'node:crypto'
import { mkdir, readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { expect, test, type Browser, type Page } from '@playwright/test'
import { findingMasterSchema, type ReportContent } from '../../shared/finding-master.ts'
import { casePaths, readerStatisticsSchema, readingCaseSchema, reportVersionListSchema } from '../../shared/reading-case-contract.ts'
import { IDEMPOTENCY_KEY_HEADER, reportPaths } from '../../shared/report-contract.ts'
import { fetchWorklist, loginAs } from '../harness/reading-server-api.ts'
import { logIn, openStudy, useDemoServer } from './demo-server-fixture.ts'

const CT_HEAD = '1.3.46.670589.33.1.27492712521914879309.27169771283235650014'
const FUJI_CHEST = '1.2.392.200036.9125.0.199302241758.16'
const US_ECHO = '1.3.6.1.4.1.25403.166563008443.732.20120418082458.1'
const SCREENSHOT_DIR = fileURLToPath(new URL('../../docs/screenshots/report-check/', import.meta.url))
const demo = useDemoServer()

const ORIGINAL_IMPRESSION = '左中大脳動脈領域に陳旧性梗塞を認めます。'
const RETURN_COMMENT = '左基底核も確認してください（e2e-return）'
const CORRECTION_SENTENCE = '左基底核に明らかな異常を認めません。'
const CORRECTION_REASON = '指摘部位を確認（e2e-correction）'
const AMENDED_IMPRESSION = `左中大脳動脈領域に新鮮梗塞を認めます。${CORRECTION_SENTENCE}`
const AMEND_REASON = '梗塞の時期を訂正、要精査（e2e-amend）'

test.describe.configure({ mode: 'serial' })

async function api(path: string, token: string, init: { body?: unknown; key?: string } = {}): Promise<Response> {
  return fetch(demo.server.url + path, {
    method: init.body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(init.key ? { [IDEMPOTENCY_KEY_HEADER]: init.key } : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  })
}

/** Submits `username`'s read of a study through the API, against the master of their assignment. */
async function submitRead(username: string, study: string, content: Omit<ReportContent, 'masterVersion' | 'comments' | 'keyImages' | 'measurements'>): Promise<void> {
  const token = await loginAs(demo.server.url, username)
  const assignment = (await fetchWorklist(demo.server.url, token)).assignments.find((a) => a.studyInstanceUid === study)!
  const master = findingMasterSchema.parse(await (await api(reportPaths.assignmentMaster(assignment.id), token)).json())
  const body = { content: { ...content, masterVersion: master.version, comments: '', keyImages: [], measurements: [] } }
  const response = await api(reportPaths.assignmentReport(assignment.id), token, { body, key: randomUUID() })
  expect(response.status, await response.clone().text()).toBe(201)
}

async function caseOfHeadCt(user: string) {
  const token = await loginAs(demo.server.url, user)
  const assignment = (await fetchWorklist(demo.server.url, token)).assignments.find((a) => a.studyInstanceUid === CT_HEAD && a.readingType === 'first')
  if (!assignment?.readingCase) throw new Error(`${user} has no first read of the head CT in a case`)
  const response = await api(casePaths.readingCase(assignment.readingCase.id), token)
  expect(response.status).toBe(200)
  return { token, readingCase: readingCaseSchema.parse(await response.json()) }
}

/** A fresh browser (no shared session or cache) logged in as the user. */
async function browserAs(browser: Browser, username: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } })
  const page = await context.newPage()
  await page.goto(demo.server.url)
  await logIn(page, username)
  return page
}

test('the checker returns the first report with a comment; the first reader corrects it with a reason and the case is back in check', async ({ browser }) => {
  test.setTimeout(180_000)
  // reader1's report of the head CT, through the API
  const reader1 = await loginAs(demo.server.url, 'reader1')
  const first = (await fetchWorklist(demo.server.url, reader1)).assignments.find((a) => a.studyInstanceUid === CT_HEAD && a.readingType === 'first')!
  const master = findingMasterSchema.parse(await (await api(reportPaths.assignmentMaster(first.id), reader1)).json())
  const content: ReportContent = {
    masterVersion: master.version,
    scale: 'report-check',
    findings: [{ findingCode: 'ctmr-infarct', bodyPartCode: 'brain', laterality: 'L', judgement: 'F', location: '左中大脳動脈領域', keyImages: [], measurements: [] }],
    impression: ORIGINAL_IMPRESSION,
    comments: '',
    keyImages: [],
    measurements: [],
  }
  expect((await api(reportPaths.assignmentReport(first.id), reader1, { body: { content }, key: randomUUID() })).status).toBe(201)

  // checker1 sees the first report beside the images and returns it
  const checker = await browserAs(browser, 'checker1')
  await openStudy(checker, CT_HEAD)
  const panel = checker.getByTestId('check-review-panel')
  await expect(panel).toBeVisible({ timeout: 30_000 })
  await expect(panel.getByTestId('check-state')).toHaveAttribute('data-state', 'check')
  await expect(panel.getByTestId('check-first-read')).toContainText('読影 太郎')
  await expect(panel.getByTestId('impression-editor')).toHaveText(ORIGINAL_IMPRESSION)
  await expect(checker.getByTestId('submit-report')).toHaveCount(0)
  await expect(panel.getByTestId('check-return')).toBeDisabled()
  await panel.getByLabel('差し戻しコメント（必須）').fill(RETURN_COMMENT)
  await panel.getByTestId('check-return').click()
  await expect(panel.getByTestId('check-state')).toHaveAttribute('data-state', 'returned')
  await expect(panel).toContainText(RETURN_COMMENT)
  expect((await caseOfHeadCt('reader1')).readingCase).toMatchObject({ status: 'returned', returnComment: RETURN_COMMENT })
  await checker.context().close()

  // reader1 sees the returned report and the comment, and sends a correction with a reason
  const reader = await browserAs(browser, 'reader1')
  const row = reader.locator(`[data-testid="worklist-row"][data-study-uid="${CT_HEAD}"]`)
  await expect(row.locator('[data-testid="case-badge"]')).toHaveAttribute('data-badge', 'returned', { timeout: 30_000 })
  await openStudy(reader, CT_HEAD)
  const returned = reader.getByTestId('returned-report-panel')
  await expect(returned).toBeVisible({ timeout: 30_000 })
  await expect(returned.getByTestId('return-comment')).toHaveText(RETURN_COMMENT)
  const editor = returned.getByTestId('impression-editor')
  await expect(editor).toHaveText(ORIGINAL_IMPRESSION)
  await editor.click()
  await reader.keyboard.press('Control+End')
  await reader.keyboard.insertText(CORRECTION_SENTENCE)
  await expect(returned.getByTestId('tracked-impression').locator('ins')).toHaveText(CORRECTION_SENTENCE)
  await expect(returned.getByTestId('send-correction')).toBeDisabled()
  await returned.getByLabel('修正の理由（必須）').fill(CORRECTION_REASON)
  await returned.getByTestId('send-correction').click()
  await expect(returned.getByTestId('correction-sent')).toBeVisible()
  await expect(returned.getByTestId('report-versions').locator('li')).toHaveCount(2)

  const { token, readingCase } = await caseOfHeadCt('reader1')
  expect(readingCase.status).toBe('check')
  expect(readingCase.returnComment).toBeUndefined()
  const reportId = readingCase.reads.find((r) => r.readingType === 'first')!.reportId!
  const versions = reportVersionListSchema.parse(await (await api(casePaths.reportVersions(reportId), token)).json())
  expect(versions.map((v) => [v.version, v.kind, v.reason, v.content.impression])).toEqual([
    [1, 'original', '', ORIGINAL_IMPRESSION],
    [2, 'correction', CORRECTION_REASON, ORIGINAL_IMPRESSION + CORRECTION_SENTENCE],
  ])
  await reader.context().close()
})

test('the checker edits the report in place, sees the tracked changes and approves with an amendment', async ({ browser }) => {
  test.setTimeout(180_000)
  const checker = await browserAs(browser, 'checker1')
  await openStudy(checker, CT_HEAD)
  const panel = checker.getByTestId('check-review-panel')
  await expect(panel.getByTestId('check-state')).toHaveAttribute('data-state', 'check', { timeout: 30_000 })
  // the version being checked is the correction
  await expect(panel.getByTestId('check-first-read')).toContainText('第2版')
  const editor = panel.getByTestId('impression-editor')
  await expect(editor).toHaveText(ORIGINAL_IMPRESSION + CORRECTION_SENTENCE)
  await expect(panel.getByTestId('tracked-changes')).toHaveAttribute('data-changed', 'false')
  await expect(panel.getByTestId('check-amend')).toBeDisabled()

  // edit in place: the impression, and the infarct's judgement from follow-up to further work-up
  await editor.click()
  await checker.keyboard.press('Control+A')
  await checker.keyboard.insertText(AMENDED_IMPRESSION)
  await panel.getByTestId('report-finding').first().getByLabel('判定').selectOption('W')

  const changes = panel.getByTestId('tracked-changes')
  await expect(changes).toHaveAttribute('data-changed', 'true')
  await expect(changes.getByTestId('tracked-impression').locator('del')).toHaveText('陳旧性')
  await expect(changes.getByTestId('tracked-impression').locator('ins')).toHaveText('新鮮')
  const judgement = changes.locator('[data-testid="tracked-findings"] li[data-change="changed"] [data-field="judgement"]')
  await expect(judgement.locator('del')).toHaveText('F 要フォロー')
  await expect(judgement.locator('ins')).toHaveText('W 要精査')
  await expect(changes.getByTestId('tracked-overall').locator('ins')).toHaveText('W 要精査')
  // distinguishable without colour: insertions underlined, deletions struck through
  expect(await changes.getByTestId('tracked-impression').locator('ins').evaluate((e) => getComputedStyle(e).textDecorationLine)).toContain('underline')
  expect(await changes.getByTestId('tracked-impression').locator('del').evaluate((e) => getComputedStyle(e).textDecorationLine)).toContain('line-through')
  // approving as it is would drop the edits: only the amendment is offered
  await expect(panel.getByTestId('check-approve')).toBeDisabled()

  await panel.getByLabel('修正の理由（必須）').fill(AMEND_REASON)
  await mkdir(SCREENSHOT_DIR, { recursive: true })
  await changes.scrollIntoViewIfNeeded()
  await checker.screenshot({ path: `${SCREENSHOT_DIR}check-review-tracked-changes.png` })
  await panel.getByTestId('check-amend').click()
  await expect(panel.getByTestId('check-state')).toHaveAttribute('data-state', 'amended')
  await expect(panel.getByTestId('check-outcome')).toContainText(AMEND_REASON)

  const { readingCase } = await caseOfHeadCt('reader1')
  expect(readingCase).toMatchObject({ status: 'amended', final: { method: 'amended', overallJudgement: 'W', requiresFurtherExamination: true, reason: AMEND_REASON } })
  expect(readingCase.reads.find((r) => r.readingType === 'first')?.latest).toMatchObject({ version: 3, kind: 'amendment', authorName: '確認 一郎', content: { impression: AMENDED_IMPRESSION } })
  await checker.context().close()
})

test("the first reader's worklist shows the amended report, and opening it shows the checker's tracked changes", async ({ browser }) => {
  test.setTimeout(180_000)
  const reader = await browserAs(browser, 'reader1')
  const row = reader.locator(`[data-testid="worklist-row"][data-study-uid="${CT_HEAD}"]`)
  await expect(row.locator('[data-testid="case-badge"]')).toHaveAttribute('data-badge', 'amended', { timeout: 30_000 })
  await expect(row.locator('[data-testid="case-badge"]')).toHaveText('修正あり')
  await openStudy(reader, CT_HEAD)
  const panel = reader.getByTestId('returned-report-panel')
  await expect(panel).toBeVisible({ timeout: 30_000 })
  await expect(panel.getByTestId('check-state')).toHaveAttribute('data-state', 'amended')
  await expect(panel.getByTestId('check-reason')).toContainText(AMEND_REASON)
  // against the reader's own last version (the correction), in the checker's words
  const changes = panel.getByTestId('tracked-changes')
  await expect(changes.getByTestId('tracked-impression').locator('del')).toHaveText('陳旧性')
  await expect(changes.getByTestId('tracked-impression').locator('ins')).toHaveText('新鮮')
  await expect(changes.locator('[data-field="judgement"] ins')).toHaveText('W 要精査')
  // read-only: nothing to edit or send
  await expect(panel.getByTestId('impression-editor')).toHaveCount(0)
  await expect(panel.getByTestId('impression-text')).toHaveText(AMENDED_IMPRESSION)
  await expect(panel.locator('button:enabled', { hasText: /送信/ })).toHaveCount(0)
  await expect(panel.getByTestId('report-versions').locator('li')).toHaveCount(3)
  await mkdir(SCREENSHOT_DIR, { recursive: true })
  await reader.screenshot({ path: `${SCREENSHOT_DIR}first-reader-amended.png` })
  await reader.context().close()
})

test('the admin sees reader statistics with the known answers and downloads them as CSV; a reader sees only their own', async ({ browser }) => {
  test.setTimeout(120_000)
  // two double reads: the Fuji chest disagrees (reader2 E, reader1 A), the echo agrees (reader1 N, reader3 N)
  await submitRead('reader2', FUJI_CHEST, {
    scale: 'lung-xray',
    findings: [{ findingCode: 'cx-nodule', bodyPartCode: 'lung-field', laterality: 'R', judgement: 'E', location: '上肺野', keyImages: [], measurements: [] }],
    impression: '右上肺野に結節影。',
  })
  await submitRead('reader1', FUJI_CHEST, { scale: 'lung-xray', findings: [{ findingCode: 'cx-no-abnormality', bodyPartCode: 'chest', judgement: 'A', keyImages: [], measurements: [] }], impression: '異常所見を認めません。' })
  const echo = { scale: 'report-check', findings: [{ findingCode: 'ctmr-no-abnormality', bodyPartCode: 'chest', judgement: 'N', keyImages: [], measurements: [] }], impression: '明らかな異常所見を認めません。' }
  await submitRead('reader1', US_ECHO, echo)
  await submitRead('reader3', US_ECHO, echo)

  const admin = await browserAs(browser, 'admin')
  await admin.getByTestId('open-statistics').click()
  const screen = admin.getByTestId('statistics-screen')
  await expect(screen).toBeVisible()

  // the default period is the last 30 days, today included
  const from = await admin.getByTestId('statistics-from').inputValue()
  const to = await admin.getByTestId('statistics-to').inputValue()
  expect(Date.parse(to) - Date.parse(from)).toBe(29 * 86_400_000)
  const token = await loginAs(demo.server.url, 'admin')
  const stats = readerStatisticsSchema.parse(await (await api(`${casePaths.readerStatistics}?from=${from}&to=${to}`, token)).json())
  const idOf = (name: string) => stats.readers.find((r) => r.readerName === name)!.readerId
  const rowOf = (name: string) => screen.locator(`[data-testid="statistics-row"][data-reader-id="${idOf(name)}"]`)

  // known answers: reader1 read the head CT, the Fuji chest (disagreed) and the echo (agreed)
  await expect(screen.getByTestId('statistics-row')).toHaveCount(3, { timeout: 30_000 })
  const reader1 = rowOf('読影 太郎')
  await expect(reader1.getByTestId('statistics-cases')).toHaveText('3')
  await expect(reader1.getByTestId('statistics-agreement')).toHaveText('50.0%')
  await expect(reader1.getByTestId('statistics-group')).toHaveCount(3)
  // the head CT counts as first submitted (F, no further examination), not as the checker amended it
  await expect(reader1.getByTestId('statistics-group').filter({ hasText: 'CT' })).toContainText('0.0%')
  await expect(rowOf('読影 花子').getByTestId('statistics-cases')).toHaveText('1')
  await expect(rowOf('読影 花子').getByTestId('statistics-agreement')).toHaveText('0.0%')
  // reader2's nodule (E) sends the examinee on: one further examination in one CR read
  await expect(rowOf('読影 花子').getByTestId('statistics-group')).toContainText('100.0%')
  await expect(rowOf('読影 次郎').getByTestId('statistics-agreement')).toHaveText('100.0%')
  await mkdir(SCREENSHOT_DIR, { recursive: true })
  await admin.screenshot({ path: `${SCREENSHOT_DIR}statistics.png` })

  const [download] = await Promise.all([admin.waitForEvent('download'), screen.getByTestId('statistics-csv').click()])
  expect(download.suggestedFilename()).toBe(`reader-statistics-${from}-${to}.csv`)
  const csv = await readFile((await download.path())!, 'utf8')
  const lines = csv.split(/\r?\n/)
  // one line per reader and facility/modality
  expect(lines.filter((l) => l.includes('読影 太郎'))).toHaveLength(3)
  expect(lines.filter((l) => l.includes('読影 花子'))).toHaveLength(1)
  await admin.context().close()

  // a reader sees only their own row (the server decides)
  const reader = await browserAs(browser, 'reader3')
  await reader.getByTestId('open-statistics').click()
  await expect(reader.getByTestId('statistics-row')).toHaveCount(1, { timeout: 30_000 })
  await expect(reader.getByTestId('statistics-row')).toContainText('読影 次郎')
  await expect(reader.getByTestId('statistics-screen')).toContainText('ご自身の統計のみ表示されます。')
  await reader.context().close()
})
