import { beforeEach, describe, expect, it, vi } from 'vitest'

/** What the factory did to the fake Electron: the window's options and every handler it installed. */
const recorded = vi.hoisted(() => ({
  options: [] as Record<string, unknown>[],
  listeners: new Map<string, (...args: unknown[]) => void>(),
  windowOpenHandler: null as null | ((details: { url: string }) => { action: string }),
  loaded: [] as string[],
  openExternal: [] as string[],
}))

vi.mock('electron', () => {
  const makeWebContents = () => ({
    on: (name: string, listener: (...args: unknown[]) => void) => recorded.listeners.set(name, listener),
    setWindowOpenHandler: (handler: (details: { url: string }) => { action: string }) => {
      recorded.windowOpenHandler = handler
    },
  })
  class BrowserWindow {
    // a new web contents per window, as in Electron (the factory hardens each one once)
    webContents = makeWebContents()
    constructor(options: Record<string, unknown>) {
      recorded.options.push(options)
    }
    once() {}
    show() {}
    loadURL(url: string) {
      recorded.loaded.push(url)
      return Promise.resolve()
    }
  }
  return { BrowserWindow, shell: { openExternal: async (url: string) => void recorded.openExternal.push(url) } }
})

const { createMainWindow, lockDownSession } = await import('./window-factory.ts')

function preventable() {
  return { prevented: false, preventDefault() { this.prevented = true } }
}

describe('window factory', () => {
  beforeEach(() => {
    recorded.options.length = 0
    recorded.listeners.clear()
    recorded.loaded.length = 0
    recorded.openExternal.length = 0
    createMainWindow('/opt/app/dist/node/electron')
  })

  it('makes the window with the security defaults and loads the app from app://', () => {
    const prefs = recorded.options[0]!.webPreferences as Record<string, unknown>
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    })
    expect(prefs.preload).toBe('/opt/app/dist/node/electron/preload.cjs')
    expect(recorded.loaded).toEqual(['app://workstation/index.html'])
  })

  it('stops navigation and redirects away from the app', () => {
    for (const event of ['will-navigate', 'will-redirect']) {
      const away = preventable()
      recorded.listeners.get(event)!(away, 'https://evil.example/')
      expect(away.prevented, event).toBe(true)
      const inside = preventable()
      recorded.listeners.get(event)!(inside, 'app://workstation/index.html')
      expect(inside.prevented, event).toBe(false)
    }
    const frame = { ...preventable(), url: 'file:///etc/passwd' }
    recorded.listeners.get('will-frame-navigate')!(frame)
    expect(frame.prevented).toBe(true)
  })

  it('refuses every <webview>', () => {
    const attach = preventable()
    recorded.listeners.get('will-attach-webview')!(attach)
    expect(attach.prevented).toBe(true)
  })

  it('denies every new window, handing only allow-listed https links to the browser', () => {
    expect(recorded.windowOpenHandler!({ url: 'app://workstation/index.html' })).toEqual({ action: 'deny' })
    expect(recorded.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' })
    expect(recorded.windowOpenHandler!({ url: 'http://github.com/' })).toEqual({ action: 'deny' })
    expect(recorded.windowOpenHandler!({ url: 'https://github.com/help' })).toEqual({ action: 'deny' })
    expect(recorded.openExternal).toEqual(['https://github.com/help'])
  })

  it('denies every permission request, check and device', () => {
    const handlers: Record<string, (...args: never[]) => unknown> = {}
    const session = {
      setPermissionRequestHandler: (h: never) => (handlers.request = h),
      setPermissionCheckHandler: (h: never) => (handlers.check = h),
      setDevicePermissionHandler: (h: never) => (handlers.device = h),
    }
    lockDownSession(session as never)
    const answers: boolean[] = []
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      ;(handlers.request as (w: unknown, p: string, cb: (ok: boolean) => void) => void)({}, permission, (ok) => answers.push(ok))
    }
    expect(answers).toEqual([false, false, false, false, false])
    expect((handlers.check as () => boolean)()).toBe(false)
    expect((handlers.device as () => boolean)()).toBe(false)
  })
})
