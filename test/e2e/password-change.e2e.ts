/**
 * Changing the password (issue 7): the policy is told and checked before sending, a wrong
 * current password is refused, and the new password is the one that logs in afterwards.
 */
import { expect, test } from '@playwright/test'
import { logIn, useDemoServer } from './demo-server-fixture.ts'

const demo = useDemoServer()
const NEW_PASSWORD = 'a-new-password-for-reader2'

test('a reader changes the password under the policy and logs in with the new one', async ({ page }) => {
  await page.goto(demo.server.url)
  await logIn(page, 'reader2')
  await expect(page.getByTestId('worklist-row').first()).toBeVisible()
  await page.getByRole('button', { name: 'パスワード変更' }).click()
  const dialog = page.getByRole('dialog')
  await expect(dialog).toContainText('13文字以上')

  const fill = async (current: string, next: string, again = next) => {
    await dialog.getByLabel('現在のパスワード').fill(current)
    await dialog.getByLabel('新しいパスワード', { exact: true }).fill(next)
    await dialog.getByLabel('新しいパスワード（確認）').fill(again)
    await dialog.getByRole('button', { name: '変更する' }).click()
  }
  await fill('demo-password-2026', 'short-pass12')
  await expect(dialog.getByRole('alert')).toHaveText('新しいパスワードが短すぎます。')
  await fill('demo-password-2026', NEW_PASSWORD, `${NEW_PASSWORD}x`)
  await expect(dialog.getByRole('alert')).toHaveText('確認用のパスワードが一致しません。')
  await fill('not-the-password', NEW_PASSWORD)
  await expect(dialog.getByRole('alert')).toHaveText('現在のパスワードが正しくありません。')
  await fill('demo-password-2026', NEW_PASSWORD)
  await expect(dialog.getByRole('status')).toHaveText('パスワードを変更しました。')
  await dialog.getByRole('button', { name: '閉じる' }).click()

  await page.getByRole('button', { name: 'ログアウト' }).click()
  await logIn(page, 'reader2')
  await expect(page.getByRole('alert')).toHaveText('ユーザー名またはパスワードが正しくありません。')
  await logIn(page, 'reader2', NEW_PASSWORD)
  await expect(page.getByTestId('worklist-row').first()).toBeVisible()
})
