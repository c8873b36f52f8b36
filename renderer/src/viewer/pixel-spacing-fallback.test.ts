import { describe, expect, it } from 'vitest'
import { withUsablePixelSpacing, type ImagePlaneSpacing } from './pixel-spacing-fallback.ts'

/** An image plane module as Cornerstone builds it, with its flags as non-enumerable properties. */
function plane(rowPixelSpacing: number | null, columnPixelSpacing: number | null) {
  const module = { rows: 1955, columns: 1841, rowPixelSpacing, columnPixelSpacing, pixelSpacing: [rowPixelSpacing ?? Number.NaN, columnPixelSpacing ?? Number.NaN], imagePositionPatient: [0, 0, 0] }
  Object.defineProperty(module, 'usingDefaultValues', { value: false })
  Object.defineProperty(module, 'isDefaultValueSetForRowCosine', { value: true })
  return module
}

describe('withUsablePixelSpacing', () => {
  it('leaves usable spacing alone (the same object)', () => {
    const calibrated = plane(0.143, 0.143)
    expect(withUsablePixelSpacing(calibrated)).toBe(calibrated)
  })

  it.each([
    ['zero (NEMA RG1: "0.000\\0.000")', 0, 0],
    ['negative', -0.2, 0.2],
    ['one of them zero', 0.2, 0],
    ['not a number', Number.NaN, 0.2],
    ['unreadable (null)', null, null],
  ])('replaces spacing that is %s by 1 mm per pixel, flagged as a default', (_case, row, column) => {
    const fixed = withUsablePixelSpacing(plane(row, column))
    expect(fixed).toMatchObject({ rowPixelSpacing: 1, columnPixelSpacing: 1, pixelSpacing: [1, 1], rows: 1955, columns: 1841 })
    // the flag Cornerstone reads to tell measurements the image is not calibrated
    expect((fixed as ImagePlaneSpacing).usingDefaultValues).toBe(true)
    expect((fixed as unknown as { isDefaultValueSetForRowCosine: boolean }).isDefaultValueSetForRowCosine).toBe(true)
  })
})
