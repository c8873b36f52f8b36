import { describe, expect, it } from 'vitest'
import { createViewerSettingsStore, viewerSettingsKey, type SettingsStorage } from './viewer-settings-store.ts'

/** A Storage in memory that can be told to fail. */
function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial))
  let failWrites = false
  const storage: SettingsStorage = {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => {
      if (failWrites) throw new DOMException('full', 'QuotaExceededError')
      items.set(key, value)
    },
  }
  return { storage, items, failWrites: () => (failWrites = true) }
}

const KEY = viewerSettingsKey('https://reading.example', 'yamada')

describe('viewer settings store', () => {
  it('starts from the defaults for a reader with nothing stored', () => {
    const { storage } = memoryStorage()
    const store = createViewerSettingsStore(storage)
    store.getState().load('https://reading.example', 'yamada')
    expect(store.getState()).toMatchObject({ storageKey: KEY, shortcuts: {}, hanging: {}, decodedCacheMb: 1024, overlayVisible: true, cineFps: 15 })
  })

  it('keeps every change under a key of its own per reader, and reads it back in a new session', () => {
    const { storage, items } = memoryStorage()
    const store = createViewerSettingsStore(storage)
    store.getState().load('https://reading.example', 'yamada')
    expect(store.getState().rebindShortcut('invert', 'j')).toBeUndefined()
    store.getState().setHangingPreference('ct-mr-compare', { layout: '2x1', synchronise: { zoom: false } })
    store.getState().setDecodedCacheMb(2048)
    store.getState().setOverlayVisible(false)
    store.getState().setCineFps(30)
    expect([...items.keys()]).toEqual([KEY])

    const next = createViewerSettingsStore(storage)
    next.getState().load('https://reading.example', 'yamada')
    expect(next.getState()).toMatchObject({
      shortcuts: { invert: ['j'] },
      hanging: { 'ct-mr-compare': { layout: '2x1', synchronise: { zoom: false } } },
      decodedCacheMb: 2048,
      overlayVisible: false,
      cineFps: 30,
    })
    // another reader on the same computer has their own settings
    next.getState().load('https://reading.example', 'suzuki')
    expect(next.getState()).toMatchObject({ shortcuts: {}, decodedCacheMb: 1024, overlayVisible: true })
  })

  it('refuses a shortcut that runs another command, changing nothing, and resets all shortcuts', () => {
    const { storage, items } = memoryStorage()
    const store = createViewerSettingsStore(storage)
    store.getState().load('https://reading.example', 'yamada')
    expect(store.getState().rebindShortcut('invert', 'k')).toBe('key-image')
    expect(store.getState().shortcuts).toEqual({})
    expect(items.size).toBe(0)
    store.getState().rebindShortcut('invert', 'j')
    store.getState().resetShortcuts()
    expect(store.getState().shortcuts).toEqual({})
    expect(JSON.parse(items.get(KEY)!).shortcuts).toEqual({})
  })

  it('forgets a hanging preference set to undefined', () => {
    const store = createViewerSettingsStore(memoryStorage().storage)
    store.getState().setHangingPreference('chest-compare', { layout: '1x1' })
    store.getState().setHangingPreference('chest-compare', undefined)
    expect(store.getState().hanging).toEqual({})
  })

  it('keeps the memory budget and cine rate within their limits', () => {
    const store = createViewerSettingsStore(memoryStorage().storage)
    store.getState().setDecodedCacheMb(16)
    expect(store.getState().decodedCacheMb).toBe(128)
    store.getState().setDecodedCacheMb(100_000)
    expect(store.getState().decodedCacheMb).toBe(8192)
    store.getState().setDecodedCacheMb(Number.NaN)
    expect(store.getState().decodedCacheMb).toBe(8192)
    store.getState().setCineFps(0)
    expect(store.getState().cineFps).toBe(1)
    store.getState().setCineFps(120)
    expect(store.getState().cineFps).toBe(60)
    store.getState().setCineFps(12.6)
    expect(store.getState().cineFps).toBe(13)
  })

  it('falls back to the defaults for unreadable JSON, and per field for damaged or outdated fields', () => {
    const corrupt = createViewerSettingsStore(memoryStorage({ [KEY]: '{"shortcuts": {' }).storage)
    expect(() => corrupt.getState().load('https://reading.example', 'yamada')).not.toThrow()
    expect(corrupt.getState()).toMatchObject({ shortcuts: {}, decodedCacheMb: 1024, cineFps: 15 })

    const damaged = JSON.stringify({
      shortcuts: { invert: ['j'], 'no-such-command': ['q'], fit: 'f', reset: [] },
      hanging: { 'ct-mr-compare': { layout: '4x4', synchronise: { scroll: false, voi: 'yes' } }, 'chest-compare': { layout: '1x1' }, 'old-protocol': { layout: '1x1' } },
      decodedCacheMb: 99_999,
      overlayVisible: 'no',
      cineFps: null,
    })
    const store = createViewerSettingsStore(memoryStorage({ [KEY]: damaged }).storage)
    store.getState().load('https://reading.example', 'yamada')
    expect(store.getState()).toMatchObject({
      shortcuts: { invert: ['j'] },
      hanging: { 'ct-mr-compare': { synchronise: { scroll: false } }, 'chest-compare': { layout: '1x1' } },
      decodedCacheMb: 8192,
      overlayVisible: true,
      cineFps: 15,
    })
    expect(Object.keys(store.getState().hanging).sort()).toEqual(['chest-compare', 'ct-mr-compare'])

    for (const text of ['null', '[]', '42']) {
      const odd = createViewerSettingsStore(memoryStorage({ [KEY]: text }).storage)
      odd.getState().load('https://reading.example', 'yamada')
      expect(odd.getState().decodedCacheMb, text).toBe(1024)
    }
  })

  it('still applies a change that storage refuses to keep', () => {
    const { storage, failWrites } = memoryStorage()
    const store = createViewerSettingsStore(storage)
    store.getState().load('https://reading.example', 'yamada')
    failWrites()
    expect(() => store.getState().setOverlayVisible(false)).not.toThrow()
    expect(store.getState().overlayVisible).toBe(false)
  })

  it('keeps changes made before a reader is known in memory only', () => {
    const { storage, items } = memoryStorage()
    const store = createViewerSettingsStore(storage)
    store.getState().setCineFps(24)
    expect(store.getState().cineFps).toBe(24)
    expect(items.size).toBe(0)
  })
})
