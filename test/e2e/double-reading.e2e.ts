/**
 * Screening double reading end to end in Chromium, on the Fuji chest X-ray of the demo
 * (reader2 reads first, reader1 second, checker1 compares):
 *
 * 1. reader2's first read ("E", a nodule) goes in through the API, with unique markers in its
 *    impression and its finding's location.
 * 2. reader1 opens the study in the workstation: the markers appear nowhere in the page, in no
 *    response the browser received, and in no object store of any IndexedDB database (drafts and
 *    the outbox decrypted as well); the first read's report URL is never requested.
 * 3. reader1 reads "A" (no abnormal findings) by keyboard and submits: the comparison view then
 *    shows the disagreement, row by row.
 * 4. checker1, in a new browser, finds the case in the worklist (filtered by the keyboard),
 *    records the consensus, and the server holds the case as final, reached by consensus.
 */
import { randomUUID } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { expect, test, type BrowserContext, type Page } from '@playwright/test'
import { apiPaths } from '../../shared/api-contract.ts'
import type { ReportContent } from '../../shared/finding-master.ts'
import { DICOMWEB_ROOT, dicomwebPaths } from '../../shared/dicomweb-paths.ts'
import { casePaths, readingCaseSchema } from '../../shared/reading-case-contract.ts'
import { IDEMPOTENCY_KEY_HEADER, reportPaths } from '../../shared/report-contract.ts'
import { fetchWorklist, loginAs } from '../harness/reading-server-api.ts'
import { logIn, openStudy, useDemoServer } from './demo-server-fixture.ts'
import { readWorkstationIdb } from './workstation-idb.ts'

const FUJI_CHEST = '1.2.392.200036.9125.0.199302241758.16'
const SCREENSHOT_DIR = fileURLToPath(new URL('../../docs/screenshots/double-reading/', import.meta.url))
const demo = useDemoServer()

/**
 * Every request of the browser context (the page's and its workers') goes through the test,
 * which fetches it, keeps the whole answer and hands it to the browser: what the browser received
 * is exactly what is searched. (Response events cannot be relied on here: Chromium does not keep
 * every body, a worker's least of all.)
 */
async function recordTraffic(context: BrowserContext) {
  const bodies: Array<{ url: string; body: Buffer }> = []
  const requested: string[] = []
  await context.route('**/*', async (route) => {
    const url = route.request().url()
    requested.push(url)
    try {
      // no time limit: the worklist's long-poll answers when the list changes
      const response = await route.fetch({ timeout: 0 })
      const body = await response.body()
      bodies.push({ url, body })
      await route.fulfill({ response, body })
    } catch {
      // the browser gave up on the request (a long-poll cancelled, the page closed)
      await route.abort().catch(() => undefined)
    }
  })
  return { bodies, requested }
}

/**
 * Looks for the strings in every record of every object store of every IndexedDB database of
 * the page, in the page: strings, numbers and keys as they are, blobs and buffers as UTF-8 text.
 */
function searchIndexedDb(page: Page, needles: string[]) {
  return page.evaluate(async (needles) => {
    const request = <T,>(r: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        r.onsuccess = () => resolve(r.result)
        r.onerror = () => reject(r.error)
      })
    const decoder = new TextDecoder('utf-8', { fatal: false })
    async function flatten(value: unknown, out: string[], depth = 0): Promise<void> {
      if (depth > 20 || value === null || value === undefined) return
      if (typeof value === 'string') out.push(value)
      else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') out.push(String(value))
      else if (value instanceof Blob) out.push(decoder.decode(await value.arrayBuffer()))
      else if (value instanceof ArrayBuffer) out.push(decoder.decode(value))
      else if (ArrayBuffer.isView(value)) out.push(decoder.decode(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)))
      else if (value instanceof Date) out.push(value.toISOString())
      else if (Array.isArray(value)) for (const v of value) await flatten(v, out, depth + 1)
      else if (typeof value === 'object') for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        out.push(k)
        await flatten(v, out, depth + 1)
      }
    }
    const stores: Record<string, number> = {}
    const hits: string[] = []
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue
      const db = await request(indexedDB.open(info.name))
      for (const storeName of Array.from(db.objectStoreNames)) {
        const store = db.transaction(storeName).objectStore(storeName)
        const [values, keys] = await Promise.all([request(store.getAll()), request(store.getAllKeys())])
        stores[`${info.name}/${storeName}`] = values.length
        const texts: string[] = []
        await flatten(values, texts)
        await flatten(keys, texts)
        for (const needle of needles) if (texts.some((t) => t.includes(needle))) hits.push(`${info.name}/${storeName}: ${needle}`)
      }
      db.close()
    }
    return { stores, hits }
  }, needles)
}

