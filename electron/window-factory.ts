/**
 * The one place windows are made, with the security defaults: context isolation, sandbox,
 * no Node in the renderer, web security, navigation and new windows limited to the app,
 * every permission request denied.
 */
import path from 'node:path'
import { BrowserWindow, shell, type Session } from 'electron'
import { APP_ORIGIN, isAppUrl } from './app-protocol.ts'

/** https links the workstation may open in the user's browser (help pages, the project site). */
const EXTERNAL_ALLOW_LIST = ['https://github.com/']

export function isAllowedExternalUrl(url: string): boolean {
  return EXTERNAL_ALLOW_LIST.some((prefix) => url.startsWith(prefix))
}

/** Denies every permission (camera, notifications, geolocation …) for a session. */
export function lockDownSession(target: Session): void {
  target.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false))
  target.setPermissionCheckHandler(() => false)
}

export function createMainWindow(preloadDir: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1600,
    height: 1000,
    backgroundColor: '#101214',
    title: '読影ワークステーション',
    show: false,
    webPreferences: {
      preload: path.join(preloadDir, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  })
  window.webContents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault()
  })
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  window.once('ready-to-show', () => window.show())
  void window.loadURL(`${APP_ORIGIN}/index.html`)
  return window
}
