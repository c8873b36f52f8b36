/**
 * The shortcut sheet (`?`): every viewer command with its keys, and a way to remap each one by
 * pressing the new key. A key that already runs another command is refused, naming it.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
import { useT } from '../i18n/language-store.ts'
import { keysFor, normaliseKey, VIEWER_COMMANDS, type ShortcutOverrides, type ViewerCommand } from '../viewer/shortcut-map.ts'

export interface ShortcutSheetProps {
  shortcuts: ShortcutOverrides
  /** Applies the key, or returns the command that already has it (nothing is changed then). */
  onRebind(command: ViewerCommand, key: string): ViewerCommand | undefined
  onReset(): void
  onClose(): void
}

/** How a key is shown: arrows as arrows, everything else by its name. */
const KEY_SYMBOLS: Record<string, string> = { ArrowUp: '↑', ArrowDown: '↓', ArrowLeft: '←', ArrowRight: '→' }

function keyLabel(key: string): string {
  return key
    .split('+')
    .map((part) => KEY_SYMBOLS[part] ?? part)
    .join('+')
}

export function ShortcutSheet({ shortcuts, onRebind, onReset, onClose }: ShortcutSheetProps) {
  const t = useT()
  const [capturing, setCapturing] = useState<ViewerCommand | null>(null)
  const [notice, setNotice] = useState<{ kind: 'conflict' | 'changed'; text: string } | null>(null)
  const dialog = useRef<HTMLDivElement>(null)

  useEffect(() => {
    // the sheet takes the keyboard while open, and gives it back to where it was
    const previous = document.activeElement
    dialog.current?.focus()
    return () => {
      if (previous instanceof HTMLElement) previous.focus()
    }
  }, [])

  function startCapture(command: ViewerCommand): void {
    setCapturing(command)
    setNotice(null)
    // away from the button, so that binding Space or Enter cannot press it again
    dialog.current?.focus()
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    // nothing typed here may reach the viewer's own shortcuts
    event.stopPropagation()
    if (!capturing) {
      if (event.key === 'Escape') {
        event.preventDefault()
        onClose()
      }
      return
    }
    event.preventDefault()
    if (event.key === 'Escape') {
      setCapturing(null)
      return
    }
    const key = normaliseKey(event)
    if (!key) return
    const conflict = onRebind(capturing, key)
    const label = keyLabel(key)
    setNotice(
      conflict
        ? { kind: 'conflict', text: t('shortcut.conflict', { key: label, command: t(`command.${conflict}`) }) }
        : { kind: 'changed', text: t('shortcut.changed', { key: label, command: t(`command.${capturing}`) }) },
    )
    setCapturing(null)
  }

  return (
    <div className="modal-backdrop" style={{ position: 'fixed', inset: 0, display: 'grid', placeItems: 'center', background: 'rgb(0 0 0 / 0.5)', zIndex: 100 }}>
      <div
        ref={dialog}
        role="dialog"
        aria-modal="true"
        aria-label={t('shortcut.title')}
        tabIndex={-1}
        className="shortcut-sheet"
        data-testid="shortcut-sheet"
        onKeyDown={onKeyDown}
        style={{ maxHeight: '90vh', overflow: 'auto', background: 'var(--panel-bg, #1e1e1e)', color: 'inherit', padding: '1rem', borderRadius: 6, outline: 'none' }}
      >
        <h2>{t('shortcut.title')}</h2>
        <p role="status" aria-live="polite" data-kind={notice?.kind ?? (capturing ? 'capturing' : '')}>
          {capturing ? t('shortcut.pressKey') : (notice?.text ?? '')}
        </p>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('shortcut.col.command')}</th>
              <th scope="col">{t('shortcut.col.keys')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {VIEWER_COMMANDS.map((command) => (
              <tr key={command} data-command={command} aria-current={capturing === command ? 'true' : undefined}>
                <th scope="row">{t(`command.${command}`)}</th>
                <td>
                  {keysFor(command, shortcuts).map((key) => (
                    <kbd key={key} data-key={key} style={{ marginRight: '0.25rem' }}>
                      {keyLabel(key)}
                    </kbd>
                  ))}
                </td>
                <td>
                  <button type="button" aria-label={t('shortcut.changeFor', { command: t(`command.${command}`) })} onClick={() => startCapture(command)}>
                    {t('shortcut.change')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div style={{ display: 'flex', gap: '0.5rem', justifyContent: 'flex-end', marginTop: '1rem' }}>
          <button type="button" onClick={onReset}>
            {t('shortcut.resetAll')}
          </button>
          <button type="button" onClick={onClose}>
            {t('shortcut.close')}
          </button>
        </div>
      </div>
    </div>
  )
}
