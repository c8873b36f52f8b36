import { describe, expect, it } from 'vitest'
import { pixelDifference } from './pixel-difference.ts'

describe('pixelDifference', () => {
  it('finds identical samples identical', () => {
    expect(pixelDifference([-2000, 0, 2278], Int32Array.from([-2000, 0, 2278]))).toEqual({ samples: 3, differing: 0, maxAbsDiff: 0, meanAbsDiff: 0, peak: 4278, psnr: Infinity })
  })

  it('measures the error against the reference range', () => {
    // range 0..100, errors 0, 2, 4, 2: MSE 6, PSNR = 10 log10(100² / 6)
    const difference = pixelDifference([0, 52, 96, 102], [0, 50, 100, 100])
    expect(difference).toMatchObject({ samples: 4, differing: 3, maxAbsDiff: 4, meanAbsDiff: 2, peak: 100 })
    expect(difference.psnr).toBeCloseTo(10 * Math.log10(10000 / 6), 10)
  })

  it('does not let NaN pass for a match', () => {
    const difference = pixelDifference([1, Number.NaN, 3], [1, 2, 3])
    expect(difference.maxAbsDiff).toBeNaN()
    expect(difference.differing).toBe(1)
  })

  it('refuses arrays of different lengths or none', () => {
    expect(() => pixelDifference([1, 2], [1, 2, 3])).toThrow(/sample counts differ/)
    expect(() => pixelDifference([], [])).toThrow(/no samples/)
  })
})
