/**
 * The session lock: after an idle period (default 10 minutes, a per-computer setting) or on
 * request (Ctrl+L), the screen is covered until the user proves again who they are — the
 * password, and the TOTP code when enrolled. The locked screen shows no patient detail; what is
 * under it stays as it was (report drafts keep being saved).
 */
import { create } from 'zustand'
import type { SecondFactor } from '../api/reading-server-client.ts'
import type { SessionProblem } from './session-store.ts'

export const DEFAULT_IDLE_MS = 10 * 60_000
/** The idle period's setting on this computer, in milliseconds (tests set seconds). */
export const IDLE_SETTING_KEY = 'reading-workstation.session-lock-idle-ms'
/** Never zero (that would lock at once, for ever); tests use a few seconds. */
const MIN_IDLE_MS = 1_000

export interface SessionLockState {
  locked: boolean
  idleMs: number
  unlocking: boolean
  /** The password was right and the user has TOTP: ask for the code too. */
  codeNeeded: boolean
  problem: SessionProblem | null
  lock(): void
  /** The user did something: the idle period starts again. */
  activity(): void
  /** Starts watching for idleness (logged in); stop() ends it and forgets any lock (logged out). */
  start(): void
  stop(): void
  setIdleMs(ms: number): void
  unlock(password: string, totpCode?: string): Promise<boolean>
}

export interface SessionLockDeps {
  reauthenticate: (password: string, second?: SecondFactor) => Promise<'ok' | 'second-factor' | SessionProblem>
  storage?: Pick<Storage, 'getItem' | 'setItem'> | undefined
}

function storedIdleMs(storage: SessionLockDeps['storage']): number {
  const value = Number(storage?.getItem(IDLE_SETTING_KEY) ?? NaN)
  return Number.isFinite(value) && value >= MIN_IDLE_MS ? value : DEFAULT_IDLE_MS
}

export function createSessionLockStore({ reauthenticate, storage = globalThis.localStorage }: SessionLockDeps) {
  let timer: ReturnType<typeof setTimeout> | undefined
  let watching = false
  return create<SessionLockState>((set, get) => {
    const arm = () => {
      clearTimeout(timer)
      if (watching && !get().locked) timer = setTimeout(() => get().lock(), get().idleMs)
    }
    return {
      locked: false,
      idleMs: storedIdleMs(storage),
      unlocking: false,
      codeNeeded: false,
      problem: null,
      lock() {
        if (!watching) return
        clearTimeout(timer)
        set({ locked: true, problem: null, codeNeeded: false })
      },
      activity() {
        // activity under the cover does not count: only unlocking ends a lock
        if (!get().locked) arm()
      },
      start() {
        watching = true
        arm()
      },
      stop() {
        watching = false
        clearTimeout(timer)
        set({ locked: false, unlocking: false, codeNeeded: false, problem: null })
      },
      setIdleMs(ms) {
        const idleMs = Math.max(MIN_IDLE_MS, Math.round(ms))
        storage?.setItem(IDLE_SETTING_KEY, String(idleMs))
        set({ idleMs })
        arm()
      },
      async unlock(password, totpCode) {
        if (!get().locked || get().unlocking) return false
        set({ unlocking: true, problem: null })
        const outcome = await reauthenticate(password, totpCode ? { totpCode } : undefined)
        if (outcome === 'ok') {
          set({ locked: false, unlocking: false, codeNeeded: false })
          arm()
          return true
        }
        if (outcome === 'second-factor') set({ unlocking: false, codeNeeded: true })
        else set({ unlocking: false, problem: outcome })
        return false
      },
    }
  })
}
