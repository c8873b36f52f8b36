/**
 * Synchronised scrolling by slice position: which image of another stack lies where the
 * reader is now. Within one frame of reference positions compare directly; between studies
 * (a prior has its own frame of reference) the offset between the two images on screen when
 * the stacks were linked is kept, so the reader lines them up once and scrolls both.
 */

export type Point3 = readonly [number, number, number]

export interface StackGeometry {
  frameOfReferenceUid?: string
  /** ImagePositionPatient of each image of the stack, in stack order; undefined where unknown. */
  positions: readonly (Point3 | undefined)[]
  /** The slice normal (row × column direction of ImageOrientationPatient). */
  normal?: Point3
}

const dot = (a: Point3, b: Point3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2]

/** The slice normal of an ImageOrientationPatient. */
export function sliceNormal(orientation: readonly number[] | undefined): Point3 | undefined {
  if (!orientation || orientation.length < 6) return undefined
  const [r0, r1, r2, c0, c1, c2] = orientation as [number, number, number, number, number, number]
  const n: Point3 = [r1 * c2 - r2 * c1, r2 * c0 - r0 * c2, r0 * c1 - r1 * c0]
  const length = Math.hypot(...n)
  return length > 0 ? [n[0] / length, n[1] / length, n[2] / length] : undefined
}

/** Whether two stacks are slices of the same orientation (parallel normals), so that scrolling one can follow the other. */
export function canSynchronise(a: StackGeometry, b: StackGeometry): boolean {
  if (!a.normal || !b.normal) return false
  return Math.abs(dot(a.normal, b.normal)) > 0.99 && a.positions.some(Boolean) && b.positions.some(Boolean)
}

/** Position of an image along a normal, or undefined when the image has no geometry. */
function along(geometry: StackGeometry, index: number, normal: Point3): number | undefined {
  const position = geometry.positions[index]
  return position ? dot(position, normal) : undefined
}

/**
 * The offset (mm along the source's normal) to keep between two stacks linked while showing
 * `sourceIndex` and `targetIndex`: none within one frame of reference.
 */
export function linkOffset(source: StackGeometry, sourceIndex: number, target: StackGeometry, targetIndex: number): number {
  if (!source.normal) return 0
  if (source.frameOfReferenceUid && source.frameOfReferenceUid === target.frameOfReferenceUid) return 0
  const s = along(source, sourceIndex, source.normal)
  const t = along(target, targetIndex, source.normal)
  return s === undefined || t === undefined ? 0 : t - s
}

/**
 * The image of `target` nearest to the source's image at `sourceIndex`, shifted by `offset`;
 * undefined when the stacks cannot be synchronised or the nearest slice is more than
 * `tolerance` millimetres away (the prior does not cover this part of the body).
 */
export function linkedSliceIndex(source: StackGeometry, sourceIndex: number, target: StackGeometry, offset: number, tolerance = Infinity): number | undefined {
  if (!canSynchronise(source, target)) return undefined
  const normal = source.normal!
  const wanted = along(source, sourceIndex, normal)
  if (wanted === undefined) return undefined
  let best: { index: number; distance: number } | undefined
  target.positions.forEach((_, index) => {
    const position = along(target, index, normal)
    if (position === undefined) return
    const distance = Math.abs(position - (wanted + offset))
    if (!best || distance < best.distance) best = { index, distance }
  })
  return best && best.distance <= tolerance ? best.index : undefined
}
