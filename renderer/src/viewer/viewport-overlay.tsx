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
}

export function ViewportOverlay({ corners, readout, renderPath }: { corners: OverlayCorners; readout: ViewportReadout | undefined; renderPath: string | undefined }) {
  return (
    <div className="viewport-overlay" aria-hidden={false}>
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
            <div data-testid="slice-number">
              Im: {readout.sliceIndex + 1} / {readout.sliceCount}
            </div>
            <div>Zoom: {readout.zoom.toFixed(2)}×</div>
          </div>
          <div className="viewport-overlay__corner viewport-overlay__corner--br">
            <div data-testid="window-level">
              W: {readout.windowWidth?.toFixed(0) ?? '—'} L: {readout.windowCenter?.toFixed(0) ?? '—'}
            </div>
            <div>{renderPath === 'gpu' ? 'GPU' : renderPath === 'cpu' ? 'CPU' : ''}</div>
          </div>
        </>
      )}
    </div>
  )
}
