/**
 * The viewports of one page of a layout, sharing one rendering engine. When synchronised,
 * scrolling the active viewport moves the others to the slice at the same position (see
 * slice-sync.ts), and window/level and zoom follow through Cornerstone's synchronizers.
 */
import { synchronizers, SynchronizerManager } from '@cornerstonejs/tools'
import { useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef } from 'react'
import type { InstanceBytesReader } from './cached-image-loader.ts'
import type { LeftButtonTool } from './left-button-tools.ts'
import { linkedSliceIndex, linkOffset, type StackGeometry } from './slice-sync.ts'
import { StackViewer } from './stack-viewer.tsx'
import type { ViewportHandle } from './viewport-handle.ts'
import type { OverlayCorners } from './viewport-overlay.tsx'

/** The MIME type a series carries when dragged from the series browser onto a viewport. */
export const SERIES_DRAG_TYPE = 'application/x-workstation-series'

export interface GridCellContent {
  /** Identity of what is shown (series, or one image of it): a new key lays the viewport out afresh. */
  key: string
  imageIds: readonly string[]
  corners: OverlayCorners
  geometry?: StackGeometry
  flipHorizontal?: boolean
  alignEdge?: 'left' | 'right'
  autoCine?: boolean
  /** A badge in the viewport: the view (RCC…) or that it is the prior. */
  label?: string
  role: 'current' | 'prior'
}

export interface ViewportGridProps {
  rows: number
  columns: number
  cells: readonly (GridCellContent | null)[]
  /** Labels of cells the plan wanted but the study lacks (a missing mammography view). */
  emptyLabels?: readonly (string | undefined)[]
  activeCell: number
  onActivate(cell: number): void
  tool: LeftButtonTool
  overlayVisible: boolean
  cineFps: number
  synchronise: { scroll: boolean; voi: boolean; zoom: boolean } | null
  readInstance: InstanceBytesReader
  labels: { loadFailed: string; emptyCell: string }
  onHandle(cell: number, handle: ViewportHandle | null): void
  onImageShown?(cell: number, imageId: string): void
  requestedImage?: { imageId: string } | null
  /** A series was dropped on a cell; `payload` is what the series browser put in the drag. */
  onDropSeries?(cell: number, payload: string): void
}

export function ViewportGrid(props: ViewportGridProps) {
  const { rows, columns, cells, activeCell, synchronise } = props
  const gridId = `grid-${useId().replace(/[^a-zA-Z0-9]/g, '')}`
  const handles = useRef<(ViewportHandle | null)[]>([])
  const shownIndex = useRef<(number | undefined)[]>([])
  const offsets = useRef(new Map<string, number>())
  // the slice each follower was last sent to, to tell our moves from the reader's
  const sentIndex = useRef<(number | undefined)[]>([])
  const latest = useRef(props)
  latest.current = props

  // window and zoom synchronizers live as long as synchronisation is on
  const voiOn = synchronise?.voi === true
  const zoomOn = synchronise?.zoom === true
  const synchronizerIds = useMemo(() => [...(voiOn ? [`${gridId}-voi`] : []), ...(zoomOn ? [`${gridId}-zoom`] : [])], [gridId, voiOn, zoomOn])
  // created and destroyed together, in a layout effect: it runs before the viewports' effects join them
  useLayoutEffect(() => {
    for (const id of synchronizerIds) {
      if (SynchronizerManager.getSynchronizer(id)) continue
      if (id.endsWith('-voi')) synchronizers.createVOISynchronizer(id, { syncInvertState: false, syncColormap: false })
      else synchronizers.createZoomPanSynchronizer(id)
    }
    return () => synchronizerIds.forEach((id) => SynchronizerManager.destroySynchronizer(id))
  }, [synchronizerIds])

  // a change of what is shown or of synchronisation forgets the offsets between stacks
  const cellKeys = cells.map((c) => c?.key ?? '').join('|')
  useEffect(() => offsets.current.clear(), [cellKeys, synchronise?.scroll])

  const onImageShown = useCallback((cell: number, imageId: string) => {
    const { cells: current, synchronise: sync, activeCell: active } = latest.current
    latest.current.onImageShown?.(cell, imageId)
    const content = current[cell]
    const index = content?.imageIds.indexOf(imageId) ?? -1
    if (index < 0 || shownIndex.current[cell] === index) return
    const before = shownIndex.current[cell]
    shownIndex.current[cell] = index
    if (cell !== active) {
      // a follower moved by the reader's own hand (wheel over it): they are lining it up, so its
      // offset to the leader is taken afresh at the leader's next scroll
      if (sentIndex.current[cell] !== index) for (const pair of [...offsets.current.keys()]) if (pair.endsWith(`>${cell}`)) offsets.current.delete(pair)
      return
    }
    // only the viewport the reader drives leads; the ones that follow do not lead back
    if (!sync?.scroll || before === undefined || !content?.geometry) return
    current.forEach((other, target) => {
      if (target === cell || !other?.geometry) return
      const pair = `${cell}>${target}`
      let offset = offsets.current.get(pair)
      if (offset === undefined) {
        offset = linkOffset(content.geometry!, before, other.geometry, shownIndex.current[target] ?? 0)
        offsets.current.set(pair, offset)
      }
      const next = linkedSliceIndex(content.geometry!, index, other.geometry, offset)
      if (next === undefined) return
      sentIndex.current[target] = next
      handles.current[target]?.goToIndex(next)
    })
  }, [])

  return (
    <div className="viewport-grid" data-testid="viewport-grid" style={{ gridTemplateRows: `repeat(${rows}, 1fr)`, gridTemplateColumns: `repeat(${columns}, 1fr)` }}>
      {cells.map((content, cell) => (
        <div
          key={`${cell}:${content?.key ?? 'empty'}`}
          className="viewport-grid__cell"
          data-testid="viewport-cell"
          data-cell={cell}
          data-role={content?.role ?? 'empty'}
          data-label={content?.label ?? props.emptyLabels?.[cell] ?? ''}
          onPointerDown={() => props.onActivate(cell)}
          onDragOver={(event) => {
            if (event.dataTransfer.types.includes(SERIES_DRAG_TYPE)) event.preventDefault()
          }}
          onDrop={(event) => {
            const payload = event.dataTransfer.getData(SERIES_DRAG_TYPE)
            if (!payload) return
            event.preventDefault()
            props.onDropSeries?.(cell, payload)
          }}
        >
          {content ? (
            <StackViewer
              imageIds={content.imageIds}
              readInstance={props.readInstance}
              corners={content.corners}
              overlayVisible={props.overlayVisible}
              labels={props.labels}
              tool={props.tool}
              flipHorizontal={content.flipHorizontal}
              alignEdge={content.alignEdge}
              autoCine={content.autoCine}
              cineFps={props.cineFps}
              active={cell === activeCell}
              onActivate={() => props.onActivate(cell)}
              synchronizerIds={synchronizerIds}
              engineId={gridId}
              onImageShown={(imageId) => onImageShown(cell, imageId)}
              requestedImage={props.requestedImage}
              onHandle={(handle) => {
                handles.current[cell] = handle
                if (!handle) shownIndex.current[cell] = undefined
                props.onHandle(cell, handle)
              }}
            />
          ) : (
            <div className="viewport-grid__empty">{props.labels.emptyCell}</div>
          )}
          {(content?.label ?? props.emptyLabels?.[cell]) && <div className="viewport-grid__label">{content?.label ?? props.emptyLabels?.[cell]}</div>}
        </div>
      ))}
    </div>
  )
}
