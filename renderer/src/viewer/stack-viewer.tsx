/**
 * One Cornerstone3D StackViewport showing a series (or one image of it) from the local cache.
 * The left mouse button drives the chosen tool (window/level by default, or a measurement);
 * right drag zooms, middle drag pans, the wheel scrolls. Keyboard commands reach it through
 * the handle it gives its parent. Everything it enables is disabled again on unmount.
 */
import { Enums as CoreEnums, metaData, type RenderingEngine, type Types } from '@cornerstonejs/core'
import { Enums as ToolEnums, SynchronizerManager, ToolGroupManager, utilities as toolUtilities } from '@cornerstonejs/tools'
import { useEffect, useId, useRef, useState } from 'react'
import { markFirstImage } from '../perf-marks.ts'
import type { InstanceBytesReader } from './cached-image-loader.ts'
import { isCpuFallback, setUpCornerstone, STACK_TOOLS } from './cornerstone-setup.ts'
import type { LeftButtonTool } from './left-button-tools.ts'
import { deleteSelectedMeasurements } from './measurement-sync.ts'
import { acquireEngine, releaseEngine } from './shared-engine.ts'
import { alignImageEdge, shiftCamera } from './viewport-camera.ts'
import type { ViewportHandle } from './viewport-handle.ts'
import { ViewportOverlay, type OverlayCorners, type ViewportReadout } from './viewport-overlay.tsx'

const [WindowLevel, Zoom, Pan, StackScroll, Length, Angle, Ellipse, Rectangle, Probe] = STACK_TOOLS.map((t) => t.toolName)
const LEFT_TOOL_NAME: Record<LeftButtonTool, string> = {
  'window-level': WindowLevel!,
  pan: Pan!,
  zoom: Zoom!,
  length: Length!,
  angle: Angle!,
  ellipse: Ellipse!,
  rectangle: Rectangle!,
  probe: Probe!,
}
const MEASUREMENT_TOOLS = [Length!, Angle!, Ellipse!, Rectangle!, Probe!]

export interface StackViewerProps {
  imageIds: readonly string[]
  readInstance: InstanceBytesReader
  /** Text for the top corners (patient, study); the bottom corners show image, slice, W/L and zoom. */
  corners: OverlayCorners
  overlayVisible?: boolean
  labels: { loadFailed: string }
  tool?: LeftButtonTool
  /** Mirror left–right (mammography: right-breast views hang back to back with the left). */
  flipHorizontal?: boolean
  /** Pushes the image against this edge of the viewport (mammography: the chest wall). */
  alignEdge?: 'left' | 'right'
  /** Play as a cine loop from the start (multi-frame ultrasound). */
  autoCine?: boolean
  cineFps?: number
  active?: boolean
  onActivate?: () => void
  /** Synchronizers (created by the grid) this viewport joins. */
  synchronizerIds?: readonly string[]
  /** Told which image is on screen whenever it changes (for key images). */
  onImageShown?: (imageId: string) => void
  /** Show this image (e.g. a key image); a new object each time it is asked for; ignored when not in the stack. */
  requestedImage?: { imageId: string } | null
  onHandle?: (handle: ViewportHandle | null) => void
  /** Shows and edits measurements (default); the flicker comparison turns them off, its drag registers the prior. */
  measurements?: boolean
  /** The rendering engine to join (viewports of one grid share one); a viewport alone gets its own. */
  engineId?: string
  testId?: string
}

type RenderPath = 'gpu' | 'cpu'

/** The StackViewport keeps its CPU flag private; reading it is the only way to tell which path rendered. */
function viewportRenderPath(viewport: Types.IStackViewport): RenderPath {
  const flagged = (viewport as unknown as { useCPURendering?: boolean }).useCPURendering
  return flagged === true || isCpuFallback() ? 'cpu' : 'gpu'
}

function readout(viewport: Types.IStackViewport): ViewportReadout {
  const { voiRange, invert } = viewport.getProperties()
  const imageId = viewport.getCurrentImageId()
  const plane = imageId ? (metaData.get('imagePlaneModule', imageId) as { sliceLocation?: number; sliceThickness?: number } | undefined) : undefined
  const image = imageId ? (metaData.get('generalImageModule', imageId) as { instanceNumber?: number } | undefined) : undefined
  const series = imageId ? (metaData.get('generalSeriesModule', imageId) as { seriesNumber?: number } | undefined) : undefined
  // Cornerstone shows MONOCHROME1 by inverting it: only an inversion beyond that is the reader's
  const pixel = imageId ? (metaData.get('imagePixelModule', imageId) as { photometricInterpretation?: string } | undefined) : undefined
  const shownInverted = (invert === true) !== (pixel?.photometricInterpretation === 'MONOCHROME1')
  return {
    sliceIndex: viewport.getCurrentImageIdIndex(),
    sliceCount: viewport.getImageIds().length,
    windowWidth: voiRange ? voiRange.upper - voiRange.lower : undefined,
    windowCenter: voiRange ? (voiRange.upper + voiRange.lower) / 2 : undefined,
    zoom: viewport.getZoom(),
    invert: shownInverted,
    seriesNumber: series?.seriesNumber,
    instanceNumber: image?.instanceNumber,
    sliceLocation: plane?.sliceLocation,
    sliceThickness: plane?.sliceThickness,
  }
}

