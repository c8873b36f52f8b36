import { describe, expect, it, vi } from 'vitest'
import type { ViewportHandle } from '../viewer/viewport-handle.ts'
import { runViewerCommand, type ViewerCommandContext } from './viewer-commands.ts'

function fakeHandle(): ViewportHandle {
  return {
    shiftView: vi.fn(),
    scroll: vi.fn(),
    goTo: vi.fn(),
    goToIndex: vi.fn(),
    setWindow: vi.fn(),
    autoWindow: vi.fn(),
    invert: vi.fn(),
    rotateRight: vi.fn(),
    flipHorizontal: vi.fn(),
    flipVertical: vi.fn(),
    fit: vi.fn(),
    reset: vi.fn(),
    toggleCine: vi.fn(),
    setCineFps: vi.fn(),
    deleteSelectedMeasurements: vi.fn(() => true),
    currentImage: vi.fn(() => ({ imageId: 'wscache:1.2?frame=3', index: 2 })),
  }
}

function context(handle: ViewportHandle | null): ViewerCommandContext {
  return {
    handle,
    presets: [
      { id: 'brain', label: { ja: '脳', en: 'Brain' }, center: 40, width: 80 },
      { id: 'lung', label: { ja: '肺', en: 'Lung' }, center: -600, width: 1500 },
    ],
    currentKeyImage: () => ({ sopInstanceUid: '1.2', seriesInstanceUid: '1.1', frame: 3 }),
    toggleKeyImage: vi.fn(),
    setTool: vi.fn(),
    stepSeries: vi.fn(),
    nextLayout: vi.fn(),
    nextPage: vi.fn(),
    nextViewport: vi.fn(),
    toggleFlicker: vi.fn(),
    toggleMpr: vi.fn(),
    toggleSynchronise: vi.fn(),
    toggleOverlay: vi.fn(),
    changeCineFps: vi.fn(),
    openShortcutSheet: vi.fn(),
  }
}

describe('viewer commands', () => {
  it('sends image commands to the active viewport', () => {
    const handle = fakeHandle()
    const ctx = context(handle)
    expect(runViewerCommand('next-image', ctx)).toBe(true)
    expect(handle.scroll).toHaveBeenCalledWith(1)
    runViewerCommand('previous-image', ctx)
    expect(handle.scroll).toHaveBeenCalledWith(-1)
    runViewerCommand('last-image', ctx)
    expect(handle.goTo).toHaveBeenCalledWith('last')
    for (const [command, method] of [
      ['invert', 'invert'],
      ['rotate-right', 'rotateRight'],
      ['flip-horizontal', 'flipHorizontal'],
      ['flip-vertical', 'flipVertical'],
      ['fit', 'fit'],
      ['reset', 'reset'],
      ['cine-toggle', 'toggleCine'],
      ['auto-window', 'autoWindow'],
    ] as const) {
      runViewerCommand(command, ctx)
      expect(handle[method]).toHaveBeenCalledTimes(1)
    }
  })

  it('applies the n-th window preset, and lets a digit without a preset fall through', () => {
    const handle = fakeHandle()
    expect(runViewerCommand('window-preset-2', context(handle))).toBe(true)
    expect(handle.setWindow).toHaveBeenCalledWith(-600, 1500)
    expect(runViewerCommand('window-preset-5', context(handle))).toBe(false)
  })

  it('does nothing (and says so) without an active viewport', () => {
    expect(runViewerCommand('invert', context(null))).toBe(false)
    expect(runViewerCommand('delete-measurement', context(null))).toBe(false)
  })

  it('toggles the key image of what is shown, and chooses tools', () => {
    const ctx = context(fakeHandle())
    runViewerCommand('key-image', ctx)
    expect(ctx.toggleKeyImage).toHaveBeenCalledWith({ sopInstanceUid: '1.2', seriesInstanceUid: '1.1', frame: 3 })
    runViewerCommand('tool-probe', ctx)
    expect(ctx.setTool).toHaveBeenCalledWith('probe')
    runViewerCommand('tool-ellipse', ctx)
    expect(ctx.setTool).toHaveBeenCalledWith('ellipse')
    runViewerCommand('cine-slower', ctx)
    expect(ctx.changeCineFps).toHaveBeenCalledWith(-5)
  })
})
