import { describe, expect, it } from 'vitest'
import { interleavePlanes, jpegLsNear, nativeFrameSamples, parsePpm, storedValues, type PixelFormat } from './reference-decode.ts'

const format = (overrides: Partial<PixelFormat>): PixelFormat => ({
  rows: 1,
  columns: 2,
  numberOfFrames: 2,
  samplesPerPixel: 1,
  bitsAllocated: 16,
  bitsStored: 16,
  pixelRepresentation: 0,
  planarConfiguration: 0,
  photometricInterpretation: 'MONOCHROME2',
  ...overrides,
})

describe('nativeFrameSamples', () => {
  const bytes = new Uint8Array([0x01, 0x02, 0xff, 0xff, 0x10, 0x00, 0x00, 0x80])

  it('reads a frame of little-endian words', () => {
    expect(Array.from(nativeFrameSamples(bytes, format({}), 1, false))).toEqual([0x0201, 0xffff])
    expect(Array.from(nativeFrameSamples(bytes, format({}), 2, false))).toEqual([0x0010, 0x8000])
  })

  it('reads big-endian words', () => {
    expect(Array.from(nativeFrameSamples(bytes, format({}), 1, true))).toEqual([0x0102, 0xffff])
  })

  it('sign-extends signed samples from Bits Stored', () => {
    expect(Array.from(nativeFrameSamples(bytes, format({ pixelRepresentation: 1 }), 1, false))).toEqual([0x0201, -1])
    expect(Array.from(nativeFrameSamples(bytes, format({ pixelRepresentation: 1, bitsStored: 12 }), 2, false))).toEqual([16, 0])
  })

  it('masks unsigned samples to Bits Stored (bits above are not pixel data)', () => {
    expect(Array.from(nativeFrameSamples(bytes, format({ bitsStored: 12 }), 1, false))).toEqual([0x0201, 0x0fff])
  })

  it('reads bytes when 8 bits are allocated, and refuses frames outside the data', () => {
    expect(Array.from(nativeFrameSamples(bytes, format({ bitsAllocated: 8, bitsStored: 8, columns: 4 }), 2, false))).toEqual([0x10, 0, 0, 0x80])
    expect(() => nativeFrameSamples(bytes, format({}), 3, false)).toThrow(/outside/)
  })
})

describe('storedValues', () => {
  it('takes a 13-bit signed value out of a 16-bit word', () => {
    expect(Array.from(storedValues(Int32Array.from([0x1fff, 0x0fff, 0xe000 | 0x1000]), { bitsStored: 13, pixelRepresentation: 1 }))).toEqual([-1, 4095, -4096])
  })
})

describe('interleavePlanes', () => {
  it('turns RRGGBB into RGBRGB', () => {
    expect(Array.from(interleavePlanes(Int32Array.from([1, 2, 3, 4, 5, 6]), 2, 3))).toEqual([1, 3, 5, 2, 4, 6])
  })
})

describe('jpegLsNear', () => {
  it('reads NEAR from the start of scan', () => {
    // SOI, SOF55 (abridged), SOS: length 8, 1 component (id 1, table 0), NEAR 4, ILV 0, point transform 0
    const codestream = new Uint8Array([0xff, 0xd8, 0xff, 0xf7, 0x00, 0x0b, 0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x04, 0x00, 0x00])
    expect(jpegLsNear(codestream)).toBe(4)
  })

  it('says so when there is no scan', () => {
    expect(() => jpegLsNear(new Uint8Array([0xff, 0xd8, 0xff, 0xd9]))).toThrow(/start-of-scan/)
  })
})

describe('parsePpm', () => {
  it('reads DCMTK’s binary PPM', () => {
    const header = new TextEncoder().encode('P6\n2 1\n255\n')
    const ppm = new Uint8Array([...header, 255, 0, 0, 10, 20, 30])
    expect(parsePpm(ppm)).toEqual({ width: 2, height: 1, rgb: Int32Array.from([255, 0, 0, 10, 20, 30]) })
  })

  it('refuses anything else', () => {
    expect(() => parsePpm(new TextEncoder().encode('P5\n1 1\n255\n\0'))).toThrow(/PPM/)
  })
})
