/**
 * The viewer's keyboard commands, their default keys, and the reader's remapping. Keys are
 * written as normalised strings ('k', 'Shift+R', 'ArrowDown', '?'), so that what is stored,
 * shown on the shortcut sheet and matched against a key press is the same text.
 */

export const VIEWER_COMMANDS = [
  'next-image',
  'previous-image',
  'first-image',
  'last-image',
  'next-series',
  'previous-series',
  'window-preset-1',
  'window-preset-2',
  'window-preset-3',
  'window-preset-4',
  'window-preset-5',
  'window-preset-6',
  'auto-window',
  'invert',
  'rotate-right',
  'flip-horizontal',
  'flip-vertical',
  'fit',
  'reset',
  'cine-toggle',
  'cine-faster',
  'cine-slower',
  'key-image',
  'tool-window-level',
  'tool-pan',
  'tool-zoom',
  'tool-length',
  'tool-angle',
  'tool-ellipse',
  'tool-rectangle',
  'tool-probe',
  'delete-measurement',
  'next-layout',
  'flicker-toggle',
  'mpr-toggle',
  'next-page',
  'sync-toggle',
  'overlay-toggle',
  'shortcut-sheet',
  'next-viewport',
] as const
export type ViewerCommand = (typeof VIEWER_COMMANDS)[number]

/** The reader's remapped commands; a command not listed keeps its default keys. */
export type ShortcutOverrides = Partial<Record<ViewerCommand, readonly string[]>>

export const DEFAULT_SHORTCUTS: Record<ViewerCommand, readonly string[]> = {
  'next-image': ['ArrowDown'],
  'previous-image': ['ArrowUp'],
  'first-image': ['Home'],
  'last-image': ['End'],
  'next-series': ['ArrowRight'],
  'previous-series': ['ArrowLeft'],
  'window-preset-1': ['1'],
  'window-preset-2': ['2'],
  'window-preset-3': ['3'],
  'window-preset-4': ['4'],
  'window-preset-5': ['5'],
  'window-preset-6': ['6'],
  'auto-window': ['0'],
  invert: ['i'],
  'rotate-right': ['r'],
  'flip-horizontal': ['h'],
  'flip-vertical': ['v'],
  fit: ['f'],
  reset: ['Shift+R'],
  'cine-toggle': ['c'],
  'cine-faster': [']'],
  'cine-slower': ['['],
  'key-image': ['k'],
  'tool-window-level': ['w'],
  'tool-pan': ['p'],
  'tool-zoom': ['z'],
  'tool-length': ['l'],
  'tool-angle': ['a'],
  'tool-ellipse': ['e'],
  'tool-rectangle': ['b'],
  'tool-probe': ['d'],
  'delete-measurement': ['Delete', 'Backspace'],
  'next-layout': ['g'],
  'flicker-toggle': ['x'],
  'mpr-toggle': ['m'],
  'next-page': ['n'],
  'sync-toggle': ['y'],
  'overlay-toggle': ['o'],
  'shortcut-sheet': ['?'],
  // not Tab: Tab must keep moving the focus (to the report panel, the toolbar)
  'next-viewport': ['Shift+ArrowRight'],
}

export interface KeyPress {
  key: string
  shiftKey: boolean
  ctrlKey: boolean
  altKey: boolean
  metaKey: boolean
}

/** Key values that are not a key press of their own (a modifier alone, a dead key, an IME composing). */
const NOT_A_KEY = new Set(['Shift', 'Control', 'Alt', 'AltGraph', 'Meta', 'OS', 'CapsLock', 'NumLock', 'ScrollLock', 'Fn', 'FnLock', 'Dead', 'Process', 'Unidentified', ''])

/**
 * A key press as a shortcut string: modifiers in the order Ctrl, Alt, Shift, Meta, then the key.
 * A letter is named in lower case, or upper case after 'Shift+' (from shiftKey, not from the
 * letter's case, so Caps Lock does not change the command). Other printable characters carry
 * their shift in the character itself ('?', not 'Shift+/'), so it is not written twice.
 * Returns '' for a press that is not a key of its own (Shift alone, an IME composing).
 */
export function normaliseKey(event: KeyPress): string {
  if (NOT_A_KEY.has(event.key)) return ''
  const key = event.key === ' ' ? 'Space' : event.key
  const isLetter = /^\p{L}$/u.test(key) && key.toLowerCase() !== key.toUpperCase()
  const printable = [...key].length === 1
  const writesShift = event.shiftKey && (isLetter || !printable)
  const name = isLetter ? (event.shiftKey ? key.toUpperCase() : key.toLowerCase()) : key
  return [event.ctrlKey && 'Ctrl', event.altKey && 'Alt', writesShift && 'Shift', event.metaKey && 'Meta', name].filter(Boolean).join('+')
}

/** The keys that run a command for this reader. */
export function keysFor(command: ViewerCommand, overrides: ShortcutOverrides): readonly string[] {
  return overrides[command] ?? DEFAULT_SHORTCUTS[command]
}

/**
 * The command bound to a key. A command the reader remapped wins over a default that still
 * names the same key (possible only in settings edited by hand).
 */
export function commandForKey(key: string, overrides: ShortcutOverrides): ViewerCommand | undefined {
  if (!key) return undefined
  const remapped = VIEWER_COMMANDS.find((c) => overrides[c]?.includes(key))
  return remapped ?? VIEWER_COMMANDS.find((c) => !overrides[c] && DEFAULT_SHORTCUTS[c].includes(key))
}

/**
 * Binds a command to one key, replacing its keys; refuses, naming the other command, when
 * that key already runs something else. Binding a command back to exactly its default keys
 * drops the override, so that later changes to the defaults reach it.
 */
export function rebind(overrides: ShortcutOverrides, command: ViewerCommand, key: string): { overrides: ShortcutOverrides } | { conflict: ViewerCommand } {
  if (!key) return { overrides }
  const holder = commandForKey(key, overrides)
  if (holder && holder !== command) return { conflict: holder }
  const next: ShortcutOverrides = { ...overrides }
  const defaults = DEFAULT_SHORTCUTS[command]
  if (defaults.length === 1 && defaults[0] === key) delete next[command]
  else next[command] = [key]
  return { overrides: next }
}

/** Input types that take no typing, so shortcuts may run while they have focus. */
const NON_TEXT_INPUTS = new Set(['button', 'checkbox', 'radio', 'range', 'reset', 'submit', 'image', 'color', 'file'])

/**
 * Whether a key press goes to something the reader types into (a form field, the report
 * editor), where a shortcut must not fire.
 */
export function isTypingTarget(target: EventTarget | null): boolean {
  const element = target as Partial<Element> | null
  if (!element || typeof element.closest !== 'function') return false
  if (element.closest('textarea, select, [contenteditable]:not([contenteditable="false"])')) return true
  const input = element.closest('input')
  return input !== null && !NON_TEXT_INPUTS.has((input as HTMLInputElement).type)
}