async function api<T>(path: string, token: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(demo.server.url + path, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  })
  return { status: response.status, body: (await response.json().catch(() => null)) as T }
}

test('a blinded second read that disagrees, compared and decided by consensus', async ({ page, browser }, testInfo) => {
  test.setTimeout(240_000)
  const impressionMarker = `FIRSTREAD-IMPRESSION-${randomUUID()}`
  const locationMarker = `FIRSTREAD-LOCATION-${randomUUID().slice(0, 8)}`
  const markers = [impressionMarker, locationMarker]

  // 1. reader2's first read, through the API
  const reader2 = await loginAs(demo.server.url, 'reader2')
  const firstAssignment = (await fetchWorklist(demo.server.url, reader2)).assignments.find((a) => a.studyInstanceUid === FUJI_CHEST && a.readingType === 'first')!
  expect(firstAssignment.readingCase).toMatchObject({ workflow: 'double', status: 'first-read' })
  const caseId = firstAssignment.readingCase!.id
  // the chest image is the nodule finding's key image
  const metadata = (await api<Array<Record<string, { Value?: string[] }>>>(`${DICOMWEB_ROOT}${dicomwebPaths.studyMetadata(FUJI_CHEST)}`, reader2, { headers: { accept: 'application/dicom+json' } })).body
  const keyImage = metadata[0]?.['00080018']?.Value?.[0]
  expect(keyImage).toMatch(/^[0-9.]+$/)
  const firstRead: ReportContent = {
    masterVersion: 1,
    scale: 'lung-xray',
    findings: [{ findingCode: 'cx-nodule', bodyPartCode: 'lung-field', laterality: 'R', judgement: 'E', location: `右上肺野 ${locationMarker}`, keyImages: [keyImage!], measurements: [] }],
    impression: `右上肺野に結節影。精密検査を勧めます。${impressionMarker}`,
    comments: '',
    keyImages: [],
    measurements: [],
  }
  const submitted = await api(reportPaths.assignmentReport(firstAssignment.id), reader2, { body: { content: firstRead }, headers: { [IDEMPOTENCY_KEY_HEADER]: randomUUID() } })
  expect(submitted.status).toBe(201)
  const firstReportUrl = demo.server.url + reportPaths.assignmentReport(firstAssignment.id)

  // 2. reader1, the second reader, in the workstation
  const seen = await recordTraffic(page.context())
  await page.goto(demo.server.url)
  await logIn(page, 'reader1')
  const row = page.locator(`[data-testid="worklist-row"][data-study-uid="${FUJI_CHEST}"]`)
  await expect(row).toBeVisible({ timeout: 30_000 })
  await expect(row).toHaveAttribute('data-reading-type', 'second')
  // the case is fetched (blinded) as the study opens
  const caseFetched = page.waitForResponse((r) => r.url().endsWith(casePaths.readingCase(caseId)) && r.status() === 200, { timeout: 30_000 })
  await openStudy(page, FUJI_CHEST)
  await caseFetched
  await expect(page.getByTestId('finding-search')).toBeFocused({ timeout: 30_000 })
  // the image arrives and the worklist is polled meanwhile: what the browser got while blinded
  await expect(page.locator('.study__progress')).toContainText('ローカルに保存済み', { timeout: 60_000 })
  await expect(page.getByTestId('reading-case-panel')).toHaveCount(0)

  const html = await page.content()
  const text = await page.locator('body').innerText()
  for (const marker of markers) {
    expect(html, 'page DOM').not.toContain(marker)
    expect(text, 'page text').not.toContain(marker)
  }
  // the page's own requests and the sync worker's (the worklist, the study's DICOMweb metadata and instances)
  expect(seen.bodies.some((b) => b.url.endsWith(apiPaths.worklist) || b.url.includes(`${apiPaths.worklist}?`))).toBe(true)
  expect(seen.bodies.some((b) => b.url.includes(`${DICOMWEB_ROOT}/studies/${FUJI_CHEST}`))).toBe(true)
  const caseBody = seen.bodies.find((b) => b.url.endsWith(casePaths.readingCase(caseId)))
  expect(readingCaseSchema.parse(JSON.parse(caseBody!.body.toString('utf8'))).reads.find((r) => r.readingType === 'first')).toMatchObject({ blinded: true, status: 'submitted' })
  for (const { url, body } of seen.bodies) for (const marker of markers) expect(body.includes(Buffer.from(marker, 'utf8')), `response of ${url}`).toBe(false)
  expect(seen.requested.filter((url) => url.startsWith(firstReportUrl))).toEqual([])
  // IndexedDB: every store of every database, raw (the cache is encrypted, so also decrypted below)
  const idb = await searchIndexedDb(page, markers)
  expect(Object.keys(idb.stores)).toEqual(expect.arrayContaining(['reading-workstation/assignments', 'reading-workstation/instanceBlobs', 'reading-workstation/syncState']))
  expect(idb.hits).toEqual([])
  const decrypted = await readWorkstationIdb(page)
  expect(JSON.stringify([decrypted.drafts, decrypted.outbox])).not.toContain(impressionMarker)

  // 3. reader1 reads "A" by keyboard and submits
  await page.keyboard.type('No abnormal')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('report-step')).toBeFocused()
  await page.keyboard.press('Enter') // keep the default judgement A
  await expect(page.getByTestId('report-finding')).toHaveCount(1)
  await expect(page.getByTestId('overall-judgement')).toContainText('A')
  await page.getByTestId('needs-prior-comparison').check()
  await page.keyboard.press('Control+Enter')
  await expect(page.getByTestId('report-status')).toHaveAttribute('data-status', 'sent', { timeout: 30_000 })
  expect(seen.requested.filter((url) => url.startsWith(firstReportUrl))).toEqual([])

  const view = page.getByTestId('comparison-view')
  await expect(view).toBeVisible({ timeout: 30_000 })
  await expect(page.getByTestId('reading-case-status')).toHaveAttribute('data-status', 'comparison')
  await expect(page.getByTestId('comparison-overall')).toHaveAttribute('data-agrees', 'false')
  const rows = view.getByTestId('comparison-row')
  await expect(rows).toHaveCount(2)
  expect(await rows.evaluateAll((els) => els.map((e) => [e.getAttribute('data-finding'), e.getAttribute('data-match')]))).toEqual([
    ['cx-nodule', 'only-first'],
    ['cx-no-abnormality', 'only-second'],
  ])
  await expect(rows.nth(0)).toContainText('一次読影のみ')
  await expect(rows.nth(1)).toContainText('二次読影のみ')
  // now that reader1's own read is in, the first read may be seen
  await expect(view).toContainText(impressionMarker)
  await expect(page.getByTestId('case-decision-form')).toHaveCount(0)
  // the first read's key image is named as the open study holds it, and shown in the viewer on a click
  const keyImageButton = rows.nth(0).getByTestId('comparison-key-image')
  await expect(keyImageButton).toHaveText(/^Se \d+ · Im \d+$/)
  await expect(keyImageButton).toHaveAttribute('data-sop', keyImage!)
  await keyImageButton.click()
  await expect(view).toBeVisible()

  // 4. checker1 compares, in a new browser
  const checkerContext = await browser.newContext({ viewport: { width: 1600, height: 1000 } })
  try {
    const checker = await checkerContext.newPage()
    await checker.goto(demo.server.url)
    await logIn(checker, 'checker1')
    await expect(checker.getByTestId('worklist-row').first()).toBeVisible({ timeout: 30_000 })
    // the filters by keyboard: only comparisons, then only those waiting on someone else
    const typeFilter = checker.getByTestId('filter-reading-type')
    await typeFilter.focus()
    // all → first → second → comparison
    for (let i = 0; i < 3; i++) await checker.keyboard.press('ArrowDown')
    await expect(typeFilter).toHaveValue('comparison')
    const rowsShown = checker.getByTestId('worklist-row')
    await expect(rowsShown).not.toHaveCount(0)
    expect(new Set(await rowsShown.evaluateAll((els) => els.map((e) => e.getAttribute('data-reading-type'))))).toEqual(new Set(['comparison']))
    const fujiRow = checker.locator(`[data-testid="worklist-row"][data-study-uid="${FUJI_CHEST}"]`)
    await expect(fujiRow.getByTestId('case-badge')).toHaveAttribute('data-badge', 'comparison')
    await expect(fujiRow.getByTestId('case-badge')).toHaveText('比較読影待ち')
    await mkdir(SCREENSHOT_DIR, { recursive: true })
    await checker.screenshot({ path: `${SCREENSHOT_DIR}worklist-filtered.png` })
    await checker.getByTestId('filter-waiting').focus()
    await checker.keyboard.press('Space')
    await expect(checker.getByTestId('filter-waiting')).toBeChecked()
    await expect(fujiRow).toHaveCount(0)
    await checker.keyboard.press('Space')
    await expect(fujiRow).toBeVisible()

    await openStudy(checker, FUJI_CHEST)
    const panel = checker.getByTestId('reading-case-panel')
    await expect(panel.getByTestId('comparison-view')).toBeVisible({ timeout: 30_000 })
    // a comparison is not written as a report
    await expect(checker.getByTestId('submit-report')).toHaveCount(0)
    await expect(panel.getByTestId('comparison-row')).toHaveCount(2)
    await expect(panel.getByTestId('comparison-needs-priors')).toHaveCount(1)
    await expect(checker.locator('.study__progress')).toContainText('ローカルに保存済み', { timeout: 60_000 })
    // for the screenshot only: the image drawn beside the comparison (the viewer's own tests check the drawing)
    await expect(checker.getByTestId('stack-viewport')).toHaveAttribute('data-render-path', 'gpu', { timeout: 30_000 }).catch(() => undefined)
    await checker.getByTestId('decision-judgement').selectOption('E')
    await checker.getByTestId('decision-reason').fill('右上肺野の結節影を確認、一次読影を採用')
    await checker.screenshot({ path: `${SCREENSHOT_DIR}comparison-view.png` })
    await checker.screenshot({ path: testInfo.outputPath('comparison-view.png') })

    const consensus = checker.waitForResponse((r) => r.url().endsWith(casePaths.consensus(caseId)))
    await checker.getByTestId('record-consensus').click()
    expect((await consensus).status()).toBe(200)
    await expect(panel.getByTestId('case-final-record')).toHaveAttribute('data-method', 'consensus', { timeout: 15_000 })
    await expect(panel.getByTestId('final-method')).toHaveText('合議（コンセンサス）')
    await expect(panel.getByTestId('case-events').locator('li')).toHaveCount(3)
    await expect(checker.getByTestId('case-decision-form')).toHaveCount(0)
    await checker.screenshot({ path: `${SCREENSHOT_DIR}final-record.png` })

    const checker1 = await loginAs(demo.server.url, 'checker1')
    const final = readingCaseSchema.parse((await api(casePaths.readingCase(caseId), checker1)).body)
    expect(final).toMatchObject({ status: 'final', final: { method: 'consensus', overallJudgement: 'E', requiresFurtherExamination: true, reason: '右上肺野の結節影を確認、一次読影を採用' } })
    expect(final.reads.find((r) => r.readingType === 'second')?.latest?.content).toMatchObject({ needsPriorComparison: true, findings: [{ findingCode: 'cx-no-abnormality', judgement: 'A' }] })
    expect(final.events.map((e) => `${e.event}:${e.toStatus}`)).toEqual(['read-submitted:second-read', 'read-submitted:comparison', 'consensus:final'])
    const worklist = await fetchWorklist(demo.server.url, checker1)
    expect(worklist.assignments.find((a) => a.studyInstanceUid === FUJI_CHEST && a.readingType === 'comparison')).toMatchObject({ status: 'submitted', readingCase: { status: 'final' } })
  } finally {
    await checkerContext.close()
  }
})
