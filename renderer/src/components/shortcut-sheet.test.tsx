// @vitest-environment jsdom
import { act, useState } from 'react'
import { createRoot, type Root } from 'react-dom/client'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useLanguageStore } from '../i18n/language-store.ts'
import { rebind, type ShortcutOverrides, type ViewerCommand } from '../viewer/shortcut-map.ts'
import { ShortcutSheet } from './shortcut-sheet.tsx'

;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

/** The sheet wired to remapping in memory, as the settings store would do it. */
function Harness({ onClose, onReset }: { onClose(): void; onReset(): void }) {
  const [shortcuts, setShortcuts] = useState<ShortcutOverrides>({})
  const onRebind = (command: ViewerCommand, key: string) => {
    const result = rebind(shortcuts, command, key)
    if ('conflict' in result) return result.conflict
    setShortcuts(result.overrides)
    return undefined
  }
  return (
    <ShortcutSheet
      shortcuts={shortcuts}
      onRebind={onRebind}
      onReset={() => {
        setShortcuts({})
        onReset()
      }}
      onClose={onClose}
    />
  )
}

let container: HTMLDivElement
let root: Root
const onClose = vi.fn()
const onReset = vi.fn()
const windowKeys: string[] = []
const recordWindowKey = (event: KeyboardEvent) => windowKeys.push(event.key)

beforeEach(async () => {
  onClose.mockReset()
  onReset.mockReset()
  windowKeys.length = 0
  window.addEventListener('keydown', recordWindowKey)
  useLanguageStore.setState({ language: 'en' })
  container = document.createElement('div')
  document.body.append(container)
  root = createRoot(container)
  await act(async () => root.render(<Harness onClose={onClose} onReset={onReset} />))
})

afterEach(async () => {
  await act(async () => root.unmount())
  container.remove()
  window.removeEventListener('keydown', recordWindowKey)
})

const dialog = () => container.querySelector<HTMLElement>('[role="dialog"]')!
const row = (command: ViewerCommand) => container.querySelector<HTMLElement>(`tr[data-command="${command}"]`)!
const keysOf = (command: ViewerCommand) => [...row(command).querySelectorAll('kbd')].map((k) => k.dataset.key)
const status = () => container.querySelector<HTMLElement>('[role="status"]')!.textContent

async function press(key: string, modifiers: Partial<Pick<KeyboardEvent, 'shiftKey' | 'ctrlKey' | 'altKey' | 'metaKey'>> = {}) {
  await act(async () => {
    ;(document.activeElement ?? dialog()).dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...modifiers }))
  })
}

async function click(element: HTMLElement) {
  await act(async () => element.click())
}

describe('ShortcutSheet', () => {
  it('is a labelled modal dialog listing every command with its keys', () => {
    expect(dialog().getAttribute('aria-label')).toBe('Keyboard shortcuts')
    expect(dialog().getAttribute('aria-modal')).toBe('true')
    expect(container.querySelectorAll('tbody tr')).toHaveLength(40)
    expect(row('reset').querySelector('th')!.textContent).toBe('Reset the view')
    expect(keysOf('reset')).toEqual(['Shift+R'])
    expect(row('next-image').querySelector('kbd')!.textContent).toBe('↓')
    expect(document.activeElement).toBe(dialog())
  })

  it('shows the command names in Japanese', async () => {
    await act(async () => useLanguageStore.setState({ language: 'ja' }))
    expect(dialog().getAttribute('aria-label')).toBe('キーボードショートカット')
    expect(row('key-image').querySelector('th')!.textContent).toBe('キー画像の指定／解除')
  })

  it('remaps a command to the next key pressed, without that key reaching the viewer', async () => {
    await click(row('invert').querySelector('button')!)
    expect(status()).toBe('Press the new key (Esc cancels)')
    await press('j')
    expect(keysOf('invert')).toEqual(['j'])
    expect(status()).toBe('"Invert" now runs on j.')
    expect(windowKeys).toEqual([])
  })

  it('refuses a key that runs another command and says which', async () => {
    await click(row('invert').querySelector('button')!)
    await press('K', { shiftKey: false })
    expect(keysOf('invert')).toEqual(['i'])
    expect(status()).toBe('k already runs "Mark / unmark key image". Change that key first.')
  })

  it('waits past a lone modifier for the key itself, and cancels with Escape without closing', async () => {
    await click(row('fit').querySelector('button')!)
    await press('Shift', { shiftKey: true })
    expect(status()).toBe('Press the new key (Esc cancels)')
    await press('F', { shiftKey: true })
    expect(keysOf('fit')).toEqual(['Shift+F'])

    await click(row('fit').querySelector('button')!)
    await press('Escape')
    expect(onClose).not.toHaveBeenCalled()
    expect(keysOf('fit')).toEqual(['Shift+F'])
    expect(status()).toBe('')
  })

  it('resets all keys, and closes with Escape or the close button', async () => {
    await click(row('invert').querySelector('button')!)
    await press('j')
    await click([...container.querySelectorAll('button')].find((b) => b.textContent === 'Reset all to defaults')!)
    expect(onReset).toHaveBeenCalledOnce()
    expect(keysOf('invert')).toEqual(['i'])

    await press('Escape')
    expect(onClose).toHaveBeenCalledTimes(1)
    await click([...container.querySelectorAll('button')].find((b) => b.textContent === 'Close')!)
    expect(onClose).toHaveBeenCalledTimes(2)
  })
})
