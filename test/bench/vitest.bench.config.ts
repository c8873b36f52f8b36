import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

/**
 * The bench harness's own unit tests (statistics, the results table, the smoke check), run by
 * `npm test` in its bench suite: vitest.config.ts's projects do not include test/bench/.
 */
export default defineConfig({
  test: {
    name: 'bench',
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/bench/**/*.test.ts'],
    environment: 'node',
  },
})
