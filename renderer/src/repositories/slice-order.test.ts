import { describe, expect, it } from 'vitest'
import { compareInstances, slicePositionAlongNormal } from './slice-order.ts'

describe('slice order', () => {
  it('projects an axial position onto the slice normal', () => {
    expect(slicePositionAlongNormal([1, 0, 0, 0, 1, 0], [-120, -100, 42.5])).toBeCloseTo(42.5)
  })

  it('handles coronal slices (normal along -y)', () => {
    // row +x, column -z: normal = x × (-z) = +y
    expect(slicePositionAlongNormal([1, 0, 0, 0, 0, -1], [0, 17, 5])).toBeCloseTo(17)
  })

  it('gives undefined for missing or degenerate geometry', () => {
    expect(slicePositionAlongNormal(undefined, [0, 0, 0])).toBeUndefined()
    expect(slicePositionAlongNormal([1, 0, 0, 1, 0, 0], [0, 0, 1])).toBeUndefined()
    expect(slicePositionAlongNormal([1, 0, 0, 0, 1], [0, 0, 1])).toBeUndefined()
  })

  it('sorts by position, then instance number, then UID', () => {
    const items = [
      { sortKey: 10, instanceNumber: 1, sopInstanceUid: 'c' },
      { sortKey: 5, instanceNumber: 9, sopInstanceUid: 'b' },
      { sortKey: 5, instanceNumber: 2, sopInstanceUid: 'z' },
      { sortKey: 5, instanceNumber: 2, sopInstanceUid: 'a' },
    ]
    expect(items.sort(compareInstances).map((i) => i.sopInstanceUid)).toEqual(['a', 'z', 'b', 'c'])
  })
})
