/**
 * Disk full: the browser profile lives on a small tmpfs, and the reader is assigned a CT
 * larger than the room left. The cache first evicts what no assignment needs any more, then
 * pauses and says so in the status bar (Japanese and English); the draft and the queued
 * report survive and can still be written, the database is never reset, a cached study still
 * reads, and after a restart on the full disk the queued report goes out exactly once.
 */
import { expect, test, type Page } from '@playwright/test'
import { deleteAssignment, loginAs } from '../harness/reading-server-api.ts'
import { launchKillableBrowser, type KillableBrowser } from '../harness/killable-browser.ts'
import { mountSmallFilesystem, type SmallFilesystem } from '../harness/small-filesystem.ts'
import { FIRST_VIEWPORT, viewportCanvasStats } from './canvas-pixels.ts'
import { assignmentIdOf, storedReports } from './demo-assignments.ts'
import { logIn, openStudy, useDemoServer } from './demo-server-fixture.ts'
import { assignGeneratedCt } from './generated-ct-fixture.ts'
import { readWorkstationIdb, type IdbSnapshot } from './workstation-idb.ts'

/** Chromium grants an origin 60 % of the disk: about 58 MB here, room for the demo worklist but not for the CT. */
const FILESYSTEM_MB = 96
const CT_SLICES = 200

/** The head CT: its report waits in the outbox while the disk is full, and it is read from the cache. */
const CT_STUDY_UID = '1.3.46.670589.33.1.27492712521914879309.27169771283235650014'
/** The chest X-ray: its draft is kept, and written again, while the disk is full. */
const CR_STUDY_UID = '1.2.392.200036.9125.0.199302241758.16'
/** Taken off reader1's worklist before the CT arrives: the cache may evict them. */
const UNASSIGNED = { mr: '1.113654.3.13.1026', us: '1.3.6.1.4.1.25403.166563008443.732.20120418082458.1' }

const demo = useDemoServer()
let fs: SmallFilesystem | undefined
const browsers: KillableBrowser[] = []

test.beforeAll(async () => {
  fs = await mountSmallFilesystem(FILESYSTEM_MB)
})

test.afterAll(async () => {
  for (const b of browsers.splice(0)) await b.close().catch(() => b.kill())
  await fs?.unmount()
})

async function start(): Promise<KillableBrowser> {
  const browser = await launchKillableBrowser(`${fs!.dir}/profile`)
  browsers.push(browser)
  await browser.page.goto(demo.server.url)
  return browser
}

function studyIn(snapshot: IdbSnapshot, uid: string) {
  return snapshot.studies.find((s) => s.studyInstanceUid === uid)
}

/**
 * Fills what is left of the origin's storage with a database of its own, in ever smaller
 * pieces down to 64 bytes, as another tab or application would; returns the bytes written.
 */
function fillQuota(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('disk-full-test-filler', 1)
      open.onupgradeneeded = () => open.result.createObjectStore('filler')
      open.onsuccess = () => resolve(open.result)
      open.onerror = () => reject(open.error)
    })
    // random, so that compression cannot shrink them
    const randomBytes = (size: number) => {
      const bytes = new Uint8Array(size)
      for (let at = 0; at < size; at += 65_536) crypto.getRandomValues(bytes.subarray(at, at + 65_536))
      return bytes
    }
    let written = 0
    let key = 0
    for (let size = 1 << 20; size >= 64; size >>= 2) {
      for (;;) {
        const ok = await new Promise<boolean>((resolve) => {
          const tx = db.transaction('filler', 'readwrite')
          tx.objectStore('filler').put(randomBytes(size), key++)
          tx.oncomplete = () => resolve(true)
          tx.onabort = () => resolve(false)
        })
        if (!ok) break
        written += size
      }
    }
    db.close()
    return written
  })
}

/** Types into the impression of an open study and waits until the draft is saved. */
async function typeImpression(page: Page, text: string): Promise<void> {
  await expect(page.getByTestId('report-status')).toHaveAttribute('data-status', 'editing', { timeout: 30_000 })
  await page.getByTestId('impression-editor').click()
  await page.keyboard.press('End')
  await page.keyboard.type(text)
}

