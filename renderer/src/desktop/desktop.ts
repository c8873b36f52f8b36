/**
 * The renderer's only way to the desktop: the Electron preload's bridge when the
 * workstation runs in the desktop app, the browser implementation otherwise.
 */
import { DESKTOP_BRIDGE_GLOBAL, type DesktopBridge } from '../../../shared/desktop-bridge.ts'
import { createBrowserDesktop } from './browser-desktop.ts'

function resolveDesktop(): DesktopBridge {
  const exposed = (globalThis as Record<string, unknown>)[DESKTOP_BRIDGE_GLOBAL]
  return exposed ? (exposed as DesktopBridge) : createBrowserDesktop()
}

export const desktop: DesktopBridge = resolveDesktop()
