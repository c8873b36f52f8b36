/**
 * Pixel Spacing that cannot be used (zero, negative, not a number) treated as absent.
 *
 * Cornerstone sizes an image in world space by its Pixel Spacing and takes a present value as
 * it is: NEMA's RG1 chest (PixelSpacing "0.000\0.000") becomes an image of zero width, its
 * camera zoom NaN, and the viewport shows a black canvas. A file without Pixel Spacing is drawn
 * at 1 mm per pixel and marked as using default values, which also tells the measurement tools
 * that the image is not calibrated; unusable spacing is given exactly that treatment.
 */
import { Enums, metaData } from '@cornerstonejs/core'

/** The parts of Cornerstone's image plane module this looks at. */
export interface ImagePlaneSpacing {
  rowPixelSpacing?: number | null
  columnPixelSpacing?: number | null
  pixelSpacing?: number[]
  usingDefaultValues?: boolean
}

const usable = (spacing: number | null | undefined): boolean => typeof spacing === 'number' && Number.isFinite(spacing) && spacing > 0

/** The module unchanged when its spacing is usable; otherwise 1 mm per pixel, flagged as a default. */
export function withUsablePixelSpacing<T extends ImagePlaneSpacing>(plane: T): T {
  if (usable(plane.rowPixelSpacing) && usable(plane.columnPixelSpacing)) return plane
  const fixed = { ...plane, rowPixelSpacing: 1, columnPixelSpacing: 1, pixelSpacing: [1, 1] }
  // Cornerstone keeps its "default values" flags as non-enumerable properties, which a spread drops
  for (const flag of ['isDefaultValueSetForRowCosine', 'isDefaultValueSetForColumnCosine'] as const) {
    if (flag in plane) Object.defineProperty(fixed, flag, { value: (plane as Record<string, unknown>)[flag] })
  }
  Object.defineProperty(fixed, 'usingDefaultValues', { value: true })
  return fixed
}

/** Ahead of every provider Cornerstone registers, so that nothing sees the unusable spacing. */
const PRIORITY = 100_000
let resolving = false

function imagePlaneProvider(type: string, imageId: string): unknown {
  // the provider asks the others for the module: while it does, it must not answer itself
  if (type !== Enums.MetadataModules.IMAGE_PLANE || resolving) return undefined
  resolving = true
  let plane: ImagePlaneSpacing | undefined
  try {
    plane = metaData.get(type, imageId) as ImagePlaneSpacing | undefined
  } finally {
    resolving = false
  }
  return plane && withUsablePixelSpacing(plane)
}

/** Registers the provider (once; Cornerstone ignores a provider it already has). */
export function registerPixelSpacingFallback(): void {
  metaData.addProvider(imagePlaneProvider, PRIORITY)
}
