/**
 * The Electron main process: a thin shell. It serves the renderer from app://, starts the
 * built-in demo reading server on a free loopback port, and answers the desktop bridge.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { app, dialog, ipcMain, protocol, safeStorage, session } from 'electron'
import { CONTENT_SECURITY_POLICY } from '../shared/content-security-policy.ts'
import { DESKTOP_CHANNELS } from '../shared/desktop-bridge.ts'
import { startReadingServer } from '../server/start-reading-server.ts'
import { APP_SCHEME, isAppUrl, mimeTypeFor, resolveAppFile } from './app-protocol.ts'
import { createCacheKeyStore } from './cache-key-store.ts'
import { createCredentialStore } from './credential-store.ts'
import { createDesktopHandlers, dispatchDesktopCall } from './desktop-handlers.ts'
import { insecureStorageMessage, withInsecureStorageNotice } from './insecure-storage-notice.ts'
import { createSafeStorageEncryptor } from './safe-storage-encryptor.ts'
import { createMainWindow, hardenWebContents, lockDownSession } from './window-factory.ts'

const here = path.dirname(fileURLToPath(import.meta.url))
/** dist/node/electron → dist/renderer */
const rendererDir = path.resolve(here, '../../renderer')

// every renderer sandboxed, whatever a window's options say
app.enableSandbox()
// any web contents, not only the main window's, stays inside the app
app.on('web-contents-created', (_event, contents) => hardenWebContents(contents))

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
])

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return
  }
  await app.whenReady()
  lockDownSession(session.defaultSession)

  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(rendererDir, request.url)
    if (!file) return new Response('not found', { status: 404 })
    try {
      const body = await readFile(file)
      return new Response(body, {
        headers: { 'content-type': mimeTypeFor(file), 'content-security-policy': CONTENT_SECURITY_POLICY, 'x-content-type-options': 'nosniff' },
      })
    } catch {
      return new Response('not found', { status: 404 })
    }
  })

  const server = await startReadingServer({ dataDir: path.join(app.getPath('userData'), 'reading-server'), port: 0, seedDemo: true })
  const keystore = createSafeStorageEncryptor(safeStorage)
  const credentials = withInsecureStorageNotice(createCredentialStore(path.join(app.getPath('userData'), 'credentials.json'), keystore), () => {
    void dialog.showMessageBox({ type: 'warning', ...insecureStorageMessage(app.getLocale()) })
  })
  const handlers = createDesktopHandlers({
    appInfo: () => ({ version: app.getVersion(), shell: 'electron', builtInServerUrl: server.url }),
    credentials,
    cacheKey: createCacheKeyStore(path.join(app.getPath('userData'), 'cache-key.bin'), keystore),
  })
  for (const channel of DESKTOP_CHANNELS) {
    ipcMain.handle(channel, (event, ...args: unknown[]) => dispatchDesktopCall(handlers, channel, event.senderFrame?.url, args, isAppUrl))
  }

  createMainWindow(here)
  app.on('window-all-closed', () => app.quit())
  app.on('before-quit', () => void server.close())
}

main().catch((error: unknown) => {
  console.error('Reading Workstation failed to start:', error)
  app.exit(1)
})
