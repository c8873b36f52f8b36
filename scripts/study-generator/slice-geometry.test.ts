import { describe, expect, it } from 'vitest'
import { planSlices, sliceNormal, type SourceSliceGeometry } from './slice-geometry.ts'

const AXIAL = [1, 0, 0, 0, 1, 0]

/** A stack like the phantom: 28 slices, 5 mm apart, z rising from 696.21. */
function stack(count: number, spacing: number, start = 696.21): SourceSliceGeometry[] {
  return Array.from({ length: count }, (_, index) => ({ position: [-115.5, -1.85, start + index * spacing] as const, sliceLocation: start + index * spacing }))
}

describe('planSlices', () => {
  it('covers the source extent with evenly spaced slices', () => {
    const plan = planSlices(stack(28, 5), AXIAL, 500)
    expect(plan.spacing).toBe(0.270541)
    expect(plan.slices).toHaveLength(500)
    expect(plan.slices[0]).toMatchObject({ position: [-115.5, -1.85, 696.21], lowerSource: 0, fraction: 0 })
    const last = plan.slices[499]!
    expect(last.position[2]).toBeCloseTo(831.21, 3)
    expect(last.lowerSource).toBe(26)
    expect(last.fraction).toBeCloseTo(1, 4)
    expect(plan.slices[250]!.sliceLocation).toBeCloseTo(696.21 + 250 * 0.270541, 9)
  })

  it('puts slices exactly on the sources when the counts line up', () => {
    const plan = planSlices(stack(28, 5), AXIAL, 55)
    expect(plan.spacing).toBe(2.5)
    expect(plan.slices[2]).toMatchObject({ lowerSource: 1, fraction: 0 })
    expect(plan.slices[3]).toMatchObject({ lowerSource: 1, fraction: 0.5 })
  })

  it('follows the source direction when positions fall', () => {
    const plan = planSlices(stack(28, -5), AXIAL, 10)
    expect(plan.slices[1]!.position[2]).toBeCloseTo(696.21 - 15, 6)
  })

  it('refuses uneven or tilted sources, and too few slices', () => {
    const gap = stack(5, 5)
    gap[3] = { position: [-115.5, -1.85, 696.21 + 17], sliceLocation: undefined }
    expect(() => planSlices(gap, AXIAL, 10)).toThrow(/evenly spaced/)
    const tilted = stack(5, 5).map((slice, index) => ({ ...slice, position: [-115.5, -1.85 + index, slice.position[2]] as const }))
    expect(() => planSlices(tilted, AXIAL, 10)).toThrow(/gantry tilt/)
    expect(() => planSlices(stack(5, 5), AXIAL, 1)).toThrow(/at least 2/)
    expect(() => planSlices(stack(1, 5), AXIAL, 10)).toThrow(/at least 2/)
  })
})

describe('sliceNormal', () => {
  it('is row × column', () => {
    expect(sliceNormal(AXIAL)).toEqual([0, 0, 1])
    expect(sliceNormal([0, 1, 0, 0, 0, -1])).toEqual([-1, 0, 0])
  })
})
