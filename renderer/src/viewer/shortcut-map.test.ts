// @vitest-environment jsdom
import { describe, expect, it } from 'vitest'
import { commandForKey, DEFAULT_SHORTCUTS, isTypingTarget, keysFor, normaliseKey, rebind, VIEWER_COMMANDS, type KeyPress } from './shortcut-map.ts'

const press = (key: string, modifiers: Partial<Omit<KeyPress, 'key'>> = {}): KeyPress => ({ key, shiftKey: false, ctrlKey: false, altKey: false, metaKey: false, ...modifiers })

describe('shortcut map', () => {
  it('gives every command a default key, and no key to two commands', () => {
    expect(Object.keys(DEFAULT_SHORTCUTS).sort()).toEqual([...VIEWER_COMMANDS].sort())
    const keys = Object.values(DEFAULT_SHORTCUTS).flat()
    expect(new Set(keys).size).toBe(keys.length)
    for (const command of VIEWER_COMMANDS) expect(DEFAULT_SHORTCUTS[command].length, command).toBeGreaterThan(0)
  })

  it('names key presses the way the defaults are written', () => {
    expect(normaliseKey(press('k'))).toBe('k')
    expect(normaliseKey(press('R', { shiftKey: true }))).toBe('Shift+R')
    expect(normaliseKey(press('ArrowDown'))).toBe('ArrowDown')
    expect(normaliseKey(press('Tab', { shiftKey: true }))).toBe('Shift+Tab')
    expect(normaliseKey(press('?', { shiftKey: true }))).toBe('?')
    expect(normaliseKey(press(']'))).toBe(']')
    expect(normaliseKey(press(' '))).toBe('Space')
    expect(normaliseKey(press('k', { ctrlKey: true, altKey: true, shiftKey: true, metaKey: true }))).toBe('Ctrl+Alt+Shift+Meta+K')
    expect(normaliseKey(press('1', { ctrlKey: true }))).toBe('Ctrl+1')
  })

  it('goes by the Shift key, not by the letter case, so Caps Lock does not turn rotate into reset', () => {
    expect(normaliseKey(press('R'))).toBe('r')
    expect(normaliseKey(press('r', { shiftKey: true }))).toBe('Shift+R')
  })

  it('ignores presses that are not keys of their own', () => {
    for (const key of ['Shift', 'Control', 'Alt', 'Meta', 'CapsLock', 'Dead', 'Process', 'Unidentified']) expect(normaliseKey(press(key, { shiftKey: key === 'Shift' })), key).toBe('')
  })

  it('finds the command of a key, with the reader overrides', () => {
    expect(commandForKey('k', {})).toBe('key-image')
    expect(commandForKey('Shift+R', {})).toBe('reset')
    expect(commandForKey('r', {})).toBe('rotate-right')
    expect(commandForKey('Backspace', {})).toBe('delete-measurement')
    expect(commandForKey('q', {})).toBeUndefined()
    expect(commandForKey('', {})).toBeUndefined()
    const overrides = { invert: ['j'] }
    expect(commandForKey('j', overrides)).toBe('invert')
    expect(commandForKey('i', overrides)).toBeUndefined()
    expect(keysFor('invert', overrides)).toEqual(['j'])
    expect(keysFor('reset', overrides)).toEqual(['Shift+R'])
    // settings edited by hand: the remapped command wins over the default holder
    expect(commandForKey('k', { invert: ['k'] })).toBe('invert')
  })

  it('rebinds a command to a free key, and refuses a key that runs another command', () => {
    const first = rebind({}, 'invert', 'j')
    expect(first).toEqual({ overrides: { invert: ['j'] } })
    expect(rebind({}, 'invert', 'r')).toEqual({ conflict: 'rotate-right' })
    // a key given up by one command can be taken by another
    const moved = rebind({ 'rotate-right': ['t'] }, 'invert', 'r')
    expect(moved).toEqual({ overrides: { 'rotate-right': ['t'], invert: ['r'] } })
    expect(rebind({ invert: ['j'] }, 'fit', 'j')).toEqual({ conflict: 'invert' })
  })

  it('drops the override when a command gets its default key back, and does not touch the input', () => {
    const overrides = { invert: ['j'] }
    expect(rebind(overrides, 'invert', 'i')).toEqual({ overrides: {} })
    expect(overrides).toEqual({ invert: ['j'] })
    expect(rebind(overrides, 'invert', 'j')).toEqual({ overrides: { invert: ['j'] } })
    expect(rebind(overrides, 'invert', '')).toEqual({ overrides })
  })

  it('knows where the reader is typing', () => {
    document.body.innerHTML = `
      <input id="text"><input id="check" type="checkbox"><textarea id="area"></textarea><select id="sel"></select>
      <div contenteditable="true"><p id="editor">report</p></div><div contenteditable="false"><span id="locked"></span></div>
      <button id="button"></button><div id="viewport"></div>`
    const byId = (id: string) => document.getElementById(id)
    for (const id of ['text', 'area', 'sel', 'editor']) expect(isTypingTarget(byId(id)), id).toBe(true)
    for (const id of ['check', 'locked', 'button', 'viewport']) expect(isTypingTarget(byId(id)), id).toBe(false)
    expect(isTypingTarget(null)).toBe(false)
    expect(isTypingTarget(window)).toBe(false)
  })
})