test('a full disk: eviction first, then a clear message; the reader’s work survives and the database is never reset', async () => {
  test.setTimeout(360_000)
  const crAssignment = await assignmentIdOf(demo.server, 'reader1', CR_STUDY_UID)
  const draftOf = (snapshot: IdbSnapshot) => snapshot.drafts.find((d) => d.assignmentId === crAssignment)?.content?.impression
  const ctAssignment = await assignmentIdOf(demo.server, 'reader1', CT_STUDY_UID)
  const first = await start()
  const page = first.page
  await logIn(page, 'reader1')

  // the demo worklist fits
  const rows = page.getByTestId('worklist-row')
  await expect(rows.first()).toBeVisible({ timeout: 30_000 })
  const rowCount = await rows.count()
  await expect(page.locator('[data-testid="cache-state"][data-state="complete"]')).toHaveCount(rowCount, { timeout: 120_000 })
  const fitted = await readWorkstationIdb(page)
  const cachedBefore = fitted.studies.filter((s) => s.complete)
  console.log(`demo worklist cached: ${cachedBefore.length} studies, ${(fs!.sizeBytes - (await fs!.free())) / 1e6} MB of the disk used`)

  // a draft on one study, a submitted report that cannot be sent (the report API refuses the connection) on another
  await openStudy(page, CR_STUDY_UID)
  await typeImpression(page, '胸部単純写真。心拡大なし。')
  await expect.poll(async () => draftOf(await readWorkstationIdb(page)), { timeout: 10_000 }).toBe('胸部単純写真。心拡大なし。')
  await page.getByRole('button', { name: /ワークリストへ戻る/ }).click()
  await first.context.route('**/api/v1/assignments/*/report', (route) => (route.request().method() === 'POST' ? route.abort('connectionrefused') : route.continue()))
  await openStudy(page, CT_STUDY_UID)
  await typeImpression(page, '頭部単純 CT。異常なし。')
  await page.keyboard.press('Control+Enter')
  await expect(page.getByTestId('report-status')).toHaveAttribute('data-status', 'queued')
  await page.getByRole('button', { name: /ワークリストへ戻る/ }).click()

  // two studies leave the worklist: the cache may now evict them
  const admin = await loginAs(demo.server.url, 'admin')
  for (const uid of Object.values(UNASSIGNED)) await deleteAssignment(demo.server.url, admin, await assignmentIdOf(demo.server, 'reader1', uid))
  await expect
    .poll(async () => {
      const snapshot = await readWorkstationIdb(page)
      return Object.values(UNASSIGNED).map((uid) => studyIn(snapshot, uid)?.needed)
    }, { timeout: 60_000 })
    .toEqual([0, 0])

  // then a CT far larger than the room left
  const ct = await assignGeneratedCt(demo.server, { slices: CT_SLICES, seed: 'disk-full', username: 'reader1', priority: 'stat' })
  const alert = page.getByTestId('storage-full-alert')
  await expect(alert).toBeVisible({ timeout: 180_000 })
  await expect(alert).toContainText('保存容量が不足しています。画像の事前取得を一時停止しました。')
  await expect(alert).toContainText('下書きと送信待ちの所見は保存されています。')
  await expect(page.getByTestId('storage-full-indicator')).toHaveText('容量不足')
  await page.getByTestId('language-switch').click()
  await expect(alert).toContainText('The disk is full: prefetching images is paused.')
  await expect(alert).toContainText('Drafts and reports waiting to be sent are saved.')
  await expect(page.getByTestId('storage-full-indicator')).toHaveText('Disk full')
  await page.getByTestId('language-switch').click()
  const freeAtAlert = await fs!.free()

  // eviction came first: the studies no longer assigned are gone, everything else is still there
  const full = await readWorkstationIdb(page)
  for (const uid of Object.values(UNASSIGNED)) expect(studyIn(full, uid), `${uid} should have been evicted`).toBeUndefined()
  for (const s of cachedBefore.filter((s) => !Object.values(UNASSIGNED).includes(s.studyInstanceUid))) {
    expect(studyIn(full, s.studyInstanceUid), `${s.studyInstanceUid} was cached and needed`).toMatchObject({ complete: true, cachedInstanceCount: s.instanceCount })
    expect(full.blobsPerStudy[s.studyInstanceUid]).toBe(s.instanceCount)
  }
  const partial = studyIn(full, ct.studyInstanceUid)!
  expect(partial.cachedInstanceCount).toBeGreaterThan(0)
  expect(partial.cachedInstanceCount).toBeLessThan(ct.instanceCount)
  expect(full.blobsPerStudy[ct.studyInstanceUid]).toBe(partial.cachedInstanceCount)
  expect(draftOf(full)).toBe('胸部単純写真。心拡大なし。')
  expect(full.outbox.filter((o) => o.assignmentId === ctAssignment)).toMatchObject([{ state: 'pending', content: { impression: '頭部単純 CT。異常なし。' } }])
  console.log(`storage full: CT ${partial.cachedInstanceCount}/${ct.instanceCount} cached, ${(freeAtAlert / 1e6).toFixed(1)} MB of the disk free`)

  // a cached study still reads
  await openStudy(page, CT_STUDY_UID)
  const viewport = page.locator(FIRST_VIEWPORT).getByTestId('stack-viewport')
  await expect(viewport).toHaveAttribute('data-render-path', 'gpu', { timeout: 30_000 })
  await expect(page.locator(FIRST_VIEWPORT).getByTestId('slice-number')).toHaveText('Im: 1 / 28')
  await expect.poll(async () => (await viewportCanvasStats(page)).litFraction, { timeout: 30_000 }).toBeGreaterThan(0.02)
  const box = (await viewport.boundingBox())!
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
  for (let i = 0; i < 5; i++) await page.mouse.wheel(0, 120)
  await expect(page.locator(FIRST_VIEWPORT).getByTestId('slice-number')).toHaveText('Im: 6 / 28')
  await page.getByRole('button', { name: /ワークリストへ戻る/ }).click()

  // the draft can still be written on the full disk
  await openStudy(page, CR_STUDY_UID)
  await expect(page.getByTestId('impression-editor')).toHaveText('胸部単純写真。心拡大なし。', { timeout: 30_000 })
  await typeImpression(page, '肺野に異常影なし。')
  await expect.poll(async () => draftOf(await readWorkstationIdb(page)), { timeout: 10_000 }).toBe('胸部単純写真。心拡大なし。肺野に異常影なし。')

  // not a byte left (something else filled the disk): the draft still saves, and the incomplete CT is what gives way
  const filled = await fillQuota(page)
  expect(await page.evaluate(() => new Promise<string>((resolve) => {
    const open = indexedDB.open('disk-full-test-filler')
    open.onsuccess = () => {
      const tx = open.result.transaction('filler', 'readwrite')
      tx.objectStore('filler').put(new Uint8Array(4096), 'probe')
      tx.oncomplete = () => resolve('written')
      tx.onabort = () => resolve(tx.error?.name ?? 'aborted')
    }
  }))).toBe('QuotaExceededError')
  await typeImpression(page, '縦隔に異常なし。')
  const FINAL_DRAFT = '胸部単純写真。心拡大なし。肺野に異常影なし。縦隔に異常なし。'
  await expect.poll(async () => draftOf(await readWorkstationIdb(page)), { timeout: 10_000 }).toBe(FINAL_DRAFT)
  await expect(page.getByTestId('report-status')).toHaveAttribute('data-status', 'editing')
  await expect(page.getByTestId('report-status')).not.toContainText('could not be saved')
  const afterFill = await readWorkstationIdb(page)
  expect(studyIn(afterFill, ct.studyInstanceUid), 'the incomplete CT gave way to the draft').toBeUndefined()
  expect(afterFill.studies.map((s) => s.studyInstanceUid).sort()).toEqual(full.studies.map((s) => s.studyInstanceUid).filter((uid) => uid !== ct.studyInstanceUid).sort())
  console.log(`filled the last ${(filled / 1e6).toFixed(2)} MB of the origin's quota; the draft evicted the partial CT`)
  await page.getByRole('button', { name: /ワークリストへ戻る/ }).click()

  // the CT leaves the worklist (so that a restart does not fill the disk again); the browser restarts
  await deleteAssignment(demo.server.url, admin, ct.assignmentId)
  await expect.poll(async () => (await readWorkstationIdb(page)).studies.length, { timeout: 30_000 }).toBe(afterFill.studies.length)
  await first.close()
  const second = await start()
  const restarted = await readWorkstationIdb(second.page)
  expect(restarted.studies.map((s) => s.studyInstanceUid).sort()).toEqual(afterFill.studies.map((s) => s.studyInstanceUid).sort())
  for (const s of restarted.studies) expect(restarted.blobsPerStudy[s.studyInstanceUid]).toBe(s.cachedInstanceCount)
  expect(draftOf(restarted)).toBe(FINAL_DRAFT)
  await logIn(second.page, 'reader1')
  // the queued report goes out, once; the draft comes back in the editor; the key never changed
  await expect.poll(async () => (await readWorkstationIdb(second.page)).outbox.filter((o) => o.assignmentId === ctAssignment).map((o) => `${o.state}${o.rejection ? `: ${o.rejection}` : ''}`), { timeout: 60_000 }).toEqual(['sent'])
  expect(await storedReports(demo.server, ctAssignment)).toEqual([{ impression: '頭部単純 CT。異常なし。' }])
  await openStudy(second.page, CR_STUDY_UID)
  await expect(second.page.getByTestId('impression-editor')).toHaveText(FINAL_DRAFT, { timeout: 30_000 })
  await expect(second.page.getByRole('alert').filter({ hasText: /暗号鍵|encryption key/ })).toHaveCount(0)
})
