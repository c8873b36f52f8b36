/**
 * The operation log end to end in Chromium: reader1 signs in, opens the head CT and goes back to
 * the worklist; the workstation's events (log-in, study opened, images viewed, study closed with its duration)
 * reach the server from the IndexedDB queue, beside the server's own (log-in, DICOMweb
 * retrieval). The admin opens 操作ログ from the top bar, finds them, verifies the hash chain,
 * and — after an entry is edited in the database behind the server's back — sees the
 * verification name the broken entry.
 */
import { expect, test } from '@playwright/test'
import { auditPaths, auditSearchResponseSchema, type AuditEntry } from '../../shared/audit-contract.ts'
import { loginAs } from '../harness/reading-server-api.ts'
import { logIn, openStudy, useDemoServer } from './demo-server-fixture.ts'

const CT_HEAD = '1.3.46.670589.33.1.27492712521914879309.27169771283235650014'
const demo = useDemoServer()

async function entriesOf(username: string): Promise<AuditEntry[]> {
  const token = await loginAs(demo.server.url, 'admin')
  const response = await fetch(`${demo.server.url}${auditPaths.search}?user=${username}&limit=1000`, { headers: { authorization: `Bearer ${token}` } })
  return auditSearchResponseSchema.parse(await response.json()).entries.reverse()
}

test('the workstation records what the reader did; the admin finds it and sees tampering', async ({ page }) => {
  await page.goto(demo.server.url)
  await logIn(page, 'reader1')
  await openStudy(page, CT_HEAD)
  await expect(page.getByRole('button', { name: 'ワークリストへ戻る' })).toBeVisible({ timeout: 30_000 })
  await page.waitForTimeout(1_000)
  await page.getByRole('button', { name: 'ワークリストへ戻る' }).click()

  // images-viewed once per series the viewer showed, between opening and closing
  const workstationKinds = async () =>
    (await entriesOf('reader1'))
      .filter((e) => e.source === 'workstation')
      .map((e) => e.kind)
      .filter((kind, i, all) => kind !== 'images-viewed' || all[i - 1] !== 'images-viewed')
  await expect.poll(workstationKinds, { timeout: 20_000 }).toEqual(['login', 'study-opened', 'images-viewed', 'study-closed'])
  const mine = await entriesOf('reader1')
  const closed = mine.find((e) => e.kind === 'study-closed')!
  expect(closed.studyInstanceUid).toBe(CT_HEAD)
  expect(closed.detail.durationMs).toBeGreaterThanOrEqual(1_000)
  expect(mine.filter((e) => e.source === 'server').map((e) => e.kind)).toEqual(expect.arrayContaining(['login', 'study-retrieved', 'reading-started']))

  await page.getByRole('button', { name: 'ログアウト' }).click()
  await logIn(page, 'admin')
  await page.getByTestId('open-audit-log').click()
  await expect(page.getByTestId('audit-log-screen')).toBeVisible()
  await page.getByTestId('audit-user').fill('reader1')
  await page.getByTestId('audit-kind').selectOption('study-closed')
  await page.getByRole('button', { name: '検索' }).click()
  await expect(page.getByTestId('audit-row')).toHaveCount(1)
  await expect(page.getByTestId('audit-row')).toContainText('検査を閉じた (110103)')
  await expect(page.getByTestId('audit-row')).toContainText(CT_HEAD)

  await page.getByTestId('audit-verify').click()
  await expect(page.getByTestId('audit-verification')).toContainText('ハッシュチェーンは正常です')

  await demo.server.db.exec('alter table audit_events disable trigger user')
  await demo.server.db.query(`update audit_events set outcome = 4 where seq = $1`, [closed.seq])
  await demo.server.db.exec('alter table audit_events enable trigger user')
  await page.getByTestId('audit-verify').click()
  await expect(page.getByTestId('audit-verification')).toContainText(`改ざんを検出しました：${closed.seq}番の記録`)
})
