import { defineConfig } from '@playwright/test'
import { CHROMIUM_ARGS, requireChromium } from './test/e2e/chromium-launch.ts'

/** End-to-end tests in Debian's Chromium against the production renderer build. */
export default defineConfig({
  testDir: './test/e2e',
  testMatch: '**/*.e2e.ts',
  outputDir: './test-results/e2e',
  timeout: 120_000,
  workers: 1,
  reporter: [['list'], ['json', { outputFile: './test-results/e2e-results.json' }]],
  use: {
    headless: true,
    viewport: { width: 1400, height: 900 },
    launchOptions: { executablePath: requireChromium(), args: CHROMIUM_ARGS },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
})
