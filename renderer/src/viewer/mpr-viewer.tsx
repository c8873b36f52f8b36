/**
 * MPR of a CT/MR series from the local cache: axial, sagittal and coronal planes of one
 * streaming volume, with crosshairs (drag a line to move its plane), a slab thickness and
 * a MIP switch. The mouse reads as in the stack viewer: left drag window/level, right drag
 * zoom, middle drag pan, wheel through the slices. A series that is not a volume is refused
 * with the reason, and no canvas is made. Everything is released on unmount.
 */
import { Enums as CoreEnums, eventTarget, RenderingEngine, setVolumesForViewports, type Types } from '@cornerstonejs/core'
import { addTool, CrosshairsTool, Enums as ToolEnums, PanTool, StackScrollTool, ToolGroupManager, WindowLevelTool, ZoomTool } from '@cornerstonejs/tools'
import { useEffect, useId, useMemo, useRef, useState, type CSSProperties } from 'react'
import type { SeriesWithInstances } from '../repositories/study-repository.ts'
import type { InstanceBytesReader } from './cached-image-loader.ts'
import { isCpuFallback, setUpCornerstone } from './cornerstone-setup.ts'
import { createSeriesVolume, removeSeriesVolume } from './mpr-volume.ts'
import { checkVolume, type VolumeRefusal } from './volume-check.ts'

export const MPR_PLANES = ['axial', 'sagittal', 'coronal'] as const
export type MprPlane = (typeof MPR_PLANES)[number]

export interface MprLabels {
  planes: Record<MprPlane, string>
  /** Label of the slab thickness input, in mm. */
  slabThickness: string
  mip: string
  /** Shown with "done / total" while the volume loads. */
  loading: string
  loadFailed: string
  /** Heading of the refusal: MPR is not available for this series. */
  refused: string
  reasons: Record<VolumeRefusal, string>
  /** How to read with the mouse, under the planes. */
  hint: string
}

export interface MprViewerProps {
  series: SeriesWithInstances
  readInstance: InstanceBytesReader
  labels: MprLabels
}

const ORIENTATION: Record<MprPlane, CoreEnums.OrientationAxis> = {
  axial: CoreEnums.OrientationAxis.AXIAL,
  sagittal: CoreEnums.OrientationAxis.SAGITTAL,
  coronal: CoreEnums.OrientationAxis.CORONAL,
}

/** Colours of each plane's crosshair line (as drawn in the other two planes), also marking its viewport. */
const PLANE_COLOUR: Record<MprPlane, string> = { axial: 'rgb(230, 80, 80)', sagittal: 'rgb(230, 200, 60)', coronal: 'rgb(80, 200, 110)' }

/** Thickest slab offered, mm (a whole head). */
const MAX_SLAB_MM = 300

type RenderPath = 'gpu' | 'cpu' | 'error'
type LoadState = { phase: 'loading'; done: number; total: number } | { phase: 'ready' } | { phase: 'error'; message: string }

/** Thin slices show the voxels as they are; a thicker slab averages, unless MIP is asked for. */
function blendModeFor(slabMm: number, mip: boolean): CoreEnums.BlendModes {
  if (mip) return CoreEnums.BlendModes.MAXIMUM_INTENSITY_BLEND
  return slabMm > 0 ? CoreEnums.BlendModes.AVERAGE_INTENSITY_BLEND : CoreEnums.BlendModes.COMPOSITE
}

function viewportRenderPath(viewport: Types.IViewport): RenderPath {
  const flagged = (viewport as unknown as { useCPURendering?: boolean }).useCPURendering
  return flagged === true || isCpuFallback() ? 'cpu' : 'gpu'
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message
  if (typeof error === 'object' && error && 'error' in error) return String((error as { error: unknown }).error)
  return String(error)
}

