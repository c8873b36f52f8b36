/** `npm stop`: ends the workstation that `npm start` left running in the background. */
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { stateFile, type RunningState } from './workstation-paths.ts'

function stopProcess(pid: number | undefined, name: string): void {
  if (!pid) return
  try {
    process.kill(-pid, 'SIGTERM') // the whole detached process group
  } catch {
    try {
      process.kill(pid, 'SIGTERM')
    } catch {
      return
    }
  }
  console.log(`stopped ${name} (pid ${pid})`)
}

if (!existsSync(stateFile())) {
  console.log('The workstation is not running.')
} else {
  const state = JSON.parse(readFileSync(stateFile(), 'utf8')) as RunningState
  stopProcess(state.browserPid, 'browser')
  stopProcess(state.serverPid, 'built-in server')
  rmSync(stateFile())
}
