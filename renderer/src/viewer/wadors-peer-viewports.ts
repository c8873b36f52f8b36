/**
 * The peer page's Cornerstone3D: initialised with the workstation's own renderer settings (one
 * WebGL context per engine, the same decode workers and decoded-image cache size, GPU path),
 * stack viewports with OHIF's defaults (wheel scrolls, left button window/level, Cornerstone's
 * stack prefetch of the active stack), and a three-plane MPR of a streaming volume loaded
 * with `wadors:` image IDs. Part of the benchmark's peer page only.
 */
import { cache, Enums as CoreEnums, getShouldUseCPURendering, init as initCore, RenderingEngine, setVolumesForViewports, volumeLoader, type Types } from '@cornerstonejs/core'
import { init as initDicomImageLoader } from '@cornerstonejs/dicom-image-loader'
import { addTool, Enums as ToolEnums, init as initTools, StackScrollTool, ToolGroupManager, utilities as toolUtilities, WindowLevelTool } from '@cornerstonejs/tools'
import { DEFAULT_DECODED_CACHE_MB } from './cornerstone-setup.ts'

let initialised: Promise<void> | undefined

/** The same initialisation as cornerstone-setup.ts, without the workstation's cache loader. */
export function setUpPeerCornerstone(): Promise<void> {
  initialised ??= (async () => {
    initCore({ rendering: { webGlContextCount: 1 }, debug: {} })
    initDicomImageLoader({ maxWebWorkers: Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1)) })
    initTools()
    addTool(StackScrollTool)
    addTool(WindowLevelTool)
    cache.setMaxCacheSize(DEFAULT_DECODED_CACHE_MB * 1024 * 1024)
  })()
  return initialised
}

function markRenderPath(element: HTMLElement, viewport: Types.IViewport | undefined): void {
  const flagged = (viewport as unknown as { useCPURendering?: boolean } | undefined)?.useCPURendering
  element.dataset.renderPath = flagged === true || getShouldUseCPURendering() ? 'cpu' : 'gpu'
}

function toolsFor(engine: RenderingEngine, toolGroupId: string, viewportIds: readonly string[]): void {
  const toolGroup = ToolGroupManager.createToolGroup(toolGroupId)
  if (!toolGroup) throw new Error(`tool group ${toolGroupId} exists already`)
  toolGroup.addTool(StackScrollTool.toolName)
  toolGroup.addTool(WindowLevelTool.toolName)
  for (const id of viewportIds) toolGroup.addViewport(id, engine.id)
  toolGroup.setToolActive(WindowLevelTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Primary }] })
  toolGroup.setToolActive(StackScrollTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Wheel }] })
}

export interface PeerStacks {
  engine: RenderingEngine
  /** One step through the stack of the cell's viewport (the keyboard's next image, without the loading debounce). */
  scroll(cell: number, delta: number): void
  /** The first image of the cell's stack. */
  goToFirst(cell: number): void
}

/**
 * One stack viewport per element, each showing its image IDs from the first; resolves once all
 * are set. `onImageShown` hears of every render of a viewport that has an image (as the
 * workstation's stack viewer marks its first image).
 */
export async function showStacks(elements: readonly HTMLElement[], stacks: readonly string[][], onImageShown: (cell: number) => void = () => undefined): Promise<PeerStacks> {
  await setUpPeerCornerstone()
  const engine = new RenderingEngine('peer-engine')
  const ids = elements.map((_, index) => `peer-stack-${index}`)
  elements.forEach((element, index) => {
    element.addEventListener(CoreEnums.Events.IMAGE_RENDERED, () => {
      const viewport = engine.getViewport(ids[index]!) as Types.IStackViewport | undefined
      markRenderPath(element, viewport)
      if (!viewport) return
      element.dataset.sliceIndex = String(viewport.getCurrentImageIdIndex())
      if (viewport.getImageData()) onImageShown(index)
    })
    engine.enableElement({ viewportId: ids[index]!, element: element as HTMLDivElement, type: CoreEnums.ViewportType.STACK })
  })
  toolsFor(engine, 'peer-stack-tools', ids)
  await Promise.all(
    elements.map(async (element, index) => {
      const viewport = engine.getViewport(ids[index]!) as Types.IStackViewport
      await viewport.setStack(stacks[index] ?? [], 0)
      viewport.render()
      // OHIF prefetches the stack of a viewport by default
      toolUtilities.stackPrefetch.enable(element)
    }),
  )
  return {
    engine,
    scroll: (cell, delta) => (engine.getViewport(ids[cell]!) as Types.IStackViewport | undefined)?.scroll(delta, false, false),
    goToFirst: (cell) => void (engine.getViewport(ids[cell]!) as Types.IStackViewport | undefined)?.setImageIdIndex(0),
  }
}

const PLANES = [
  ['axial', CoreEnums.OrientationAxis.AXIAL],
  ['sagittal', CoreEnums.OrientationAxis.SAGITTAL],
  ['coronal', CoreEnums.OrientationAxis.CORONAL],
] as const

/** Axial, sagittal and coronal planes of one streaming volume; resolves when every slice is loaded. */
export async function showMpr(elements: readonly HTMLElement[], imageIds: readonly string[]): Promise<void> {
  await setUpPeerCornerstone()
  const volume = await volumeLoader.createAndCacheVolume('cornerstoneStreamingImageVolume:peer-mpr', { imageIds: [...imageIds] })
  const engine = new RenderingEngine('peer-mpr-engine')
  const viewportIds = PLANES.map(([plane]) => `peer-mpr-${plane}`)
  engine.setViewports(
    PLANES.map(([plane, orientation], index) => {
      const element = elements[index] as HTMLDivElement
      element.dataset.orientation = plane
      element.addEventListener(CoreEnums.Events.IMAGE_RENDERED, () => markRenderPath(element, engine.getViewport(viewportIds[index]!)))
      return { viewportId: viewportIds[index]!, type: CoreEnums.ViewportType.ORTHOGRAPHIC, element, defaultOptions: { orientation, background: [0, 0, 0] as Types.Point3 } }
    }),
  )
  toolsFor(engine, 'peer-mpr-tools', viewportIds)
  await new Promise<void>((resolve, reject) => {
    volume.load(() => resolve())
    setVolumesForViewports(engine, [{ volumeId: volume.volumeId }], viewportIds).catch(reject)
  })
  engine.render()
}
