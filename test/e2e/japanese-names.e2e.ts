/**
 * Japanese names end to end: the character-set fixtures (ISO 2022 IR 87, ISO 2022 IR 13 with
 * IR 87, UTF-8) are imported into the demo server and assigned to reader1; the worklist row and
 * the viewer's overlay must show the kanji name with its reading, and the Japanese description.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import dicomParser from 'dicom-parser'
import { expect, test } from '@playwright/test'
import { apiPaths, loginResponseSchema } from '../../shared/api-contract.ts'
import { DEMO_PASSWORD } from '../../server/demo-seed.ts'
import { importDicomFiles } from '../../server/dicom-import.ts'
import { FIRST_VIEWPORT } from './canvas-pixels.ts'
import { logIn, openStudy, useDemoServer } from './demo-server-fixture.ts'

const FIXTURES = fileURLToPath(new URL('../fixtures/character-sets/', import.meta.url))

interface NameCase {
  file: string
  studyUid: string
  /** How the worklist and the overlay show the patient (server/patient-display.ts). */
  shown: string
  description: string
}

function nameCase(file: string, shown: string, description: string): NameCase {
  const bytes = new Uint8Array(readFileSync(`${FIXTURES}${file}`))
  const studyUid = dicomParser.parseDicom(bytes, { untilTag: 'x7fe00010' }).string('x0020000d') ?? ''
  return { file, studyUid, shown, description }
}

const CASES: readonly NameCase[] = [
  nameCase('ir87.dcm', '山田 太郎 (Yamada Tarou)', '頭部 MRI'),
  nameCase('ir13.dcm', '山田 太郎 (ﾔﾏﾀﾞ ﾀﾛｳ)', 'ﾄｳﾌﾞ 頭部 MRI'),
  nameCase('utf8.dcm', '鈴木 花子 (Suzuki Hanako)', '頭部 MRI'),
]

const demo = useDemoServer()

test.beforeAll(async () => {
  const report = await importDicomFiles(demo.server.db, demo.server.storageDir, 'sakura-clinic', CASES.map((c) => `${FIXTURES}${c.file}`))
  expect(report.map((r) => r.error ?? 'ok')).toEqual(CASES.map(() => 'ok'))
  const login = await fetch(`${demo.server.url}${apiPaths.login}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: DEMO_PASSWORD }),
  })
  const { accessToken } = loginResponseSchema.parse(await login.json())
  for (const c of CASES) {
    const response = await fetch(`${demo.server.url}${apiPaths.adminAssignments}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        studyInstanceUid: c.studyUid,
        username: 'reader1',
        readingType: 'first',
        priority: 'routine',
        dueAt: new Date(Date.now() + 6 * 3_600_000).toISOString(),
      }),
    })
    expect(response.status, await response.clone().text()).toBe(201)
  }
})

test('the worklist and the viewer overlay show Japanese names decoded from ISO 2022 and UTF-8', async ({ page }, testInfo) => {
  await page.goto(demo.server.url)
  await logIn(page, 'reader1')

  for (const c of CASES) {
    const row = page.locator(`[data-testid="worklist-row"][data-study-uid="${c.studyUid}"]`)
    await expect(row).toBeVisible({ timeout: 30_000 })
    await expect(row.getByRole('cell', { name: c.shown, exact: true })).toBeVisible()
  }
  await page.screenshot({ path: testInfo.outputPath('worklist-japanese-names.png') })

  for (const c of CASES) {
    await openStudy(page, c.studyUid)
    const overlay = page.locator(FIRST_VIEWPORT).getByTestId('viewport-overlay')
    await expect(overlay.locator('.viewport-overlay__corner--tl > div').first()).toHaveText(c.shown, { timeout: 30_000 })
    await expect(overlay.locator('.viewport-overlay__corner--tr')).toContainText(c.description)
    // no replacement characters anywhere on the screen: every byte found its character
    expect(await page.locator('body').innerText()).not.toContain('\ufffd')
    await page.screenshot({ path: testInfo.outputPath(`overlay-${c.file.replace('.dcm', '')}.png`) })
    await page.getByRole('button', { name: 'ワークリストへ戻る' }).click()
  }
})
