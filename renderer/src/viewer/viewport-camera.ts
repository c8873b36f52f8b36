/** Camera moves the stack viewer needs beyond Cornerstone's own (fit, zoom, pan). */
import type { Types } from '@cornerstonejs/core'

/**
 * Moves the image sideways until its left or right edge touches that edge of the viewport
 * (mammography: the chest wall against the middle of the screen, back to back). Works on the
 * image as displayed, so mirrored and rotated images are aligned by the edge the reader sees.
 */
export function alignImageEdge(viewport: Types.IStackViewport, edge: 'left' | 'right'): void {
  const data = viewport.getImageData()
  const canvas = viewport.canvas
  const indexToWorld = data?.imageData?.indexToWorld
  if (!data || !canvas || !indexToWorld) return
  const [columns, rows] = data.dimensions
  const corners: Types.Point3[] = [
    [0, 0, 0],
    [columns - 1, 0, 0],
    [0, rows - 1, 0],
    [columns - 1, rows - 1, 0],
  ]
  const xs = corners.map((ijk) => viewport.worldToCanvas(indexToWorld.call(data.imageData, ijk) as Types.Point3)[0])
  // canvas coordinates are CSS pixels; half a pixel of the outermost column lies beyond its centre
  const pixelWidth = (Math.max(...xs) - Math.min(...xs)) / Math.max(1, columns - 1)
  const left = Math.min(...xs) - pixelWidth / 2
  const right = Math.max(...xs) + pixelWidth / 2
  const shift = edge === 'left' ? -left : canvas.clientWidth - right
  if (Math.abs(shift) >= 0.5) shiftCamera(viewport, shift, 0)
}

/** Moves the image on screen by (dx, dy) CSS pixels, keeping zoom and orientation. */
export function shiftCamera(viewport: Types.IStackViewport, dx: number, dy: number): void {
  const from = viewport.canvasToWorld([0, 0])
  const to = viewport.canvasToWorld([dx, dy])
  const delta = [to[0] - from[0], to[1] - from[1], to[2] - from[2]] as const
  const camera = viewport.getCamera()
  const focalPoint = camera.focalPoint!
  const position = camera.position!
  // moving the camera one way moves the image the other way
  viewport.setCamera({
    focalPoint: [focalPoint[0] - delta[0], focalPoint[1] - delta[1], focalPoint[2] - delta[2]],
    position: [position[0] - delta[0], position[1] - delta[1], position[2] - delta[2]],
  })
}
