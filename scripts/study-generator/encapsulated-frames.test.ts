import { describe, expect, it } from 'vitest'
import { encapsulateFrames, readFragments } from './encapsulated-frames.ts'

describe('encapsulateFrames', () => {
  it('writes an empty offset table and one even-length fragment per frame, which readFragments gives back', () => {
    const items = encapsulateFrames([Uint8Array.of(1, 2, 3), Uint8Array.of(4, 5)])
    expect([...items.subarray(0, 8)]).toEqual([0xfe, 0xff, 0x00, 0xe0, 0, 0, 0, 0])
    expect([...items.subarray(8, 20)]).toEqual([0xfe, 0xff, 0x00, 0xe0, 4, 0, 0, 0, 1, 2, 3, 0])
    expect(items.length).toBe(8 + 12 + 10)
    expect(readFragments(items).map((f) => [...f])).toEqual([
      [1, 2, 3, 0],
      [4, 5],
    ])
  })

  it('refuses items that run past the end or are not items', () => {
    const items = encapsulateFrames([Uint8Array.of(1, 2)])
    expect(() => readFragments(items.subarray(0, items.length - 1))).toThrow(/past the end/)
    const broken = items.slice()
    broken[8] = 0
    expect(() => readFragments(broken)).toThrow(/expected a pixel data item/)
  })
})
