import { defineConfig } from '@playwright/test'

/** Tests of the real Electron shell; `npm test` runs them only when the Electron binary is installed. */
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.electron.ts',
  outputDir: '../../test-results/electron',
  timeout: 120_000,
  workers: 1,
  reporter: [['list'], ['json', { outputFile: '../../test-results/electron-results.json' }]],
})
