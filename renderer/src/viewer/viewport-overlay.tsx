/** The text in the four corners of a viewport: who and what in the top corners, where and how at the bottom. */

export interface OverlayCorners {
  topLeft: readonly string[]
  topRight: readonly string[]
}

export interface ViewportReadout {
  sliceIndex: number
  sliceCount: number
  windowWidth: number | undefined
  windowCenter: number | undefined
  zoom: number
  invert?: boolean
  seriesNumber?: number
  instanceNumber?: number
  sliceLocation?: number
  sliceThickness?: number
}

const mm = (value: number | undefined) => (value === undefined || !Number.isFinite(value) ? undefined : `${Number(value.toFixed(2))} mm`)

export function ViewportOverlay({ corners, readout, renderPath }: { corners: OverlayCorners; readout: ViewportReadout | undefined; renderPath: string | undefined }) {
  const location = mm(readout?.sliceLocation)
  const thickness = mm(readout?.sliceThickness)
  return (
    <div className="viewport-overlay" data-testid="viewport-overlay">
      <div className="viewport-overlay__corner viewport-overlay__corner--tl">
        {corners.topLeft.map((line, i) => (
          <div key={i}>{line}</div>
        ))}
      </div>
      <div className="viewport-overlay__corner viewport-overlay__corner--tr">
        {corners.topRight.map((line, i) => (
          <div key={i}>{line}</div>
        ))}
      </div>
      {readout && (
        <>
          <div className="viewport-overlay__corner viewport-overlay__corner--bl">
            {readout.seriesNumber !== undefined && (
              <div>
                Se: {readout.seriesNumber}
                {readout.instanceNumber !== undefined ? ` In: ${readout.instanceNumber}` : ''}
              </div>
            )}
            <div data-testid="slice-number">
              Im: {readout.sliceIndex + 1} / {readout.sliceCount}
            </div>
            {(location || thickness) && (
              <div>
                {location ? `Loc: ${location}` : ''}
                {location && thickness ? ' ' : ''}
                {thickness ? `Th: ${thickness}` : ''}
              </div>
            )}
            <div>Zoom: {readout.zoom.toFixed(2)}×</div>
          </div>
          <div className="viewport-overlay__corner viewport-overlay__corner--br">
            <div data-testid="window-level">
              W: {readout.windowWidth?.toFixed(0) ?? '—'} L: {readout.windowCenter?.toFixed(0) ?? '—'}
              {readout.invert ? ' INV' : ''}
            </div>
            <div>{renderPath === 'gpu' ? 'GPU' : renderPath === 'cpu' ? 'CPU' : ''}</div>
          </div>
        </>
      )}
    </div>
  )
}
