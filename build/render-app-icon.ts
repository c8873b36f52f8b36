/**
 * Renders the app icon's source, assets/app-icon.svg, to build/icon.png (1024×1024, the
 * size electron-builder turns into the macOS .icns, the Windows .ico and the Linux icon
 * set) with the same Chromium the tests use. Run after changing the SVG:
 * `node build/render-app-icon.ts`; build/electron-builder.config.test.ts fails while the
 * PNG is older than the SVG's content (it records the SVG's hash).
 */
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { CHROMIUM_ARGS, requireChromium } from '../test/e2e/chromium-launch.ts'

export const ICON_SIZE = 1024
export const ICON_SOURCE = fileURLToPath(new URL('../assets/app-icon.svg', import.meta.url))
export const ICON_PNG = fileURLToPath(new URL('./icon.png', import.meta.url))
/** The SHA-256 of the SVG the PNG was rendered from. */
export const ICON_SOURCE_HASH_FILE = fileURLToPath(new URL('./icon.source-sha256', import.meta.url))

export function sourceHash(svg: string): string {
  return createHash('sha256').update(svg).digest('hex')
}

async function main(): Promise<void> {
  const svg = readFileSync(ICON_SOURCE, 'utf8')
  const browser = await chromium.launch({ executablePath: requireChromium(), args: CHROMIUM_ARGS })
  try {
    const page = await browser.newPage({ viewport: { width: ICON_SIZE, height: ICON_SIZE } })
    const dataUrl = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`
    await page.setContent(`<body style="margin:0;background:transparent"><img src="${dataUrl}" width="${ICON_SIZE}" height="${ICON_SIZE}" style="display:block"></body>`)
    await page.locator('img').evaluate((img: HTMLImageElement) => img.decode())
    writeFileSync(ICON_PNG, await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: ICON_SIZE, height: ICON_SIZE } }))
    writeFileSync(ICON_SOURCE_HASH_FILE, `${sourceHash(svg)}\n`)
  } finally {
    await browser.close()
  }
}

if (import.meta.main) await main()