export function StackViewer(props: StackViewerProps) {
  const { imageIds, readInstance, corners, overlayVisible = true, labels, tool = 'window-level', flipHorizontal = false, alignEdge, cineFps = 15, active = false, synchronizerIds, engineId: sharedEngineId, testId = 'stack-viewport' } = props
  const elementRef = useRef<HTMLDivElement>(null)
  const reactId = useId().replace(/[^a-zA-Z0-9]/g, '')
  const [state, setState] = useState<{ readout?: ViewportReadout; renderPath?: RenderPath; error?: string }>({})
  const [cinePlaying, setCinePlaying] = useState(false)
  // counts the viewports this component laid out: joining synchronizers follows each new one
  const [epoch, setEpoch] = useState(0)
  // the stack's identity: a parent that re-reads the same series must not re-create the viewport
  const imageKey = imageIds.join('|')
  const engineRef = useRef<{ engine: RenderingEngine; viewportId: string; toolGroupId: string } | null>(null)
  // the latest callbacks and presentation, without re-creating the viewport when the parent re-renders
  const latest = useRef(props)
  latest.current = props
  const cine = useRef({ fps: cineFps, playing: false })

  useEffect(() => {
    const element = elementRef.current
    if (!element || imageIds.length === 0) return
    const engineId = sharedEngineId ?? `engine-${reactId}`
    const viewportId = `stack-${reactId}`
    const toolGroupId = `tools-${reactId}`
    let engine: RenderingEngine | undefined
    let disposed = false
    let refitted = false
    let acquired = false
    const getViewport = () => engine?.getViewport(viewportId) as Types.IStackViewport | undefined

    /** The presentation the hanging protocol asked for: fitted, mirrored if asked, pushed to an edge if asked. */
    const present = (viewport: Types.IStackViewport) => {
      viewport.resetCamera()
      if (latest.current.flipHorizontal) viewport.setViewPresentation({ flipHorizontal: true })
      const edge = latest.current.alignEdge
      if (edge) alignImageEdge(viewport, edge)
      element.dataset.flipHorizontal = String(latest.current.flipHorizontal === true)
      viewport.render()
    }

    const onRendered = () => {
      const viewport = getViewport()
      if (!viewport) return
      const next = readout(viewport)
      const renderPath = viewportRenderPath(viewport)
      element.dataset.sliceIndex = String(next.sliceIndex)
      element.dataset.renderPath = renderPath
      element.dataset.invert = String(next.invert)
      const { rotation, flipHorizontal: flipped } = viewport.getViewPresentation()
      element.dataset.rotation = String(Math.round(rotation ?? 0))
      element.dataset.flipHorizontal = String(flipped === true)
      // a camera fitted while the canvas had no size shows nothing (zoom ≈ 0): fit it again, once
      if (!refitted && viewport.getImageData() && !(viewport.getZoom() > 0.01) && element.clientWidth > 0) {
        refitted = true
        engine?.resize(true, true)
        present(viewport)
        return
      }
      if (viewport.getImageData()) markFirstImage()
      const current = viewport.getCurrentImageId()
      if (current) latest.current.onImageShown?.(current)
      setState({ readout: next, renderPath })
    }
    const preventMenu = (event: Event) => event.preventDefault()
    const activate = () => latest.current.onActivate?.()
    // the canvas follows its element (window resized, layout changed); an image first laid out
    // while the element had no size has a degenerate camera, so that one is presented afresh
    let hadSize = element.clientWidth > 0 && element.clientHeight > 0
    const resizeObserver = new ResizeObserver(() => {
      const hasSize = element.clientWidth > 0 && element.clientHeight > 0
      if (!engine || !hasSize) {
        hadSize = hasSize
        return
      }
      const viewport = getViewport()
      // an image the reader has not zoomed or panned stays fitted to its viewport as it changes size
      const pan = viewport?.getPan()
      const untouched = !!viewport && Math.abs(viewport.getZoom() - 1) < 0.01 && !!pan && Math.hypot(pan[0], pan[1]) < 0.01
      engine.resize(true, true)
      if (viewport && (!hadSize || untouched || latest.current.alignEdge)) present(viewport)
      hadSize = true
    })
    resizeObserver.observe(element)

    const stopCine = () => {
      toolUtilities.cine.stopClip(element)
      cine.current.playing = false
      setCinePlaying(false)
    }
    const startCine = () => {
      if (imageIds.length < 2) return
      toolUtilities.cine.playClip(element, { framesPerSecond: cine.current.fps, loop: true })
      cine.current.playing = true
      setCinePlaying(true)
    }

    const handle: ViewportHandle = {
      shiftView: (dx, dy) => {
        const viewport = getViewport()
        if (!viewport) return
        shiftCamera(viewport, dx, dy)
        viewport.render()
      },
      scroll: (delta) => getViewport()?.scroll(delta, false, false),
      goToIndex: (index) => {
        const viewport = getViewport()
        if (viewport && index >= 0 && index < viewport.getImageIds().length && index !== viewport.getCurrentImageIdIndex()) void viewport.setImageIdIndex(index)
      },
      goTo: (position) => {
        const viewport = getViewport()
        if (viewport) void viewport.setImageIdIndex(position === 'first' ? 0 : viewport.getImageIds().length - 1)
      },
      setWindow: (center, width) => {
        const viewport = getViewport()
        if (!viewport) return
        viewport.setProperties({ voiRange: { lower: center - width / 2, upper: center + width / 2 } })
        viewport.render()
      },
      autoWindow: () => {
        const viewport = getViewport()
        if (!viewport) return
        const { invert } = viewport.getProperties()
        viewport.resetProperties()
        if (invert !== undefined) viewport.setProperties({ invert })
        viewport.render()
      },
      invert: () => {
        const viewport = getViewport()
        if (!viewport) return
        viewport.setProperties({ invert: !viewport.getProperties().invert })
        viewport.render()
      },
      rotateRight: () => {
        const viewport = getViewport()
        if (!viewport) return
        viewport.setViewPresentation({ rotation: ((viewport.getViewPresentation().rotation ?? 0) + 90) % 360 })
        viewport.render()
      },
      flipHorizontal: () => {
        const viewport = getViewport()
        if (!viewport) return
        viewport.setViewPresentation({ flipHorizontal: !viewport.getViewPresentation().flipHorizontal })
        viewport.render()
      },
      flipVertical: () => {
        const viewport = getViewport()
        if (!viewport) return
        viewport.setViewPresentation({ flipVertical: !viewport.getViewPresentation().flipVertical })
        viewport.render()
      },
      // fitting keeps the hanging protocol's mirroring and edge (Cornerstone's reset would drop them)
      fit: () => {
        const viewport = getViewport()
        if (viewport) present(viewport)
      },
      reset: () => {
        const viewport = getViewport()
        if (!viewport) return
        viewport.resetProperties()
        viewport.setViewPresentation({ rotation: 0, flipHorizontal: false, flipVertical: false })
        present(viewport)
      },
      toggleCine: () => (cine.current.playing ? stopCine() : startCine()),
      setCineFps: (fps) => {
        cine.current.fps = fps
        if (cine.current.playing) {
          toolUtilities.cine.stopClip(element)
          toolUtilities.cine.playClip(element, { framesPerSecond: fps, loop: true })
        }
      },
      deleteSelectedMeasurements,
      currentImage: () => {
        const viewport = getViewport()
        const imageId = viewport?.getCurrentImageId()
        return viewport && imageId ? { imageId, index: viewport.getCurrentImageIdIndex() } : null
      },
    }

    void (async () => {
      try {
        await setUpCornerstone(readInstance)
        if (disposed) return
        engine = acquireEngine(engineId)
        acquired = true
        engine.enableElement({ viewportId, element, type: CoreEnums.ViewportType.STACK })
        engineRef.current = { engine, viewportId, toolGroupId }
        const toolGroup = ToolGroupManager.createToolGroup(toolGroupId)
        if (!toolGroup) throw new Error(`tool group ${toolGroupId} exists already`)
        for (const tool of STACK_TOOLS) toolGroup.addTool(tool.toolName)
        toolGroup.addViewport(viewportId, engineId)
        toolGroup.setToolActive(LEFT_TOOL_NAME[latest.current.tool ?? 'window-level'], { bindings: [{ mouseButton: ToolEnums.MouseBindings.Primary }] })
        if (latest.current.tool !== 'zoom') toolGroup.setToolActive(Zoom!, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Secondary }] })
        if (latest.current.tool !== 'pan') toolGroup.setToolActive(Pan!, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Auxiliary }] })
        toolGroup.setToolActive(StackScroll!, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Wheel }] })
        // measurements stay visible and editable whichever tool is active (unless this viewport shows none)
        for (const name of MEASUREMENT_TOOLS) {
          if (name === LEFT_TOOL_NAME[latest.current.tool ?? 'window-level']) continue
          if (latest.current.measurements === false) toolGroup.setToolDisabled(name)
          else toolGroup.setToolPassive(name)
        }
        element.addEventListener(CoreEnums.Events.IMAGE_RENDERED, onRendered)
        element.addEventListener('contextmenu', preventMenu)
        element.addEventListener('pointerdown', activate)
        const viewport = engine.getViewport(viewportId) as Types.IStackViewport
        await viewport.setStack([...imageIds], 0)
        if (disposed) return
        // fit the first image to the element as it is now (its size may have changed while loading)
        engine.resize(true, true)
        present(viewport)
        latest.current.onHandle?.(handle)
        setEpoch((n) => n + 1)
        if (latest.current.autoCine) startCine()
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
      latest.current.onHandle?.(null)
      resizeObserver.disconnect()
      toolUtilities.cine.stopClip(element)
      element.removeEventListener(CoreEnums.Events.IMAGE_RENDERED, onRendered)
      element.removeEventListener('contextmenu', preventMenu)
      element.removeEventListener('pointerdown', activate)
      ToolGroupManager.destroyToolGroup(toolGroupId)
      if (acquired) releaseEngine(engineId, viewportId)
    }
    // flip and edge are read when the stack is laid out; a change of them re-creates it
    // imageKey stands for imageIds: the same images in a new array are the same stack
  }, [imageKey, readInstance, reactId, labels.loadFailed, flipHorizontal, alignEdge, sharedEngineId])

  // joins the grid's synchronizers (window, zoom) once each viewport exists, and leaves them when they change
  useEffect(() => {
    const handle = engineRef.current
    if (!handle || epoch === 0 || !synchronizerIds?.length) return
    const member = { renderingEngineId: handle.engine.id, viewportId: handle.viewportId }
    for (const id of synchronizerIds) {
      const synchronizer = SynchronizerManager.getSynchronizer(id)
      synchronizer?.add(member)
      // an image pushed against an edge (mammography) takes the others' zoom but keeps its own pan
      if (latest.current.alignEdge) synchronizer?.setOptions(handle.viewportId, { syncPan: false })
    }
    return () => {
      for (const id of synchronizerIds) SynchronizerManager.getSynchronizer(id)?.remove(member)
    }
  }, [synchronizerIds, epoch])

  // the left button's tool changes without re-creating the viewport
  useEffect(() => {
    const handle = engineRef.current
    const toolGroup = handle && ToolGroupManager.getToolGroup(handle.toolGroupId)
    if (!toolGroup) return
    const wanted = LEFT_TOOL_NAME[tool]
    for (const name of Object.values(LEFT_TOOL_NAME)) {
      if (name === wanted) continue
      if (name === Zoom) toolGroup.setToolActive(Zoom, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Secondary }] })
      else if (name === Pan) toolGroup.setToolActive(Pan, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Auxiliary }] })
      else if (name === WindowLevel || latest.current.measurements === false) toolGroup.setToolDisabled(name)
      else toolGroup.setToolPassive(name)
    }
    const bindings = [{ mouseButton: ToolEnums.MouseBindings.Primary }]
    if (wanted === Zoom) bindings.push({ mouseButton: ToolEnums.MouseBindings.Secondary })
    if (wanted === Pan) bindings.push({ mouseButton: ToolEnums.MouseBindings.Auxiliary })
    toolGroup.setToolActive(wanted, { bindings })
  }, [tool, state.renderPath])

  useEffect(() => {
    cine.current.fps = cineFps
  }, [cineFps])

  useEffect(() => {
    const handle = engineRef.current
    if (!handle || !props.requestedImage) return
    const viewport = handle.engine.getViewport(handle.viewportId) as Types.IStackViewport | undefined
    const index = imageIds.indexOf(props.requestedImage.imageId)
    if (viewport && index !== -1) void viewport.setImageIdIndex(index)
  }, [props.requestedImage, imageIds])

  return (
    <div className={`stack-viewer${active ? ' stack-viewer--active' : ''}`}>
      <div ref={elementRef} className="stack-viewer__element" data-testid={testId} data-active={String(active)} data-cine={String(cinePlaying)} />
      {overlayVisible && <ViewportOverlay corners={corners} readout={state.readout} renderPath={state.renderPath} />}
      {state.error && (
        <div className="stack-viewer__error" role="alert">
          {state.error}
        </div>
      )}
    </div>
  )
}
