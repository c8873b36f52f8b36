/**
 * Packaging of the desktop workstation (`npm run dist`, after `npm run build`): Windows NSIS,
 * macOS DMG with the hardened runtime, Linux AppImage and .deb. The app is shipped inside an
 * ASAR archive and the Electron binary's fuses are flipped so that it can run nothing else:
 * no ELECTRON_RUN_AS_NODE, no NODE_OPTIONS, no --inspect, only the integrity-checked app.asar.
 * Files are an allow-list of the compiled app; tests, source maps, TypeScript sources,
 * secrets and benchmark data can never ride along.
 */
import type { Configuration } from 'electron-builder'

/** What goes into app.asar: the compiled shell, server and shared code, the renderer build, the demo studies. */
export const PACKAGED_FILES = [
  'package.json',
  'dist/node/electron/**/*.{js,cjs}',
  'dist/node/server/**/*.js',
  'dist/node/shared/**/*.js',
  'dist/renderer/**/*',
  // public sample studies and finding masters for the built-in demo server (server/demo-data/SOURCES.md)
  'server/demo-data/dicom/**/*',
  'server/demo-data/masters/**/*.json',
  // never, whatever the patterns above come to match
  '!**/*.map',
  '!**/*.{test,e2e,fuzz,bench}.*',
  '!**/*.{ts,tsx,cts,mts}',
  '!**/*.tsbuildinfo',
  '!**/{.env,.env.*,*.pem,*.key,*.p12,*.pfx,*.crt,*.sqlite,*.db}',
  '!**/{secrets,secret,credentials}/**',
  '!dist/tsbuild/**',
  '!dist/packages/**',
  '!bench-data/**',
  '!bench-results/**',
  '!test/**',
  '!test-results/**',
  '!.workstation-data/**',
  '!shared/**',
  '!../shared/**',
]

const config: Configuration = {
  appId: 'org.reading-workstation.desktop',
  productName: 'Reading Workstation',
  copyright: 'Reading Workstation contributors',
  directories: { buildResources: 'build', output: 'dist/packages' },
  files: PACKAGED_FILES,
  asar: true,
  // no native modules: nothing to rebuild against Electron's headers
  npmRebuild: false,
  electronFuses: {
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    enableCookieEncryption: true,
    // the app is served from app://, never file://
    grantFileProtocolExtraPrivileges: false,
    loadBrowserProcessSpecificV8Snapshot: false,
  },
  // rendered from assets/app-icon.svg by build/render-app-icon.ts
  icon: 'build/icon.png',
  win: {
    target: [{ target: 'nsis', arch: ['x64'] }],
    icon: 'build/icon.png',
  },
  nsis: {
    oneClick: false,
    perMachine: false,
    allowToChangeInstallationDirectory: true,
    artifactName: '${productName}-Setup-${version}.${ext}',
  },
  mac: {
    target: [{ target: 'dmg', arch: ['x64', 'arm64'] }],
    category: 'public.app-category.medical',
    icon: 'build/icon.png',
    hardenedRuntime: true,
    gatekeeperAssess: false,
    entitlements: 'build/entitlements.mac.plist',
    entitlementsInherit: 'build/entitlements.mac.plist',
  },
  dmg: { artifactName: '${productName}-${version}-${arch}.${ext}' },
  linux: {
    target: [
      { target: 'AppImage', arch: ['x64'] },
      { target: 'deb', arch: ['x64'] },
    ],
    category: 'Science;MedicalSoftware',
    icon: 'build/icon.png',
    maintainer: 'Reading Workstation contributors <workstation@example.invalid>',
    synopsis: 'Teleradiology reading workstation',
  },
}

export default config
