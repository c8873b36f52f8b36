import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { SecondFactor } from '../api/reading-server-client.ts'
import { createSessionLockStore, DEFAULT_IDLE_MS, IDLE_SETTING_KEY } from './session-lock-store.ts'
import type { SessionProblem } from './session-store.ts'

function memoryStorage(initial: Record<string, string> = {}) {
  const values = new Map(Object.entries(initial))
  return { getItem: (k: string) => values.get(k) ?? null, setItem: (k: string, v: string) => void values.set(k, v), values }
}

describe('session lock store', () => {
  beforeEach(() => void vi.useFakeTimers())
  afterEach(() => void vi.useRealTimers())

  it('locks after the idle period, which activity restarts; not before it is started', () => {
    const store = createSessionLockStore({ reauthenticate: async () => 'ok', storage: memoryStorage() })
    expect(store.getState().idleMs).toBe(DEFAULT_IDLE_MS)
    vi.advanceTimersByTime(DEFAULT_IDLE_MS * 2)
    expect(store.getState().locked).toBe(false)
    store.getState().start()
    vi.advanceTimersByTime(DEFAULT_IDLE_MS - 1000)
    store.getState().activity()
    vi.advanceTimersByTime(DEFAULT_IDLE_MS - 1000)
    expect(store.getState().locked).toBe(false)
    vi.advanceTimersByTime(1000)
    expect(store.getState().locked).toBe(true)
    // moving the mouse under the cover does not unlock
    store.getState().activity()
    expect(store.getState().locked).toBe(true)
  })

  it('takes the idle period from the setting and keeps a change', () => {
    const storage = memoryStorage({ [IDLE_SETTING_KEY]: '3000' })
    const store = createSessionLockStore({ reauthenticate: async () => 'ok', storage })
    store.getState().start()
    vi.advanceTimersByTime(3000)
    expect(store.getState().locked).toBe(true)
    store.getState().setIdleMs(5 * 60_000)
    expect(storage.values.get(IDLE_SETTING_KEY)).toBe('300000')
    expect(createSessionLockStore({ reauthenticate: async () => 'ok', storage }).getState().idleMs).toBe(300000)
  })

  it('unlocks only with the password, asking for the code when the user has TOTP', async () => {
    const reauthenticate = vi.fn(async (password: string, second?: SecondFactor): Promise<'ok' | 'second-factor' | SessionProblem> => {
      if (password !== 'right-password') return { kind: 'invalid-credentials', detail: '' }
      return second && 'totpCode' in second && second.totpCode === '123456' ? 'ok' : 'second-factor'
    })
    const store = createSessionLockStore({ reauthenticate, storage: memoryStorage() })
    store.getState().start()
    store.getState().lock()
    expect(await store.getState().unlock('wrong')).toBe(false)
    expect(store.getState()).toMatchObject({ locked: true, problem: { kind: 'invalid-credentials' } })
    expect(await store.getState().unlock('right-password')).toBe(false)
    expect(store.getState()).toMatchObject({ locked: true, codeNeeded: true })
    expect(await store.getState().unlock('right-password', '123456')).toBe(true)
    expect(store.getState()).toMatchObject({ locked: false, codeNeeded: false })
    expect(reauthenticate).toHaveBeenLastCalledWith('right-password', { totpCode: '123456' })
  })

  it('forgets the lock when the session ends, and cannot lock without one', () => {
    const store = createSessionLockStore({ reauthenticate: async () => 'ok', storage: memoryStorage() })
    store.getState().lock()
    expect(store.getState().locked).toBe(false)
    store.getState().start()
    store.getState().lock()
    store.getState().stop()
    expect(store.getState().locked).toBe(false)
  })
})
