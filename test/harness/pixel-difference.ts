/** How far decoded pixels are from a reference decode: the numbers a codec's tolerance is stated in. */

export interface PixelDifference {
  samples: number
  /** Samples whose values differ at all. */
  differing: number
  maxAbsDiff: number
  meanAbsDiff: number
  /** The reference's own range (max − min), the peak of the PSNR. */
  peak: number
  /** Peak signal-to-noise ratio in dB over the reference's range; Infinity when identical. */
  psnr: number
}

/**
 * Compares two equally long sample arrays. The PSNR's peak is the reference's range rather than
 * the full range of its bit depth: a 16-bit CT using 2,000 of 65,536 values would otherwise
 * score some 30 dB better than its visible error deserves.
 */
export function pixelDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): PixelDifference {
  if (actual.length !== expected.length) throw new Error(`sample counts differ: ${actual.length} decoded, ${expected.length} in the reference`)
  if (expected.length === 0) throw new Error('no samples to compare')
  let differing = 0
  let notANumber = false
  let maxAbsDiff = 0
  let sumAbs = 0
  let sumSquares = 0
  let min = Infinity
  let max = -Infinity
  for (let i = 0; i < expected.length; i++) {
    const reference = expected[i]!
    const diff = Math.abs(actual[i]! - reference)
    if (diff !== 0) differing++
    // NaN (a decoder writing garbage floats) must not slip through as "no difference"
    if (Number.isNaN(diff)) notANumber = true
    else if (diff > maxAbsDiff) maxAbsDiff = diff
    sumAbs += diff
    sumSquares += diff * diff
    if (reference < min) min = reference
    if (reference > max) max = reference
  }
  const samples = expected.length
  const peak = max - min
  const mse = sumSquares / samples
  return {
    samples,
    differing,
    maxAbsDiff: notANumber ? NaN : maxAbsDiff,
    meanAbsDiff: sumAbs / samples,
    peak,
    psnr: mse === 0 ? Infinity : 10 * Math.log10((Math.max(peak, 1) * Math.max(peak, 1)) / mse),
  }
}
