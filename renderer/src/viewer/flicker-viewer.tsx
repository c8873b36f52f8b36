/**
 * Flicker comparison for screening: the current image and its prior alternate in one
 * viewport at a chosen rate, so that a change between them catches the eye. The reader
 * registers the prior by dragging it (with the left button) until unchanged anatomy
 * stands still; the offset stays for as long as the comparison is open.
 */
import { useEffect, useMemo, useRef, useState } from 'react'
import type { InstanceBytesReader } from './cached-image-loader.ts'
import { StackViewer } from './stack-viewer.tsx'
import type { ViewportHandle } from './viewport-handle.ts'
import type { OverlayCorners } from './viewport-overlay.tsx'

export interface FlickerViewerProps {
  currentImageId: string
  priorImageId: string
  readInstance: InstanceBytesReader
  corners: OverlayCorners
  /** The prior's corner text (its own date), shown while the prior is on screen. */
  priorCorners: OverlayCorners
  /** Alternations per second. */
  rate: number
  onRateChange(rate: number): void
  labels: { loadFailed: string; current: string; prior: string; rate: string; pause: string; play: string; registerHint: string }
  onHandle?(handle: ViewportHandle | null): void
}

export const FLICKER_RATES = [0.5, 1, 2, 3, 4, 6] as const

export function FlickerViewer({ currentImageId, priorImageId, readInstance, corners, priorCorners, rate, onRateChange, labels, onHandle }: FlickerViewerProps) {
  const imageIds = useMemo(() => [currentImageId, priorImageId], [currentImageId, priorImageId])
  const handle = useRef<ViewportHandle | null>(null)
  const [ready, setReady] = useState(false)
  const [showing, setShowing] = useState<'current' | 'prior'>('current')
  const [playing, setPlaying] = useState(true)
  // registration of the prior, in CSS pixels, applied whenever the prior is on screen
  const registration = useRef({ dx: 0, dy: 0 })
  const showingRef = useRef(showing)
  const drag = useRef<{ x: number; y: number } | null>(null)

  const show = (next: 'current' | 'prior') => handle.current?.goToIndex(next === 'prior' ? 1 : 0)

  /**
   * Whatever changed the image (the timer, the wheel, a key), what is on screen decides what
   * the label says, and the prior is drawn shifted by the registration while it is shown.
   */
  const shown = (imageId: string) => {
    const next = imageId === priorImageId ? 'prior' : 'current'
    if (next === showingRef.current) return
    const { dx, dy } = registration.current
    if (dx || dy) handle.current?.shiftView(next === 'prior' ? dx : -dx, next === 'prior' ? dy : -dy)
    showingRef.current = next
    setShowing(next)
  }

  useEffect(() => {
    if (!ready || !playing) return
    const timer = setInterval(() => show(showingRef.current === 'current' ? 'prior' : 'current'), 1000 / rate)
    return () => clearInterval(timer)
  }, [ready, playing, rate])

  return (
    <div className="flicker-viewer" data-testid="flicker-viewer" data-showing={showing} data-playing={String(playing)}>
      <div
        className="flicker-viewer__stage"
        // left drag registers the prior: Cornerstone's tools (listening for mouse events on the viewport) never see it
        onMouseDownCapture={(event) => {
          if (event.button === 0) event.stopPropagation()
        }}
        onPointerDown={(event) => {
          if (event.button !== 0) return
          event.currentTarget.setPointerCapture(event.pointerId)
          drag.current = { x: event.clientX, y: event.clientY }
        }}
        onPointerMove={(event) => {
          if (!drag.current) return
          const dx = event.clientX - drag.current.x
          const dy = event.clientY - drag.current.y
          drag.current = { x: event.clientX, y: event.clientY }
          registration.current = { dx: registration.current.dx + dx, dy: registration.current.dy + dy }
          if (showingRef.current === 'prior') handle.current?.shiftView(dx, dy)
          event.currentTarget.dataset.registration = `${registration.current.dx},${registration.current.dy}`
        }}
        onPointerUp={() => (drag.current = null)}
      >
        <StackViewer
          imageIds={imageIds}
          readInstance={readInstance}
          corners={showing === 'current' ? { topLeft: corners.topLeft, topRight: [...corners.topRight, labels.current] } : { topLeft: priorCorners.topLeft, topRight: [...priorCorners.topRight, labels.prior] }}
          onImageShown={shown}
          labels={labels}
          tool="pan"
          measurements={false}
          testId="flicker-viewport"
          onHandle={(h) => {
            handle.current = h
            showingRef.current = 'current'
            setShowing('current')
            setReady(h !== null)
            onHandle?.(h)
          }}
        />
      </div>
      <div className="flicker-viewer__controls">
        <button type="button" onClick={() => setPlaying(!playing)} aria-pressed={!playing}>
          {playing ? labels.pause : labels.play}
        </button>
        <label>
          {labels.rate}{' '}
          <select aria-label={labels.rate} value={rate} onChange={(event) => onRateChange(Number(event.target.value))}>
            {FLICKER_RATES.map((r) => (
              <option key={r} value={r}>
                {r} Hz
              </option>
            ))}
          </select>
        </label>
        <span className="flicker-viewer__hint">{labels.registerHint}</span>
        <span data-testid="flicker-showing">{showing === 'current' ? labels.current : labels.prior}</span>
      </div>
    </div>
  )
}
