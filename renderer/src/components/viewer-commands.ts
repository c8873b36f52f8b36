/**
 * What each keyboard command does to the viewer. One typed function per command, so a
 * shortcut, a toolbar button and a test all go through the same code.
 */
import type { KeyImageRef } from '../../../shared/report-annotations.ts'
import type { LeftButtonTool } from '../viewer/left-button-tools.ts'
import type { ViewerCommand } from '../viewer/shortcut-map.ts'
import type { ViewportHandle } from '../viewer/viewport-handle.ts'
import type { WindowPreset } from '../viewer/window-presets.ts'

export interface ViewerCommandContext {
  /** The active viewport's handle; null while it loads or in a mode without one. */
  handle: ViewportHandle | null
  presets: readonly WindowPreset[]
  /** The key image reference of what the active viewport shows, if anything. */
  currentKeyImage(): KeyImageRef | null
  toggleKeyImage(ref: KeyImageRef): void
  setTool(tool: LeftButtonTool): void
  stepSeries(delta: 1 | -1): void
  nextLayout(): void
  nextPage(): void
  nextViewport(): void
  toggleFlicker(): void
  toggleMpr(): void
  toggleSynchronise(): void
  toggleOverlay(): void
  changeCineFps(delta: number): void
  openShortcutSheet(): void
}

const TOOL_COMMANDS: Partial<Record<ViewerCommand, LeftButtonTool>> = {
  'tool-window-level': 'window-level',
  'tool-pan': 'pan',
  'tool-zoom': 'zoom',
  'tool-length': 'length',
  'tool-angle': 'angle',
  'tool-ellipse': 'ellipse',
  'tool-rectangle': 'rectangle',
  'tool-probe': 'probe',
}

/** Runs a command; false when it did nothing (e.g. a preset the modality lacks), so the key can fall through. */
export function runViewerCommand(command: ViewerCommand, context: ViewerCommandContext): boolean {
  const { handle } = context
  const tool = TOOL_COMMANDS[command]
  if (tool) {
    context.setTool(tool)
    return true
  }
  const preset = /^window-preset-(\d)$/.exec(command)
  if (preset) {
    const chosen = context.presets[Number(preset[1]) - 1]
    if (!chosen || !handle) return false
    handle.setWindow(chosen.center, chosen.width)
    return true
  }
  switch (command) {
    case 'next-image':
      return act(handle, (h) => h.scroll(1))
    case 'previous-image':
      return act(handle, (h) => h.scroll(-1))
    case 'first-image':
      return act(handle, (h) => h.goTo('first'))
    case 'last-image':
      return act(handle, (h) => h.goTo('last'))
    case 'auto-window':
      return act(handle, (h) => h.autoWindow())
    case 'invert':
      return act(handle, (h) => h.invert())
    case 'rotate-right':
      return act(handle, (h) => h.rotateRight())
    case 'flip-horizontal':
      return act(handle, (h) => h.flipHorizontal())
    case 'flip-vertical':
      return act(handle, (h) => h.flipVertical())
    case 'fit':
      return act(handle, (h) => h.fit())
    case 'reset':
      return act(handle, (h) => h.reset())
    case 'cine-toggle':
      return act(handle, (h) => h.toggleCine())
    case 'delete-measurement':
      return handle?.deleteSelectedMeasurements() ?? false
    case 'key-image': {
      const ref = context.currentKeyImage()
      if (!ref) return false
      context.toggleKeyImage(ref)
      return true
    }
    case 'next-series':
      context.stepSeries(1)
      return true
    case 'previous-series':
      context.stepSeries(-1)
      return true
    case 'cine-faster':
      context.changeCineFps(5)
      return true
    case 'cine-slower':
      context.changeCineFps(-5)
      return true
    case 'next-layout':
      context.nextLayout()
      return true
    case 'next-page':
      context.nextPage()
      return true
    case 'next-viewport':
      context.nextViewport()
      return true
    case 'flicker-toggle':
      context.toggleFlicker()
      return true
    case 'mpr-toggle':
      context.toggleMpr()
      return true
    case 'sync-toggle':
      context.toggleSynchronise()
      return true
    case 'overlay-toggle':
      context.toggleOverlay()
      return true
    case 'shortcut-sheet':
      context.openShortcutSheet()
      return true
    default:
      return false
  }
}

function act(handle: ViewportHandle | null, fn: (h: ViewportHandle) => void): boolean {
  if (!handle) return false
  fn(handle)
  return true
}
