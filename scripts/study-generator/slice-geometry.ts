/**
 * Where the slices of a resampled series lie. The new series covers the same extent as the
 * source (first to last slice centre) with `count` evenly spaced slices, so every new slice
 * falls between two real ones and can be interpolated from them; more slices means thinner
 * spacing, as a thin-slice reconstruction of the same scan would have.
 */

export type Vector3 = readonly [number, number, number]

export interface SourceSliceGeometry {
  position: Vector3
  sliceLocation: number | undefined
}

export interface PlannedSlice {
  position: Vector3
  sliceLocation: number | undefined
  /** The source slice at or before this one, in source order. */
  lowerSource: number
  /** How far towards the next source slice, 0 (on `lowerSource`) to 1. */
  fraction: number
}

export interface SlicePlan {
  /** Distance between neighbouring slice centres, mm, rounded to the micrometre so the DS values state it exactly. */
  spacing: number
  slices: PlannedSlice[]
}

// Tolerances for calling a source series evenly spaced along its normal, in mm.
const OFF_AXIS_TOLERANCE = 0.01
const SPACING_TOLERANCE = 0.01

/** The unit normal of the image plane, row direction × column direction. */
export function sliceNormal(orientation: readonly number[]): Vector3 {
  const [rx = 0, ry = 0, rz = 0, cx = 0, cy = 0, cz = 0] = orientation
  if (orientation.length !== 6) throw new Error(`Image Orientation (Patient) needs 6 values, has ${orientation.length}`)
  const normal = [ry * cz - rz * cy, rz * cx - rx * cz, rx * cy - ry * cx] as const
  const length = Math.hypot(...normal)
  if (length < 0.5) throw new Error(`Image Orientation (Patient) ${orientation.join('\\')} does not describe two perpendicular directions`)
  return [normal[0] / length, normal[1] / length, normal[2] / length]
}

function dot(a: Vector3, b: Vector3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

/** Rounds to the micrometre, the precision the DS values are written with. */
function roundToMicrometre(value: number): number {
  return Math.round(value * 1e6) / 1e6
}

/**
 * Plans `count` slices across the extent of `sources` (in their series order). Refuses a
 * source series that is not a stack of parallel, evenly spaced slices along the plane normal
 * (gantry tilt, gaps, overlaps), since interpolating it would put pixels in the wrong place.
 */
export function planSlices(sources: readonly SourceSliceGeometry[], orientation: readonly number[], count: number): SlicePlan {
  if (!Number.isInteger(count) || count < 2) throw new Error(`a series needs at least 2 slices, asked for ${count}`)
  const first = sources[0]
  const last = sources[sources.length - 1]
  if (!first || !last || sources.length < 2) throw new Error(`a source series needs at least 2 slices, has ${sources.length}`)
  const normal = sliceNormal(orientation)
  const distances = sources.map((source) => dot(source.position, normal) - dot(first.position, normal))
  const extent = distances[distances.length - 1] ?? 0
  const sourceSpacing = extent / (sources.length - 1)
  for (const [index, source] of sources.entries()) {
    const distance = distances[index] ?? 0
    if (Math.abs(distance - index * sourceSpacing) > SPACING_TOLERANCE) {
      throw new Error(`source slice ${index + 1} is ${distance.toFixed(3)} mm from the first, not ${(index * sourceSpacing).toFixed(3)}: the source is not evenly spaced`)
    }
    const offAxis = Math.hypot(
      source.position[0] - first.position[0] - distance * normal[0],
      source.position[1] - first.position[1] - distance * normal[1],
      source.position[2] - first.position[2] - distance * normal[2],
    )
    if (offAxis > OFF_AXIS_TOLERANCE) {
      throw new Error(`source slice ${index + 1} is off the line through the first along the plane normal (gantry tilt?)`)
    }
  }
  if (Math.abs(sourceSpacing) < SPACING_TOLERANCE) throw new Error('the source slices all lie at the same position')

  const direction = Math.sign(extent)
  const spacing = roundToMicrometre(Math.abs(extent) / (count - 1))
  const locationDirection = first.sliceLocation !== undefined && last.sliceLocation !== undefined ? Math.sign(last.sliceLocation - first.sliceLocation) || 1 : 0
  const slices: PlannedSlice[] = []
  for (let index = 0; index < count; index++) {
    const offset = direction * index * spacing
    // Position in units of source slices; rounding of the spacing can take the last one a hair past the end.
    const sourcePosition = Math.min(Math.max((index * spacing) / Math.abs(sourceSpacing), 0), sources.length - 1)
    const lowerSource = Math.min(Math.floor(sourcePosition), sources.length - 2)
    slices.push({
      position: [first.position[0] + offset * normal[0], first.position[1] + offset * normal[1], first.position[2] + offset * normal[2]],
      sliceLocation: first.sliceLocation === undefined ? undefined : first.sliceLocation + locationDirection * index * spacing,
      lowerSource,
      fraction: sourcePosition - lowerSource,
    })
  }
  return { spacing, slices }
}