export function MprViewer({ series, readInstance, labels }: MprViewerProps) {
  const check = useMemo(() => checkVolume(series.instances), [series.instances])
  if (!check.ok) {
    return (
      <div className="mpr-viewer mpr-viewer--refused" role="alert" data-testid="mpr-refused" data-reason={check.reason} style={styles.refused}>
        <strong>{labels.refused}</strong>
        <p style={styles.paragraph}>{labels.reasons[check.reason]}</p>
        <p style={styles.detail} lang="en">
          {check.detail}
        </p>
      </div>
    )
  }
  return <MprPlanes series={series} readInstance={readInstance} labels={labels} />
}

function MprPlanes({ series, readInstance, labels }: MprViewerProps) {
  const reactId = useId().replace(/[^a-zA-Z0-9]/g, '')
  const elements = useRef<Partial<Record<MprPlane, HTMLDivElement | null>>>({})
  const engineRef = useRef<RenderingEngine | null>(null)
  const [load, setLoad] = useState<LoadState>({ phase: 'loading', done: 0, total: series.instances.length })
  const [renderPaths, setRenderPaths] = useState<Partial<Record<MprPlane, RenderPath>>>({})
  const [slabMm, setSlabMm] = useState(0)
  const [mip, setMip] = useState(false)
  const { loadFailed } = labels

  useEffect(() => {
    const planeElements = MPR_PLANES.map((plane) => ({ plane, element: elements.current[plane] }))
    if (planeElements.some((p) => !p.element)) return
    const abort = new AbortController()
    const engineId = `mpr-engine-${reactId}`
    const toolGroupId = `mpr-tools-${reactId}`
    const viewportId = (plane: MprPlane) => `mpr-${plane}-${reactId}`
    let engine: RenderingEngine | undefined
    let volumeId: string | undefined
    let crosshairsOn = false
    setLoad({ phase: 'loading', done: 0, total: series.instances.length })
    setRenderPaths({})

    const onRendered = (event: Event) => {
      const element = event.currentTarget as HTMLDivElement
      const plane = element.dataset.orientation as MprPlane
      const viewport = engine?.getViewport(viewportId(plane))
      if (!viewport) return
      const path = viewportRenderPath(viewport)
      element.dataset.renderPath = path
      setRenderPaths((previous) => (previous[plane] === path ? previous : { ...previous, [plane]: path }))
    }
    const onVolumeModified = (event: Event) => {
      const detail = (event as CustomEvent<{ volumeId: string; framesProcessed: number; numberOfFrames: number }>).detail
      if (detail.volumeId !== volumeId) return
      setLoad((previous) => (previous.phase === 'loading' ? { phase: 'loading', done: detail.framesProcessed, total: detail.numberOfFrames } : previous))
    }
    const preventMenu = (event: Event) => event.preventDefault()
    // the canvases follow their elements; planes first laid out while the elements had no size
    // have degenerate cameras, so those are fitted afresh once there is room
    const hasSize = () => planeElements.every(({ element }) => element!.clientWidth > 0 && element!.clientHeight > 0)
    let hadSize = hasSize()
    const resizeObserver = new ResizeObserver(() => {
      const sized = hasSize()
      if (!engine || !sized) {
        hadSize = sized
        return
      }
      engine.resize(true, hadSize)
      if (!hadSize) for (const viewport of engine.getViewports()) viewport.resetCamera()
      engine.render()
      hadSize = true
    })
    for (const { element } of planeElements) {
      element!.addEventListener(CoreEnums.Events.IMAGE_RENDERED, onRendered)
      element!.addEventListener('contextmenu', preventMenu)
      resizeObserver.observe(element!)
    }
    eventTarget.addEventListener(CoreEnums.Events.IMAGE_VOLUME_MODIFIED, onVolumeModified)

    void (async () => {
      try {
        await setUpCornerstone(readInstance)
        // the stack viewer's tools are added by the setup; crosshairs are MPR's own
        addTool(CrosshairsTool)
        const volume = await createSeriesVolume(series.instances, abort.signal)
        volumeId = volume.volumeId
        if (abort.signal.aborted) return removeSeriesVolume(volume.volumeId)

        engine = new RenderingEngine(engineId)
        engineRef.current = engine
        engine.setViewports(
          planeElements.map(({ plane, element }) => ({
            viewportId: viewportId(plane),
            type: CoreEnums.ViewportType.ORTHOGRAPHIC,
            element: element!,
            defaultOptions: { orientation: ORIENTATION[plane], background: [0, 0, 0] as Types.Point3 },
          })),
        )
        const toolGroup = ToolGroupManager.createToolGroup(toolGroupId)
        if (!toolGroup) throw new Error(`tool group ${toolGroupId} exists already`)
        for (const tool of [WindowLevelTool, ZoomTool, PanTool, StackScrollTool]) toolGroup.addTool(tool.toolName)
        toolGroup.addTool(CrosshairsTool.toolName, {
          getReferenceLineColor: (id: string) => PLANE_COLOUR[MPR_PLANES.find((p) => viewportId(p) === id) ?? 'axial'],
          // the slab is set for all three planes at once by the control above them
          getReferenceLineSlabThicknessControlsOn: () => false,
        })
        for (const { plane } of planeElements) toolGroup.addViewport(viewportId(plane), engineId)
        toolGroup.setToolActive(WindowLevelTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Primary }] })
        toolGroup.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Secondary }] })
        toolGroup.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Auxiliary }] })
        toolGroup.setToolActive(StackScrollTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Wheel }] })

        await new Promise<void>((resolve, reject) => {
          let failed = 0
          const onError = (event: Event) => {
            const imageId = (event as CustomEvent<{ imageId?: string }>).detail.imageId
            if (imageId && volume.imageIds.includes(imageId)) failed++
          }
          eventTarget.addEventListener(CoreEnums.Events.IMAGE_LOAD_ERROR, onError)
          // removing the volume cancels its loading, and then the callback below never comes
          abort.signal.addEventListener('abort', () => {
            eventTarget.removeEventListener(CoreEnums.Events.IMAGE_LOAD_ERROR, onError)
            reject(abort.signal.reason)
          })
          volume.load(() => {
            eventTarget.removeEventListener(CoreEnums.Events.IMAGE_LOAD_ERROR, onError)
            if (failed > 0) reject(new Error(`${failed} of ${volume.imageIds.length} slices could not be decoded`))
            else resolve()
          })
          void setVolumesForViewports(
            engine!,
            [{ volumeId: volume.volumeId }],
            planeElements.map(({ plane }) => viewportId(plane)),
          ).catch(reject)
        })
        if (abort.signal.aborted) return
        // the lines need every plane's camera, which exists once the volume is in the viewports
        toolGroup.setToolPassive(CrosshairsTool.toolName)
        crosshairsOn = true
        // fit the planes to the elements as they are now (their size may have changed while loading)
        engine.resize(true, false)
        for (const viewport of engine.getViewports()) viewport.resetCamera()
        engine.render()
        hadSize = hasSize()
        setLoad({ phase: 'ready' })
      } catch (error) {
        if (abort.signal.aborted) return
        for (const { element } of planeElements) element!.dataset.renderPath = 'error'
        setRenderPaths({ axial: 'error', sagittal: 'error', coronal: 'error' })
        setLoad({ phase: 'error', message: `${loadFailed}: ${describeError(error)}` })
      }
    })()

    return () => {
      abort.abort()
      engineRef.current = null
      resizeObserver.disconnect()
      eventTarget.removeEventListener(CoreEnums.Events.IMAGE_VOLUME_MODIFIED, onVolumeModified)
      for (const { element } of planeElements) {
        element!.removeEventListener(CoreEnums.Events.IMAGE_RENDERED, onRendered)
        element!.removeEventListener('contextmenu', preventMenu)
      }
      // crosshairs keep annotations and listeners of their own: disabling the tool removes them
      if (crosshairsOn) ToolGroupManager.getToolGroup(toolGroupId)?.setToolDisabled(CrosshairsTool.toolName)
      ToolGroupManager.destroyToolGroup(toolGroupId)
      engine?.destroy()
      if (volumeId) removeSeriesVolume(volumeId)
    }
  }, [series.instances, readInstance, reactId, loadFailed])

  const ready = load.phase === 'ready'
  useEffect(() => {
    const engine = engineRef.current
    if (!engine || !ready) return
    const blendMode = blendModeFor(slabMm, mip)
    for (const viewport of engine.getViewports()) {
      const volumeViewport = viewport as Types.IVolumeViewport
      volumeViewport.setBlendMode(blendMode)
      // 0 asks for the thinnest slab Cornerstone has (one voxel)
      volumeViewport.setSlabThickness(slabMm)
      volumeViewport.render()
    }
  }, [slabMm, mip, ready])

  return (
    <div className="mpr-viewer" data-testid="mpr-viewer" data-state={load.phase} data-slab-thickness={slabMm} data-mip={mip} style={styles.root}>
      <div className="mpr-viewer__controls" style={styles.controls}>
        <label>
          {labels.slabThickness}{' '}
          <input
            type="number"
            min={0}
            max={MAX_SLAB_MM}
            step={1}
            value={slabMm}
            disabled={!ready}
            onChange={(event) => {
              const value = Number(event.target.value)
              if (Number.isFinite(value)) setSlabMm(Math.min(MAX_SLAB_MM, Math.max(0, value)))
            }}
            style={styles.number}
          />
        </label>
        <label>
          <input type="checkbox" checked={mip} disabled={!ready} onChange={(event) => setMip(event.target.checked)} /> {labels.mip}
        </label>
        {load.phase === 'loading' && (
          <span role="status">
            {labels.loading} {load.done} / {load.total}
          </span>
        )}
      </div>
      {load.phase === 'error' && (
        <div className="mpr-viewer__error" role="alert" data-testid="mpr-error">
          {load.message}
        </div>
      )}
      <div className="mpr-viewer__planes" style={styles.planes}>
        {MPR_PLANES.map((plane) => (
          <div key={plane} className="mpr-viewer__plane" style={{ ...styles.plane, borderColor: PLANE_COLOUR[plane] }}>
            <div
              ref={(element) => {
                elements.current[plane] = element
              }}
              className="mpr-viewer__element"
              data-testid="mpr-viewport"
              data-orientation={plane}
              style={styles.element}
            />
            <div className="mpr-viewer__label" style={styles.label}>
              {labels.planes[plane]}
              {renderPaths[plane] === 'gpu' ? ' · GPU' : renderPaths[plane] === 'cpu' ? ' · CPU' : ''}
            </div>
          </div>
        ))}
      </div>
      <p className="mpr-viewer__hint" style={styles.hint}>
        {labels.hint}
      </p>
    </div>
  )
}

