/**
 * Whether a series can be shown as a volume (MPR): one orientation, one image size, slices
 * stacked straight along their normal at an even spacing. A series that is not is refused
 * with a reason code (translated by the UI) and an English sentence with the numbers, never
 * reconstructed into a distorted volume.
 */
import type { CachedInstance } from '../cache/workstation-db.ts'
import type { ImageAttributes } from '../repositories/image-attributes.ts'

export type VolumeRefusal =
  | 'too-few-slices'
  | 'no-geometry'
  | 'multi-frame'
  | 'mixed-size'
  | 'mixed-orientation'
  | 'gantry-tilt'
  | 'uneven-spacing'
  | 'not-cross-sectional'

export type VolumeCheck = { ok: true; sliceSpacing: number } | { ok: false; reason: VolumeRefusal; detail: string }

export const VOLUME_REFUSALS: readonly VolumeRefusal[] = [
  'too-few-slices',
  'no-geometry',
  'multi-frame',
  'mixed-size',
  'mixed-orientation',
  'gantry-tilt',
  'uneven-spacing',
  'not-cross-sectional',
]

export const MIN_VOLUME_SLICES = 3
/** Largest angle between two slices' row (or column) directions still taken as one orientation. */
export const ORIENTATION_TOLERANCE_DEG = 0.5
/** Largest sideways step of a slice, as an angle off the normal, still taken as a straight stack. */
export const SHEAR_TOLERANCE_DEG = 0.5
/** Gantry tilts smaller than this are rounding, not tilt. */
export const GANTRY_TILT_TOLERANCE_DEG = 0.01
/** Slice gaps may differ from the mean by this share of it, or by SPACING_TOLERANCE_MM, whichever is larger. */
export const SPACING_TOLERANCE_FRACTION = 0.01
/** Positions are written with a few decimals: rounding alone makes gaps differ by up to about 0.01 mm. */
export const SPACING_TOLERANCE_MM = 0.015

/** SOP classes whose images are slices of a volume (CT, MR, PET, NM and their enhanced forms, CBCT). */
const CROSS_SECTIONAL_SOP_CLASSES = new Set([
  '1.2.840.10008.5.1.4.1.1.2', // CT Image
  '1.2.840.10008.5.1.4.1.1.2.1', // Enhanced CT Image
  '1.2.840.10008.5.1.4.1.1.2.2', // Legacy Converted Enhanced CT Image
  '1.2.840.10008.5.1.4.1.1.4', // MR Image
  '1.2.840.10008.5.1.4.1.1.4.1', // Enhanced MR Image
  '1.2.840.10008.5.1.4.1.1.4.4', // Legacy Converted Enhanced MR Image
  '1.2.840.10008.5.1.4.1.1.128', // Positron Emission Tomography Image
  '1.2.840.10008.5.1.4.1.1.128.1', // Legacy Converted Enhanced PET Image
  '1.2.840.10008.5.1.4.1.1.130', // Enhanced PET Image
  '1.2.840.10008.5.1.4.1.1.20', // Nuclear Medicine Image
  '1.2.840.10008.5.1.4.1.1.13.1.1', // X-Ray 3D Angiographic Image
  '1.2.840.10008.5.1.4.1.1.13.1.2', // X-Ray 3D Craniofacial Image
])

/** What the check reads of an instance (a CachedInstance has all of it). */
export type VolumeCheckInstance = Pick<CachedInstance, 'sopInstanceUid' | 'sopClassUid' | 'instanceNumber' | 'numberOfFrames'> & {
  attributes?: ImageAttributes
}

type Vec3 = readonly [number, number, number]

interface Slice {
  instanceNumber: number
  rows: number
  columns: number
  pixelSpacing: readonly [number, number]
  row: Vec3
  column: Vec3
  position: Vec3
  gantryTilt: number
  frameOfReferenceUid: string | undefined
}

const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]
const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
const norm = (a: Vec3) => Math.hypot(a[0], a[1], a[2])
const scale = (a: Vec3, s: number): Vec3 => [a[0] * s, a[1] * s, a[2] * s]
const degrees = (radians: number) => (radians * 180) / Math.PI
/** Angle between two directions in degrees (robust near 0°, unlike acos). */
const angleBetween = (a: Vec3, b: Vec3) => degrees(Math.atan2(norm(cross(a, b)), dot(a, b)))

