/**
 * The one place windows are made, with the security defaults: context isolation, sandbox,
 * no Node in the renderer, web security, navigation and new windows limited to the app,
 * every permission request denied.
 */
import path from 'node:path'
import { BrowserWindow, shell, type Session, type WebContents } from 'electron'
import { APP_ORIGIN } from './app-protocol.ts'
import { isAllowedExternalUrl, isAllowedNavigation } from './navigation-policy.ts'

/** Denies every permission (camera, notifications, geolocation, USB/HID/serial devices …) for a session. */
export function lockDownSession(target: Session): void {
  target.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false))
  target.setPermissionCheckHandler(() => false)
  target.setDevicePermissionHandler(() => false)
}

const hardened = new WeakSet<WebContents>()

/**
 * Keeps a web contents inside the app: navigation and redirects elsewhere are stopped,
 * new windows are refused (allow-listed https links go to the user's browser instead),
 * and no <webview> can be attached.
 */
export function hardenWebContents(contents: WebContents): void {
  if (hardened.has(contents)) return
  hardened.add(contents)
  const stayInApp = (event: { preventDefault(): void }, url: string) => {
    if (!isAllowedNavigation(url)) event.preventDefault()
  }
  contents.on('will-navigate', (event, url) => stayInApp(event, url))
  contents.on('will-frame-navigate', (event) => stayInApp(event, event.url))
  contents.on('will-redirect', (event, url) => stayInApp(event, url))
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
}

export function createMainWindow(preloadDir: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1600,
    height: 1000,
    backgroundColor: '#101214',
    title: '読影ワークステーション',
    show: false,
    // written out here, not spread from a constant, so Electronegativity can read every option
    webPreferences: {
      preload: path.join(preloadDir, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      // middle-click opens links through a path the window-open handler may not see
      disableBlinkFeatures: 'Auxclick',
      safeDialogs: true,
      spellcheck: false,
    },
  })
  hardenWebContents(window.webContents)
  window.once('ready-to-show', () => window.show())
  void window.loadURL(`${APP_ORIGIN}/index.html`)
  return window
}
