import { describe, expect, it } from 'vitest'
import { bitsStoredOf, encodePgm, littleEndianWords, mirrorHorizontally, parsePgm, subsample, type GreyImage } from './grey-image.ts'

const image: GreyImage = { width: 3, height: 2, maxValue: 4095, pixels: Uint16Array.of(1, 2, 4095, 256, 0, 7) }

describe('grey images', () => {
  it('round-trips 16-bit PGM with big-endian samples, and reads comments in the header', () => {
    const bytes = encodePgm(image)
    expect(new TextDecoder().decode(bytes.subarray(0, 12))).toBe('P5\n3 2\n4095\n')
    expect([...bytes.subarray(12, 16)]).toEqual([0, 1, 0, 2])
    expect(parsePgm(bytes)).toEqual(image)
    const commented = new TextEncoder().encode('P5\n#OpenJPEG-2.5.0\n2 1\n255\n\x05\x09')
    expect(parsePgm(commented)).toEqual({ width: 2, height: 1, maxValue: 255, pixels: Uint16Array.of(5, 9) })
  })

  it('refuses what is not a complete binary PGM', () => {
    expect(() => parsePgm(new TextEncoder().encode('P2\n1 1\n255\n0'))).toThrow(/P5/)
    expect(() => parsePgm(encodePgm(image).subarray(0, 20))).toThrow(/sample bytes/)
  })

  it('mirrors rows, subsamples, gives bits stored and native little-endian words', () => {
    expect([...mirrorHorizontally(image).pixels]).toEqual([4095, 2, 1, 7, 0, 256])
    expect(subsample(image, 2)).toEqual({ width: 1, height: 1, maxValue: 4095, pixels: Uint16Array.of(1) })
    expect(bitsStoredOf(image)).toBe(12)
    expect(bitsStoredOf({ maxValue: 255 })).toBe(8)
    expect([...littleEndianWords(image).subarray(0, 6)]).toEqual([1, 0, 2, 0, 0xff, 0x0f])
  })
})
