import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FileMatcher as FileMatcherClass } from 'app-builder-lib/out/fileMatcher.js'
import type { Configuration } from 'electron-builder'
import { describe, expect, it } from 'vitest'

const projectRoot = fileURLToPath(new URL('..', import.meta.url))
// loaded by URL, as electron-builder loads it, and so the config stays in its own (build/) project
const configModule = (await import(new URL('./electron-builder.config.ts', import.meta.url).href)) as { default: Configuration; PACKAGED_FILES: string[] }
const config = configModule.default
const packageJson = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { productName: string; main: string; scripts: Record<string, string> }

/** electron-builder's own pieces, from its install: the file matcher and the schema check it runs before packaging. */
const builderRequire = createRequire(createRequire(import.meta.url).resolve('electron-builder/package.json'))
const { FileMatcher } = builderRequire('app-builder-lib/out/fileMatcher.js') as { FileMatcher: typeof FileMatcherClass }
const { validateConfiguration } = builderRequire('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration(config: Configuration, debugLogger: { isEnabled: boolean; add(): void }): Promise<void>
}

const filter = new FileMatcher(projectRoot, '/app', (pattern) => pattern, configModule.PACKAGED_FILES).createFilter()
const aFile = { isDirectory: () => false } as never
const packaged = (relative: string) => filter(path.resolve(projectRoot, relative), aFile)

type Target = { target: string; arch?: string[] }
const targetNames = (value: unknown) => (value as Target[]).map((t) => t.target)

describe('electron-builder configuration', () => {
  it('passes electron-builder\'s own schema check', async () => {
    await expect(validateConfiguration(config, { isEnabled: false, add: () => undefined })).resolves.toBeUndefined()
  }, 60_000) // compiling electron-builder's JSON schema takes seconds on a busy machine

  it('is what npm run dist packages with', () => {
    expect(packageJson.scripts.dist).toMatch(/electron-builder .*--config build\/electron-builder\.config\.ts/)
    expect(packageJson.scripts.dist).toMatch(/npm run build &&/)
  })

  it('builds NSIS for Windows, a hardened-runtime DMG for macOS, AppImage and .deb for Linux', () => {
    expect(config.productName).toBe(packageJson.productName)
    expect(targetNames(config.win?.target)).toEqual(['nsis'])
    expect(targetNames(config.mac?.target)).toEqual(['dmg'])
    expect(targetNames(config.linux?.target)).toEqual(['AppImage', 'deb'])
    expect(config.mac?.hardenedRuntime).toBe(true)
    expect(config.asar).toBe(true)
  })

  it('flips the Electron fuses so the binary runs only the integrity-checked app', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    })
  })

  it('signs macOS with an entitlements file that grants only the JIT', () => {
    for (const file of [config.mac?.entitlements, config.mac?.entitlementsInherit]) {
      expect(file).toBe('build/entitlements.mac.plist')
      const plist = readFileSync(path.join(projectRoot, file!), 'utf8').replace(/<!--[\s\S]*?-->/g, '')
      expect([...plist.matchAll(/<key>([^<]+)<\/key>/g)].map((m) => m[1])).toEqual(['com.apple.security.cs.allow-jit'])
    }
  })

  it('uses the icon rendered from assets/app-icon.svg, at 1024×1024, and not older than the SVG', () => {
    for (const icon of [config.icon, config.win?.icon, config.mac?.icon, config.linux?.icon]) expect(icon).toBe('build/icon.png')
    const png = readFileSync(path.join(projectRoot, 'build/icon.png'))
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG')
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1024, 1024])
    const svgHash = createHash('sha256').update(readFileSync(path.join(projectRoot, 'assets/app-icon.svg'), 'utf8')).digest('hex')
    expect(readFileSync(path.join(projectRoot, 'build/icon.source-sha256'), 'utf8').trim(), 'run node build/render-app-icon.ts').toBe(svgHash)
  })

  it.each([
    'package.json',
    packageJson.main,
    'dist/node/electron/preload.cjs',
    'dist/node/server/start-reading-server.js',
    'dist/node/shared/desktop-bridge.js',
    'dist/renderer/index.html',
    'dist/renderer/assets/openjpegwasm_decode.wasm',
    'server/demo-data/dicom/ct/000001.dcm',
    'server/demo-data/masters/facility-a.json',
  ])('packages %s', (file) => {
    expect(packaged(file)).toBe(true)
  })

  it.each([
    ['a renderer source map', 'dist/renderer/assets/index-abc123.js.map'],
    ['a main-process source map', 'dist/node/electron/main.js.map'],
    ['a TypeScript source', 'electron/main.ts'],
    ['the preload source', 'electron/preload.cts'],
    ['a compiled test', 'dist/node/server/auth-routes.test.js'],
    ['an end-to-end test', 'test/e2e/security.e2e.ts'],
    ['test results', 'test-results/e2e-results.json'],
    ['benchmark data', 'bench-data/ct-512/000001.dcm'],
    ['benchmark results', 'bench-results/latest.json'],
    ['type declarations', 'dist/tsbuild/test/x.d.ts'],
    ['an environment file', '.env'],
    ['an environment file under dist', 'dist/node/server/.env.production'],
    ['a private key', 'dist/node/server/tls.key'],
    ['a certificate', 'dist/renderer/server.pem'],
    ['a secrets folder', 'dist/node/server/secrets/jwt.txt'],
    ['a local database', 'dist/node/server/reading.sqlite'],
    ['the workstation data folder', '.workstation-data/pglite/PG_VERSION'],
    ['the shared sources', 'shared/desktop-bridge.ts'],
    ['the notes folder beside the repository', '../shared/PLATFORM-NOTES.md'],
    ['earlier packages', 'dist/packages/linux-unpacked/resources/app.asar'],
    ['the demo-data sources note', 'server/demo-data/SOURCES.md'],
  ])('leaves out %s', (_label, file) => {
    expect(packaged(file)).toBe(false)
  })

  it('packages every compiled file of the current build but no source map or test (when a build exists)', () => {
    const distNode = path.join(projectRoot, 'dist/node')
    if (!existsSync(distNode)) return
    const files: string[] = []
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const full = path.join(dir, name)
        if (statSync(full).isDirectory()) walk(full)
        else files.push(path.relative(projectRoot, full))
      }
    }
    walk(distNode)
    expect(files.length).toBeGreaterThan(0)
    for (const file of files) {
      const expected = /\.(js|cjs)$/.test(file) && !/\.(test|e2e|fuzz|bench)\./.test(file) && /^dist\/node\/(electron|server|shared)\//.test(file)
      expect(packaged(file), file).toBe(expected)
    }
  })
})
