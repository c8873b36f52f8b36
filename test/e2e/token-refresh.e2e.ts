/**
 * Silent token refresh (issue 7): with access tokens that live 3 seconds, a reader keeps
 * working for many lifetimes without seeing the login form — the page's own calls and the sync
 * worker's downloads go on with refreshed tokens — and logging out revokes the refresh token.
 */
import { expect, test } from '@playwright/test'
import { logIn, openStudy, useDemoServer } from './demo-server-fixture.ts'

const CT_STUDY_UID = '1.3.46.670589.33.1.27492712521914879309.27169771283235650014'
const demo = useDemoServer({ tokenTtlSeconds: 3 })

test('a session outlives many 3-second access tokens: worklist and study downloads keep working', async ({ page }) => {
  const refreshes: number[] = []
  page.on('response', (response) => {
    if (response.url().endsWith('/api/v1/auth/refresh')) refreshes.push(response.status())
  })
  await page.goto(demo.server.url)
  await logIn(page, 'reader1')
  await expect(page.getByTestId('worklist-row').first()).toBeVisible()
  // several lifetimes pass with nothing done
  await page.waitForTimeout(8_000)
  expect(refreshes.length).toBeGreaterThanOrEqual(3)
  expect(refreshes.every((status) => status === 200)).toBe(true)
  await expect(page.getByRole('heading', { name: 'ログイン' })).toHaveCount(0)

  // the sync worker downloads the whole study across several token lifetimes
  await openStudy(page, CT_STUDY_UID)
  const progress = page.getByTestId('cache-progress')
  await expect(progress).toHaveAttribute('value', '28', { timeout: 60_000 })
  await page.waitForTimeout(4_000)
  await expect(page.getByRole('heading', { name: 'ログイン' })).toHaveCount(0)
  expect(refreshes.every((status) => status === 200)).toBe(true)
})
