/**
 * One Cornerstone3D StackViewport showing a series from the local cache, with the reading
 * tools bound to the mouse: left drag window/level, right drag zoom, middle drag pan,
 * wheel scroll through slices. Everything it enables is disabled again on unmount.
 */
import { Enums as CoreEnums, RenderingEngine, type Types } from '@cornerstonejs/core'
import { Enums as ToolEnums, PanTool, StackScrollTool, ToolGroupManager, WindowLevelTool, ZoomTool } from '@cornerstonejs/tools'
import { useEffect, useId, useRef, useState } from 'react'
import { markFirstImage } from '../perf-marks.ts'
import type { InstanceBytesReader } from './cached-image-loader.ts'
import { isCpuFallback, setUpCornerstone } from './cornerstone-setup.ts'
import { ViewportOverlay, type OverlayCorners, type ViewportReadout } from './viewport-overlay.tsx'

export interface StackViewerProps {
  imageIds: readonly string[]
  readInstance: InstanceBytesReader
  /** Text for the top corners (patient, study); the bottom corners show slice and W/L. */
  corners: OverlayCorners
  labels: { loadFailed: string }
  /** Told which image is on screen whenever it changes (for key images). */
  onImageShown?: (imageId: string) => void
  /** Show this image (e.g. a finding's key image); a new object each time it is asked for; ignored when not in the stack. */
  requestedImage?: { imageId: string } | null
}

type RenderPath = 'gpu' | 'cpu'

/** The StackViewport keeps its CPU flag private; reading it is the only way to tell which path rendered. */
function viewportRenderPath(viewport: Types.IStackViewport): RenderPath {
  const flagged = (viewport as unknown as { useCPURendering?: boolean }).useCPURendering
  return flagged === true || isCpuFallback() ? 'cpu' : 'gpu'
}

function readout(viewport: Types.IStackViewport): ViewportReadout {
  const { voiRange } = viewport.getProperties()
  const width = voiRange ? voiRange.upper - voiRange.lower : undefined
  const center = voiRange ? (voiRange.upper + voiRange.lower) / 2 : undefined
  return {
    sliceIndex: viewport.getCurrentImageIdIndex(),
    sliceCount: viewport.getImageIds().length,
    windowWidth: width,
    windowCenter: center,
    zoom: viewport.getZoom(),
  }
}

export function StackViewer({ imageIds, readInstance, corners, labels, onImageShown, requestedImage }: StackViewerProps) {
  const elementRef = useRef<HTMLDivElement>(null)
  const reactId = useId().replace(/[^a-zA-Z0-9]/g, '')
  const [state, setState] = useState<{ readout?: ViewportReadout; renderPath?: RenderPath; error?: string }>({})
  const engineRef = useRef<{ engine: RenderingEngine; viewportId: string } | null>(null)
  // the latest callback, without re-creating the viewport when the parent re-renders
  const imageShown = useRef(onImageShown)
  imageShown.current = onImageShown

  useEffect(() => {
    const element = elementRef.current
    if (!element || imageIds.length === 0) return
    const engineId = `engine-${reactId}`
    const viewportId = `stack-${reactId}`
    const toolGroupId = `tools-${reactId}`
    let engine: RenderingEngine | undefined
    let disposed = false
    let refitted = false

    const onRendered = () => {
      const viewport = engine?.getViewport(viewportId) as Types.IStackViewport | undefined
      if (!viewport) return
      const next = readout(viewport)
      const renderPath = viewportRenderPath(viewport)
      element.dataset.sliceIndex = String(next.sliceIndex)
      element.dataset.renderPath = renderPath
      // a camera fitted while the canvas had no size shows nothing (zoom ≈ 0): fit it again, once
      if (!refitted && viewport.getImageData() && !(viewport.getZoom() > 0.01) && element.clientWidth > 0) {
        refitted = true
        engine?.resize(true, false)
        viewport.resetCamera()
        viewport.render()
        return
      }
      if (viewport.getImageData()) markFirstImage()
      const current = viewport.getCurrentImageId()
      if (current) imageShown.current?.(current)
      setState({ readout: next, renderPath })
    }
    const preventMenu = (event: Event) => event.preventDefault()
    // the canvas follows its element (window resized, report panel opened); an image first laid
    // out while the element had no size has a degenerate camera, so that one is fitted afresh
    let hadSize = element.clientWidth > 0 && element.clientHeight > 0
    const resizeObserver = new ResizeObserver(() => {
      const hasSize = element.clientWidth > 0 && element.clientHeight > 0
      if (!engine || !hasSize) {
        hadSize = hasSize
        return
      }
      engine.resize(true, hadSize)
      if (!hadSize) {
        const viewport = engine.getViewport(viewportId) as Types.IStackViewport | undefined
        viewport?.resetCamera()
        viewport?.render()
      }
      hadSize = true
    })
    resizeObserver.observe(element)

    void (async () => {
      try {
        await setUpCornerstone(readInstance)
        if (disposed) return
        engine = new RenderingEngine(engineId)
        engine.enableElement({ viewportId, element, type: CoreEnums.ViewportType.STACK })
        engineRef.current = { engine, viewportId }
        const toolGroup = ToolGroupManager.createToolGroup(toolGroupId)
        if (!toolGroup) throw new Error(`tool group ${toolGroupId} exists already`)
        for (const tool of [WindowLevelTool, ZoomTool, PanTool, StackScrollTool]) toolGroup.addTool(tool.toolName)
        toolGroup.addViewport(viewportId, engineId)
        toolGroup.setToolActive(WindowLevelTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Primary }] })
        toolGroup.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Secondary }] })
        toolGroup.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Auxiliary }] })
        toolGroup.setToolActive(StackScrollTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Wheel }] })
        element.addEventListener(CoreEnums.Events.IMAGE_RENDERED, onRendered)
        element.addEventListener('contextmenu', preventMenu)
        const viewport = engine.getViewport(viewportId) as Types.IStackViewport
        await viewport.setStack([...imageIds], 0)
        if (disposed) return
        // fit the first image to the element as it is now (its size may have changed while loading)
        engine.resize(true, false)
        viewport.resetCamera()
        viewport.render()
      } catch (error) {
        if (disposed) return
        const reason = error instanceof Error ? error.message : typeof error === 'object' && error && 'error' in error ? String((error as { error: unknown }).error) : String(error)
        element.dataset.renderPath = 'error'
        setState({ error: `${labels.loadFailed}: ${reason}` })
      }
    })()

    return () => {
      disposed = true
      engineRef.current = null
      resizeObserver.disconnect()
      element.removeEventListener(CoreEnums.Events.IMAGE_RENDERED, onRendered)
      element.removeEventListener('contextmenu', preventMenu)
      ToolGroupManager.destroyToolGroup(toolGroupId)
      engine?.destroy()
    }
  }, [imageIds, readInstance, reactId, labels.loadFailed])

  useEffect(() => {
    const handle = engineRef.current
    if (!handle || !requestedImage) return
    const viewport = handle.engine.getViewport(handle.viewportId) as Types.IStackViewport | undefined
    const index = imageIds.indexOf(requestedImage.imageId)
    if (viewport && index !== -1) void viewport.setImageIdIndex(index)
  }, [requestedImage, imageIds])

  return (
    <div className="stack-viewer">
      <div ref={elementRef} className="stack-viewer__element" data-testid="stack-viewport" />
      <ViewportOverlay corners={corners} readout={state.readout} renderPath={state.renderPath} />
      {state.error && (
        <div className="stack-viewer__error" role="alert">
          {state.error}
        </div>
      )}
    </div>
  )
}
