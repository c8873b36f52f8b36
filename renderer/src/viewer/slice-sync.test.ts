import { describe, expect, it } from 'vitest'
import { canSynchronise, linkedSliceIndex, linkOffset, sliceNormal, type StackGeometry } from './slice-sync.ts'

const axial = sliceNormal([1, 0, 0, 0, 1, 0])!
function stack(zs: number[], frameOfReferenceUid = 'for-1', normal = axial): StackGeometry {
  return { frameOfReferenceUid, normal, positions: zs.map((z) => [-100, -100, z] as const) }
}

describe('slice synchronisation', () => {
  it('computes the normal of an axial orientation', () => {
    expect(sliceNormal([1, 0, 0, 0, 1, 0])).toEqual([0, 0, 1])
    expect(sliceNormal(undefined)).toBeUndefined()
  })

  it('follows by absolute position within one frame of reference', () => {
    const current = stack([0, 5, 10, 15, 20])
    const prior = stack([2, 4, 6, 8, 10, 12, 14, 16, 18, 20])
    expect(linkOffset(current, 3, prior, 0)).toBe(0)
    expect(linkedSliceIndex(current, 3, prior, 0)).toBe(6) // z=15 → nearest 14 (index 6) or 16 (7): first nearest wins
    expect(linkedSliceIndex(current, 4, prior, 0)).toBe(9)
  })

  it('keeps the offset set when linking stacks of different frames of reference', () => {
    const current = stack([0, 5, 10, 15, 20], 'for-a')
    const prior = stack([100, 105, 110, 115, 120], 'for-b')
    const offset = linkOffset(current, 1, prior, 1)
    expect(offset).toBe(100)
    expect(linkedSliceIndex(current, 3, prior, offset)).toBe(3)
  })

  it('does not follow a stack of another orientation, or one without geometry', () => {
    const sagittal = stack([0, 5], 'for-1', sliceNormal([0, 1, 0, 0, 0, -1])!)
    expect(canSynchronise(stack([0, 5]), sagittal)).toBe(false)
    expect(linkedSliceIndex(stack([0, 5]), 0, sagittal, 0)).toBeUndefined()
    expect(linkedSliceIndex(stack([0, 5]), 0, { positions: [undefined, undefined], normal: axial }, 0)).toBeUndefined()
  })

  it('says nothing when the nearest slice is beyond the tolerance', () => {
    expect(linkedSliceIndex(stack([0, 5, 10]), 2, stack([50, 55]), 0, 10)).toBeUndefined()
    expect(linkedSliceIndex(stack([0, 5, 10]), 2, stack([50, 55]), 0)).toBe(0)
  })
})