/** Numbers for a sentence: no float noise, at most `digits` decimals. */
function num(value: number, digits = 2): string {
  return String(Number(value.toFixed(digits)))
}

function refuse(reason: VolumeRefusal, detail: string): VolumeCheck {
  return { ok: false, reason, detail }
}

/** Unit row and column directions, or undefined when they are missing, not unit length or not perpendicular. */
function directions(orientation: ImageAttributes['imageOrientationPatient']): { row: Vec3; column: Vec3 } | undefined {
  if (!orientation || orientation.length !== 6 || !orientation.every(Number.isFinite)) return undefined
  const row: Vec3 = [orientation[0], orientation[1], orientation[2]]
  const column: Vec3 = [orientation[3], orientation[4], orientation[5]]
  const rowLength = norm(row)
  const columnLength = norm(column)
  if (Math.abs(rowLength - 1) > 0.01 || Math.abs(columnLength - 1) > 0.01) return undefined
  if (Math.abs(dot(row, column)) / (rowLength * columnLength) > 0.01) return undefined
  return { row: scale(row, 1 / rowLength), column: scale(column, 1 / columnLength) }
}

function sliceOf(instance: VolumeCheckInstance): Slice | undefined {
  const a = instance.attributes
  if (!a) return undefined
  const dirs = directions(a.imageOrientationPatient)
  const position = a.imagePositionPatient
  const spacing = a.pixelSpacing
  if (!dirs || !position || !position.every(Number.isFinite) || !spacing || !spacing.every((s) => Number.isFinite(s) && s > 0)) return undefined
  if (!(a.rows > 0 && a.columns > 0)) return undefined
  return {
    instanceNumber: instance.instanceNumber,
    rows: a.rows,
    columns: a.columns,
    pixelSpacing: spacing,
    row: dirs.row,
    column: dirs.column,
    position,
    gantryTilt: a.gantryTilt ?? 0,
    frameOfReferenceUid: a.frameOfReferenceUid || undefined,
  }
}

