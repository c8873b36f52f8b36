/** Orders the images of a series for stack display. */

/**
 * The position of a slice along its normal (row × column direction cosines), so that a
 * stack scrolls through space in order even when instance numbers do not follow it.
 * Returns undefined when the geometry is missing or degenerate.
 */
export function slicePositionAlongNormal(orientation: readonly number[] | undefined, position: readonly number[] | undefined): number | undefined {
  if (!orientation || orientation.length !== 6 || !position || position.length !== 3) return undefined
  const [rx, ry, rz, cx, cy, cz] = orientation as [number, number, number, number, number, number]
  const nx = ry * cz - rz * cy
  const ny = rz * cx - rx * cz
  const nz = rx * cy - ry * cx
  if (Math.hypot(nx, ny, nz) < 1e-6) return undefined
  const [px, py, pz] = position as [number, number, number]
  return px * nx + py * ny + pz * nz
}

export interface SortableInstance {
  instanceNumber: number
  sortKey: number
  sopInstanceUid: string
}

/** Sorts by position (or instance number), then instance number, then UID for a stable order. */
export function compareInstances(a: SortableInstance, b: SortableInstance): number {
  return a.sortKey - b.sortKey || a.instanceNumber - b.instanceNumber || (a.sopInstanceUid < b.sopInstanceUid ? -1 : a.sopInstanceUid > b.sopInstanceUid ? 1 : 0)
}
