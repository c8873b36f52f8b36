/** A series' middle image drawn small, from the local cache (the image loader never touches the network). */
import { utilities } from '@cornerstonejs/core'
import { useEffect, useRef, useState } from 'react'
import type { InstanceBytesReader } from './cached-image-loader.ts'
import { setUpCornerstone } from './cornerstone-setup.ts'

export function SeriesThumbnail({ imageId, readInstance, size = 96 }: { imageId: string; readInstance: InstanceBytesReader; size?: number }) {
  const canvasRef = useRef<HTMLCanvasElement>(null)
  const [state, setState] = useState<'loading' | 'shown' | 'failed'>('loading')

  useEffect(() => {
    const canvas = canvasRef.current
    if (!canvas) return
    let cancelled = false
    setState('loading')
    void setUpCornerstone(readInstance)
      // CPU rendering: a thumbnail must not take one of the few WebGL contexts the viewports need
      .then(() => utilities.loadImageToCanvas({ canvas, imageId, thumbnail: true, useCPURendering: true }))
      .then(
        () => !cancelled && setState('shown'),
        () => !cancelled && setState('failed'),
      )
    return () => {
      cancelled = true
    }
  }, [imageId, readInstance])

  return <canvas ref={canvasRef} className="series-thumbnail" data-state={state} width={size} height={size} aria-hidden="true" />
}
