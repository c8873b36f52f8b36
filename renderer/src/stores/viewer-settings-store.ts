/**
 * A reader's own viewer settings (remapped shortcuts, hanging preferences, decoded-image memory,
 * overlay, cine rate), kept on this computer per server and user. What is stored is read
 * field by field: a damaged or outdated field falls back to its default, never the whole app.
 */
import { create } from 'zustand'
import { HANGING_PROTOCOL_IDS, type HangingPlan, type HangingPreferences, type HangingProtocolId } from '../viewer/hanging-protocol.ts'
import { rebind, VIEWER_COMMANDS, type ShortcutOverrides, type ViewerCommand } from '../viewer/shortcut-map.ts'
import { isLayoutId } from '../viewer/viewer-layouts.ts'

export const DECODED_CACHE_MB = { default: 1024, min: 128, max: 8192 } as const
export const CINE_FPS = { default: 15, min: 1, max: 60 } as const

export interface ViewerSettings {
  shortcuts: ShortcutOverrides
  hanging: HangingPreferences
  /** The budget of the decoded-image cache, in MiB. */
  decodedCacheMb: number
  overlayVisible: boolean
  cineFps: number
}

export type HangingPreference = NonNullable<HangingPreferences[string]>

export interface ViewerSettingsState extends ViewerSettings {
  /** Where these settings are stored; null until a reader's settings are loaded (changes are then kept in memory only). */
  storageKey: string | null
  load(serverUrl: string, username: string): void
  /** Applies the new key, or returns the command that already has it (and changes nothing). */
  rebindShortcut(command: ViewerCommand, key: string): ViewerCommand | undefined
  resetShortcuts(): void
  /** Sets (or, with undefined, forgets) the reader's layout and synchronisation for one protocol. */
  setHangingPreference(protocolId: HangingProtocolId, preference: HangingPreference | undefined): void
  setDecodedCacheMb(mb: number): void
  setOverlayVisible(visible: boolean): void
  setCineFps(fps: number): void
}

export type SettingsStorage = Pick<Storage, 'getItem' | 'setItem'>

export function viewerSettingsKey(serverUrl: string, username: string): string {
  return `viewer-settings:${serverUrl}:${username}`
}

function defaults(): ViewerSettings {
  return { shortcuts: {}, hanging: {}, decodedCacheMb: DECODED_CACHE_MB.default, overlayVisible: true, cineFps: CINE_FPS.default }
}

function clampInteger(value: number, range: { min: number; max: number }): number {
  return Math.min(range.max, Math.max(range.min, Math.round(value)))
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

function readShortcuts(value: unknown): ShortcutOverrides {
  if (!isRecord(value)) return {}
  const out: ShortcutOverrides = {}
  for (const command of VIEWER_COMMANDS) {
    const keys = value[command]
    if (Array.isArray(keys) && keys.length > 0 && keys.every((k) => typeof k === 'string' && k !== '')) out[command] = keys as string[]
  }
  return out
}

function readSynchronise(value: unknown): Partial<HangingPlan['synchronise']> | undefined {
  if (!isRecord(value)) return undefined
  const out: Partial<HangingPlan['synchronise']> = {}
  for (const key of ['scroll', 'voi', 'zoom'] as const) if (typeof value[key] === 'boolean') out[key] = value[key]
  return Object.keys(out).length > 0 ? out : undefined
}

function readHanging(value: unknown): HangingPreferences {
  if (!isRecord(value)) return {}
  const out: HangingPreferences = {}
  for (const protocolId of HANGING_PROTOCOL_IDS) {
    const stored = value[protocolId]
    if (!isRecord(stored)) continue
    const preference: HangingPreference = {}
    if (isLayoutId(stored.layout)) preference.layout = stored.layout
    const synchronise = readSynchronise(stored.synchronise)
    if (synchronise) preference.synchronise = synchronise
    if (preference.layout || preference.synchronise) out[protocolId] = preference
  }
  return out
}

/** The stored settings, each field checked on its own. */
function readSettings(text: string | null): ViewerSettings {
  const settings = defaults()
  if (!text) return settings
  let stored: unknown
  try {
    stored = JSON.parse(text)
  } catch {
    return settings
  }
  if (!isRecord(stored)) return settings
  const number = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined)
  const cacheMb = number(stored.decodedCacheMb)
  const fps = number(stored.cineFps)
  return {
    shortcuts: readShortcuts(stored.shortcuts),
    hanging: readHanging(stored.hanging),
    decodedCacheMb: cacheMb === undefined ? settings.decodedCacheMb : clampInteger(cacheMb, DECODED_CACHE_MB),
    overlayVisible: typeof stored.overlayVisible === 'boolean' ? stored.overlayVisible : settings.overlayVisible,
    cineFps: fps === undefined ? settings.cineFps : clampInteger(fps, CINE_FPS),
  }
}

export function createViewerSettingsStore(storage: SettingsStorage) {
  return create<ViewerSettingsState>((set, get) => {
    /** Applies a change and stores the result for the loaded reader. */
    function update(change: Partial<ViewerSettings>): void {
      set(change)
      const { storageKey, shortcuts, hanging, decodedCacheMb, overlayVisible, cineFps } = get()
      if (!storageKey) return
      try {
        storage.setItem(storageKey, JSON.stringify({ shortcuts, hanging, decodedCacheMb, overlayVisible, cineFps }))
      } catch {
        // storage full or refused: the setting still applies for this session, which matters more than keeping it
      }
    }

    return {
      ...defaults(),
      storageKey: null,

      load(serverUrl, username) {
        const storageKey = viewerSettingsKey(serverUrl, username)
        let text: string | null = null
        try {
          text = storage.getItem(storageKey)
        } catch {
          // unreadable storage: this reader starts from the defaults
        }
        set({ ...readSettings(text), storageKey })
      },

      rebindShortcut(command, key) {
        const result = rebind(get().shortcuts, command, key)
        if ('conflict' in result) return result.conflict
        update({ shortcuts: result.overrides })
        return undefined
      },

      resetShortcuts() {
        update({ shortcuts: {} })
      },

      setHangingPreference(protocolId, preference) {
        const hanging = { ...get().hanging }
        if (preference) hanging[protocolId] = preference
        else delete hanging[protocolId]
        update({ hanging })
      },

      setDecodedCacheMb(mb) {
        if (Number.isFinite(mb)) update({ decodedCacheMb: clampInteger(mb, DECODED_CACHE_MB) })
      },

      setOverlayVisible(visible) {
        update({ overlayVisible: visible })
      },

      setCineFps(fps) {
        if (Number.isFinite(fps)) update({ cineFps: clampInteger(fps, CINE_FPS) })
      },
    }
  })
}
