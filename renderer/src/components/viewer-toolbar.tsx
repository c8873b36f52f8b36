/**
 * The viewer's toolbar: the left button's tool, the layout, window presets and the image
 * commands. Every button runs the same command as its shortcut, and its tooltip names the key.
 */
import { useT } from '../i18n/language-store.ts'
import { useLanguageStore } from '../i18n/language-store.ts'
import type { ViewerMode } from '../stores/viewer-store.ts'
import { LEFT_BUTTON_TOOLS, type LeftButtonTool } from '../viewer/left-button-tools.ts'
import type { ViewerCommand } from '../viewer/shortcut-map.ts'
import { LAYOUT_IDS, type LayoutId } from '../viewer/viewer-layouts.ts'
import type { WindowPreset } from '../viewer/window-presets.ts'

export interface ViewerToolbarProps {
  tool: LeftButtonTool
  layout: LayoutId
  presets: readonly WindowPreset[]
  mode: ViewerMode
  flickerAvailable: boolean
  pages: number
  page: number
  synchronise: boolean
  overlayVisible: boolean
  onTool(tool: LeftButtonTool): void
  onLayout(layout: LayoutId): void
  onCommand(command: ViewerCommand): void
  /** Keeps the layout on screen as this reader's layout for the study's hanging protocol. */
  onKeepLayout?(): void
  /** Megabytes of decoded images kept in memory (a setting). */
  decodedCacheMb: number
  onDecodedCacheMb(mb: number): void
}

const DECODED_CACHE_CHOICES = [512, 1024, 2048, 4096] as const

const IMAGE_COMMANDS = ['invert', 'rotate-right', 'flip-horizontal', 'flip-vertical', 'fit', 'reset', 'cine-toggle', 'key-image', 'delete-measurement'] as const

export function ViewerToolbar(props: ViewerToolbarProps) {
  const t = useT()
  const language = useLanguageStore((s) => s.language)
  return (
    <div className="viewer-toolbar" role="toolbar" aria-label={t('viewer.toolbar')}>
      <div className="viewer-toolbar__group" role="radiogroup" aria-label={t('viewer.tools')}>
        {LEFT_BUTTON_TOOLS.map((tool) => (
          <button key={tool} type="button" role="radio" aria-checked={props.tool === tool} data-tool={tool} onClick={() => props.onTool(tool)}>
            {t(`viewer.tool.${tool}`)}
          </button>
        ))}
      </div>
      <label className="viewer-toolbar__group">
        {t('viewer.layout')}{' '}
        <select aria-label={t('viewer.layout')} value={props.layout} onChange={(event) => {
            props.onLayout(event.target.value as LayoutId)
            event.target.blur()
          }}>
          {LAYOUT_IDS.map((id) => (
            <option key={id} value={id}>
              {id.replace('x', '×')}
            </option>
          ))}
        </select>
      </label>
      {props.onKeepLayout && (
        <button type="button" data-command="keep-layout" title={t('viewer.keepLayoutHint')} onClick={props.onKeepLayout}>
          {t('viewer.keepLayout')}
        </button>
      )}
      {props.presets.length > 0 && (
        <div className="viewer-toolbar__group" aria-label={t('viewer.presets')}>
          {props.presets.map((preset, i) => (
            <button key={preset.id} type="button" data-preset={preset.id} title={`${i + 1}`} onClick={() => props.onCommand(`window-preset-${i + 1}` as ViewerCommand)}>
              {preset.label[language]}
            </button>
          ))}
        </div>
      )}
      <div className="viewer-toolbar__group">
        {IMAGE_COMMANDS.map((command) => (
          <button key={command} type="button" data-command={command} onClick={() => props.onCommand(command)}>
            {t(`viewer.command.${command}`)}
          </button>
        ))}
      </div>
      <div className="viewer-toolbar__group">
        <button type="button" aria-pressed={props.synchronise} onClick={() => props.onCommand('sync-toggle')}>
          {t('viewer.sync')}
        </button>
        {props.flickerAvailable && (
          <button type="button" aria-pressed={props.mode === 'flicker'} onClick={() => props.onCommand('flicker-toggle')}>
            {t('viewer.flicker')}
          </button>
        )}
        <button type="button" aria-pressed={props.mode === 'mpr'} onClick={() => props.onCommand('mpr-toggle')}>
          MPR
        </button>
        {props.pages > 1 && (
          <button type="button" data-command="next-page" onClick={() => props.onCommand('next-page')}>
            {t('viewer.page', { page: props.page + 1, pages: props.pages })}
          </button>
        )}
        <button type="button" aria-pressed={props.overlayVisible} onClick={() => props.onCommand('overlay-toggle')}>
          {t('viewer.overlay')}
        </button>
        <button type="button" aria-label={t('viewer.shortcuts')} onClick={() => props.onCommand('shortcut-sheet')}>
          ?
        </button>
        <label title={t('viewer.memoryHint')}>
          {t('viewer.memory')}{' '}
          <select aria-label={t('viewer.memory')} value={props.decodedCacheMb} onChange={(event) => {
              props.onDecodedCacheMb(Number(event.target.value))
              event.target.blur()
            }}>
            {[...new Set([...DECODED_CACHE_CHOICES, props.decodedCacheMb])]
              .sort((a, b) => a - b)
              .map((mb) => (
                <option key={mb} value={mb}>
                  {mb >= 1024 ? `${mb / 1024} GB` : `${mb} MB`}
                </option>
              ))}
          </select>
        </label>
      </div>
    </div>
  )
}
