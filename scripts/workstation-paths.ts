/** Where the workstation keeps its data and state when started by `npm start` outside Electron. */
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const projectRoot = fileURLToPath(new URL('..', import.meta.url))

/** The user's data folder, as Electron's userData would be (XDG on Linux). */
export function workstationDataDir(): string {
  if (process.env.WORKSTATION_DATA_DIR) return path.resolve(process.env.WORKSTATION_DATA_DIR)
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? os.homedir(), 'Reading Workstation')
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', 'Reading Workstation')
  return path.join(process.env.XDG_DATA_HOME ?? path.join(os.homedir(), '.local', 'share'), 'reading-workstation')
}

/** The file recording the running workstation's processes, for `npm stop`. */
export function stateFile(): string {
  return path.join(workstationDataDir(), 'running.json')
}

export interface RunningState {
  url: string
  serverPid: number
  browserPid?: number
  electronPid?: number
  startedAt: string
}

export const DEFAULT_PORT = 8642
