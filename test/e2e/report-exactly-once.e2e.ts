/**
 * Exactly once: the server commits the report and then drops its answer, ten times over;
 * the workstation keeps retrying with the same idempotency key and the server stores one
 * report. A double click on Submit sends one report too.
 */
import { expect, test } from '@playwright/test'
import type { ServerFaults } from '../../server/server-faults.ts'
import { logIn, openStudy, useDemoServer } from './demo-server-fixture.ts'

const CR_STUDY_UID = '1.2.392.200036.9125.0.199302241758.16'
const faults: ServerFaults = {}
const demo = useDemoServer({ faults })

test('lost answers and a double click still store exactly one report', async ({ page }) => {
  await page.goto(demo.server.url)
  await logIn(page, 'reader1')
  await openStudy(page, CR_STUDY_UID)
  await expect(page.getByTestId('finding-search')).toBeFocused({ timeout: 30_000 })
  await page.keyboard.type('nod')
  await page.keyboard.press('Enter')
  await page.keyboard.press('l')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('report-finding')).toHaveCount(1)
  // the image on screen becomes the finding's key image; the finding's template goes into the impression
  await expect(page.getByTestId('stack-viewport')).toHaveAttribute('data-render-path', 'gpu', { timeout: 30_000 })
  await page.keyboard.press('Alt+k')
  await expect(page.getByTestId('key-image-count')).toHaveText('キー画像 1 枚')
  await page.keyboard.press('Control+t')
  await expect(page.getByTestId('impression-editor')).toContainText('左肺野に［大きさ］大の結節影')
  await expect(page.getByTestId('impression-editor')).toBeFocused()
  await page.keyboard.type('12 mm') // Tab-free: the placeholder was selected, typing replaces it
  await expect(page.getByTestId('impression-editor')).toContainText('左肺野に12 mm大の結節影')

  faults.dropReportResponses = 10
  await page.getByTestId('submit-report').dblclick()
  await expect(page.getByTestId('report-status')).toHaveAttribute('data-status', 'queued')
  await expect(page.getByTestId('report-status')).toHaveAttribute('data-status', 'sent', { timeout: 90_000 })
  expect(faults.dropReportResponses).toBe(0)

  const rows = await demo.server.db.query<{ content: { impression: string; findings: Array<{ keyImages: string[] }> } }>(
    'select r.content from reports r join assignments a on a.id = r.assignment_id where a.study_instance_uid = $1',
    [CR_STUDY_UID],
  )
  expect(rows.rows).toHaveLength(1)
  expect(rows.rows[0]!.content.impression).toContain('左肺野に12 mm大の結節影')
  expect(rows.rows[0]!.content.findings[0]!.keyImages).toHaveLength(1)
})
