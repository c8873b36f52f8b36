/**
 * A hostile instance in the local cache (as a server that checks nothing would deliver it):
 * one CT slice whose Pixel Data declares 3 GB in a 0.5 MB file. The reference server refuses
 * such a file at import, so the test plants it in the browser's cache itself (sealed with the
 * browser's own cache key). Reopened, the study still opens: the slice is checked in a parse
 * worker, marked in the series browser with its reason, and left out of the stack.
 */
import { expect, test, type Page } from '@playwright/test'
import { WORKSTATION_DB_NAME } from '../../renderer/src/cache/workstation-db.ts'
import { BROWSER_KEY_STORE } from '../../renderer/src/desktop/browser-cache-key.ts'
import { FIRST_VIEWPORT, viewportCanvasStats } from './canvas-pixels.ts'
import { logIn, openStudy, useDemoServer } from './demo-server-fixture.ts'

const CT_STUDY_UID = '1.3.46.670589.33.1.27492712521914879309.27169771283235650014'
const demo = useDemoServer()

/**
 * Rewrites one cached instance's Pixel Data length to 3 GB (0xC0000000), in place in IndexedDB,
 * and returns its SOP Instance UID.
 */
function plantHostileSlice(page: Page, instanceNumber: number): Promise<string> {
  return page.evaluate(
    async ({ dbName, keyStore, studyInstanceUid, instanceNumber }) => {
      const request = <T,>(r: IDBRequest<T>) =>
        new Promise<T>((resolve, reject) => {
          r.onsuccess = () => resolve(r.result)
          r.onerror = () => reject(r.error)
        })
      const keyDb = await request(indexedDB.open(keyStore.database))
      const stored = (await request(keyDb.transaction(keyStore.store).objectStore(keyStore.store).get(keyStore.record))) as { wrappingKey: CryptoKey; iv: Uint8Array; sealed: ArrayBuffer }
      keyDb.close()
      const raw = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: stored.iv as BufferSource }, stored.wrappingKey, stored.sealed)
      const key = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt'])

      const db = await request(indexedDB.open(dbName))
      const instances = (await request(db.transaction('instances').objectStore('instances').index('studyInstanceUid').getAll(studyInstanceUid))) as Array<{ sopInstanceUid: string; instanceNumber: number }>
      const target = instances.find((i) => i.instanceNumber === instanceNumber)
      if (!target) throw new Error(`no instance ${instanceNumber}`)
      const blobs = db.transaction('instanceBlobs').objectStore('instanceBlobs')
      const record = (await request(blobs.get(target.sopInstanceUid))) as { sopInstanceUid: string; studyInstanceUid: string; iv: Uint8Array; bytes: Blob }
      const bytes = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: record.iv as BufferSource }, key, await record.bytes.arrayBuffer()))
      // (7FE0,0010) OW: E0 7F 10 00 'O' 'W' 00 00, then the 4-byte length
      let at = -1
      for (let i = 132; i + 12 <= bytes.length; i++) {
        if (bytes[i] === 0xe0 && bytes[i + 1] === 0x7f && bytes[i + 2] === 0x10 && bytes[i + 3] === 0x00 && bytes[i + 4] === 0x4f && bytes[i + 5] === 0x57) {
          at = i
          break
        }
      }
      if (at === -1) throw new Error('no Pixel Data element')
      new DataView(bytes.buffer).setUint32(at + 8, 0xc0000000, true)
      const iv = crypto.getRandomValues(new Uint8Array(12))
      const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, bytes)
      await request(db.transaction('instanceBlobs', 'readwrite').objectStore('instanceBlobs').put({ ...record, iv, bytes: new Blob([sealed]) }))
      db.close()
      return target.sopInstanceUid
    },
    { dbName: WORKSTATION_DB_NAME, keyStore: BROWSER_KEY_STORE, studyInstanceUid: CT_STUDY_UID, instanceNumber },
  )
}

test('a slice declaring 3 GB of pixel data in 0.5 MB is marked with its reason and left out; the study opens', async ({ page }) => {
  const pageErrors: string[] = []
  page.on('pageerror', (error) => pageErrors.push(error.message))
  await page.goto(demo.server.url)
  await logIn(page, 'reader1')
  await openStudy(page, CT_STUDY_UID)
  await expect(page.getByTestId('cache-progress')).toHaveAttribute('value', '28', { timeout: 60_000 })
  await expect(page.locator(FIRST_VIEWPORT).getByTestId('slice-number')).toHaveText('Im: 1 / 28', { timeout: 60_000 })

  const hostile = await plantHostileSlice(page, 14)
  await page.reload()
  await openStudy(page, CT_STUDY_UID)

  // marked in the series browser, with the reason in Japanese and the technical detail on hover
  const bad = page.getByTestId('series-browser').locator(`[data-testid="bad-instances"] li[data-sop-uid="${hostile}"]`)
  await expect(bad).toHaveAttribute('data-code', 'length-out-of-bounds', { timeout: 60_000 })
  await expect(bad).toHaveText('画像 14: データの長さがファイルの大きさと合いません（途中で切れているか壊れています）')
  await expect(bad).toHaveAttribute('title', /^\(7FE0,0010\) declares 3,221,225,472 bytes .* the file is truncated or the length is corrupt$/)
  await expect(page.getByTestId('series-item').first()).toContainText('27 枚')

  // the rest of the study opens: 27 slices, drawn
  const slice = page.locator(FIRST_VIEWPORT).getByTestId('slice-number')
  await expect(slice).toHaveText('Im: 1 / 27', { timeout: 60_000 })
  await expect.poll(async () => (await viewportCanvasStats(page)).litFraction, { timeout: 30_000 }).toBeGreaterThan(0.02)
  // scrolling through every slice meets no error
  await page.locator(FIRST_VIEWPORT).getByTestId('stack-viewport').click()
  for (let i = 0; i < 26; i++) await page.keyboard.press('ArrowDown')
  await expect(slice).toHaveText('Im: 27 / 27')
  await expect(page.locator(FIRST_VIEWPORT).locator('.stack-viewer__error')).toHaveCount(0)
  expect(pageErrors).toEqual([])
})
