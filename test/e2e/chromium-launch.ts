/**
 * How the tests and benchmarks start Debian's Chromium: its binary (Playwright cannot
 * download browsers here) and the flags under which WebGL2 runs on SwiftShader headless.
 */
import { existsSync } from 'node:fs'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
]

/** Throws a message saying how to install Chromium when it is missing. */
export function requireChromium(): string {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install it with "apt-get install chromium" (or set CHROMIUM_PATH)`)
  return CHROMIUM_PATH
}
