/**
 * The sandboxed preload: exposes the desktop bridge, one intent-named method per channel
 * of the shared contract, and nothing generic. CommonJS because sandboxed preloads cannot
 * load ES modules; only types are imported, so nothing needs bundling.
 */
import type { ContextBridge, IpcRenderer } from 'electron'
import type { DesktopBridge, DesktopChannel, DesktopChannels } from '../shared/desktop-bridge.ts'

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { contextBridge, ipcRenderer } = require('electron') as { contextBridge: ContextBridge; ipcRenderer: IpcRenderer }

function invoke<C extends DesktopChannel>(channel: C, ...args: Parameters<DesktopChannels[C]>): ReturnType<DesktopChannels[C]> {
  return ipcRenderer.invoke(channel, ...args) as ReturnType<DesktopChannels[C]>
}

const bridge: DesktopBridge = {
  app: { info: () => invoke('app:info') },
  credentials: {
    load: (serverUrl) => invoke('credentials:load', serverUrl),
    save: (serverUrl, credentials) => invoke('credentials:save', serverUrl, credentials),
    clear: (serverUrl) => invoke('credentials:clear', serverUrl),
  },
  cache: { key: () => invoke('cache:key') },
}

// must equal DESKTOP_BRIDGE_GLOBAL in shared/desktop-bridge.ts (a unit test checks it)
contextBridge.exposeInMainWorld('readingDesktop', bridge)