/** Checks, from the cached attributes alone, that the instances form one undistorted volume. */
export function checkVolume(instances: readonly VolumeCheckInstance[]): VolumeCheck {
  const foreign = instances.find((i) => i.sopClassUid !== '' && !CROSS_SECTIONAL_SOP_CLASSES.has(i.sopClassUid))
  if (foreign) return refuse('not-cross-sectional', `Image ${foreign.instanceNumber} is of SOP class ${foreign.sopClassUid}, which is not a cross-sectional (CT, MR, PET, NM) image.`)

  const multiFrame = instances.find((i) => i.numberOfFrames > 1)
  if (multiFrame) return refuse('multi-frame', `Image ${multiFrame.instanceNumber} holds ${multiFrame.numberOfFrames} frames; multi-frame images cannot be shown as a volume.`)

  if (instances.length < MIN_VOLUME_SLICES) {
    return refuse('too-few-slices', `The series has ${instances.length} ${instances.length === 1 ? 'image' : 'images'}; a volume needs at least ${MIN_VOLUME_SLICES} slices.`)
  }

  const slices: Slice[] = []
  const lacking: number[] = []
  for (const instance of instances) {
    const slice = sliceOf(instance)
    if (slice) slices.push(slice)
    else lacking.push(instance.instanceNumber)
  }
  if (lacking.length > 0) {
    const unknown = instances.filter((i) => !i.attributes).length
    const why = unknown === lacking.length ? 'have no indexed attributes (indexed by an older version)' : 'lack a usable position, orientation, pixel spacing or size'
    return refuse('no-geometry', `${lacking.length} of ${instances.length} images ${why}, e.g. image ${lacking[0]}.`)
  }

  const first = slices[0]!
  const otherSize = slices.find((s) => s.rows !== first.rows || s.columns !== first.columns)
  if (otherSize) {
    return refuse('mixed-size', `Image ${first.instanceNumber} is ${first.columns}×${first.rows} pixels but image ${otherSize.instanceNumber} is ${otherSize.columns}×${otherSize.rows}.`)
  }

  const otherSpacing = slices.find((s) => s.pixelSpacing.some((v, i) => Math.abs(v - first.pixelSpacing[i]!) > 1e-4 * Math.max(1, v)))
  if (otherSpacing) {
    return refuse(
      'mixed-size',
      `Image ${first.instanceNumber} has pixels of ${first.pixelSpacing.map((v) => num(v, 4)).join('×')} mm but image ${otherSpacing.instanceNumber} has ${otherSpacing.pixelSpacing.map((v) => num(v, 4)).join('×')} mm.`,
    )
  }

  const otherFrame = slices.find((s) => s.frameOfReferenceUid !== first.frameOfReferenceUid)
  if (otherFrame) {
    return refuse('mixed-orientation', `Images ${first.instanceNumber} and ${otherFrame.instanceNumber} belong to different frames of reference, so their positions cannot be compared.`)
  }

  let worst = { angle: 0, slice: first }
  for (const slice of slices) {
    const angle = Math.max(angleBetween(slice.row, first.row), angleBetween(slice.column, first.column))
    if (angle > worst.angle) worst = { angle, slice }
  }
  if (worst.angle > ORIENTATION_TOLERANCE_DEG) {
    return refuse(
      'mixed-orientation',
      `Image ${worst.slice.instanceNumber} is turned ${num(worst.angle, 1)}° from image ${first.instanceNumber} (at most ${ORIENTATION_TOLERANCE_DEG}° is one orientation).`,
    )
  }

  const tilted = slices.find((s) => Math.abs(s.gantryTilt) > GANTRY_TILT_TOLERANCE_DEG)
  if (tilted) return refuse('gantry-tilt', `Image ${tilted.instanceNumber} was acquired with a gantry tilt of ${num(tilted.gantryTilt)}°.`)

  const normal = cross(first.row, first.column)
  const ordered = slices.map((slice) => ({ slice, along: dot(slice.position, normal) })).sort((a, b) => a.along - b.along)

  const gaps: { from: Slice; to: Slice; along: number; sideways: number }[] = []
  for (let i = 1; i < ordered.length; i++) {
    const a = ordered[i - 1]!
    const b = ordered[i]!
    const step = sub(b.slice.position, a.slice.position)
    const along = b.along - a.along
    gaps.push({ from: a.slice, to: b.slice, along, sideways: norm(sub(step, scale(normal, along))) })
  }

  const coincident = gaps.find((g) => g.along < SPACING_TOLERANCE_MM)
  if (coincident) {
    return refuse('uneven-spacing', `Images ${coincident.from.instanceNumber} and ${coincident.to.instanceNumber} lie at the same position along the slice normal (${num(coincident.along, 3)} mm apart).`)
  }

  const sheared = gaps.reduce((w, g) => (Math.atan2(g.sideways, g.along) > Math.atan2(w.sideways, w.along) ? g : w))
  const shear = degrees(Math.atan2(sheared.sideways, sheared.along))
  if (shear > SHEAR_TOLERANCE_DEG) {
    return refuse(
      'gantry-tilt',
      `From image ${sheared.from.instanceNumber} to image ${sheared.to.instanceNumber} the slice moves ${num(sheared.sideways)} mm sideways for ${num(sheared.along)} mm along the normal: the stack is sheared by ${num(shear, 1)}°, as after a gantry tilt.`,
    )
  }

  const sliceSpacing = (ordered[ordered.length - 1]!.along - ordered[0]!.along) / (ordered.length - 1)
  const tolerance = Math.max(sliceSpacing * SPACING_TOLERANCE_FRACTION, SPACING_TOLERANCE_MM)
  const uneven = gaps.reduce((w, g) => (Math.abs(g.along - sliceSpacing) > Math.abs(w.along - sliceSpacing) ? g : w))
  if (Math.abs(uneven.along - sliceSpacing) > tolerance) {
    const smallest = Math.min(...gaps.map((g) => g.along))
    const largest = Math.max(...gaps.map((g) => g.along))
    return refuse(
      'uneven-spacing',
      `Slice gaps range from ${num(smallest)} mm to ${num(largest)} mm (mean ${num(sliceSpacing)} mm, tolerance ±${num(tolerance, 3)} mm); images ${uneven.from.instanceNumber} and ${uneven.to.instanceNumber} are ${num(uneven.along)} mm apart.`,
    )
  }

  return { ok: true, sliceSpacing }
}
