/** Pixel values of a slice lying between two source slices. */

export type PixelArray = Uint16Array | Int16Array

/**
 * Linear interpolation, pixel by pixel, rounded to the nearest stored value: every result lies
 * between its two neighbours, so nothing leaves the stored range or the source's value set.
 */
export function interpolateSlice(lower: PixelArray, upper: PixelArray, fraction: number, out: PixelArray): void {
  if (lower.length !== upper.length || lower.length !== out.length) {
    throw new Error(`slices differ in size (${lower.length}, ${upper.length}, ${out.length} pixels)`)
  }
  if (fraction === 0) {
    out.set(lower)
    return
  }
  if (fraction === 1) {
    out.set(upper)
    return
  }
  for (let index = 0; index < out.length; index++) {
    const a = lower[index] ?? 0
    const b = upper[index] ?? 0
    out[index] = Math.round(a + (b - a) * fraction)
  }
}