/** Layout the planes need to have a size at all (set through the DOM, so the CSP's style-src allows it). */
const styles = {
  root: { position: 'relative', flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' },
  controls: { display: 'flex', alignItems: 'center', gap: 16, padding: '4px 12px' },
  number: { width: 64 },
  planes: { flex: 1, minHeight: 0, display: 'grid', gridTemplateColumns: 'repeat(3, minmax(0, 1fr))', gap: 2, background: '#000' },
  plane: { position: 'relative', minHeight: 0, borderTop: '2px solid' },
  element: { position: 'absolute', inset: 0 },
  label: { position: 'absolute', top: 4, left: 8, pointerEvents: 'none', fontSize: 13, color: '#e8e8e8', textShadow: '0 0 2px #000' },
  hint: { margin: 0, padding: '4px 12px', fontSize: 12, opacity: 0.7 },
  // a box around the words, not stretched over the whole image area by a flex parent
  refused: { alignSelf: 'flex-start', height: 'fit-content', maxWidth: 640, margin: 12, padding: 12, border: '1px solid var(--urgent, currentColor)', borderRadius: 4 },
  paragraph: { margin: '6px 0 0' },
  detail: { margin: '6px 0 0', fontSize: 12, opacity: 0.8 },
} satisfies Record<string, CSSProperties>
