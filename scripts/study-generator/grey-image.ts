/**
 * A single-channel image of up to 16 bits per sample, and the binary PGM (P5) form in which
 * OpenJPEG's command-line tools read and write it (samples above 255 are big-endian words).
 */

export interface GreyImage {
  width: number
  height: number
  /** Largest possible sample value (4095 for 12 bits stored). */
  maxValue: number
  /** Row by row, top to bottom. */
  pixels: Uint16Array
}

/** Bits needed for `maxValue` (the DICOM Bits Stored of the image). */
export function bitsStoredOf(image: Pick<GreyImage, 'maxValue'>): number {
  return Math.max(1, Math.ceil(Math.log2(image.maxValue + 1)))
}

/** Reads a binary PGM: "P5", width, height and maximum value (comments allowed), one whitespace, then the samples. */
export function parsePgm(bytes: Uint8Array): GreyImage {
  let offset = 0
  const token = (): string => {
    for (;;) {
      while (offset < bytes.length && /\s/.test(String.fromCharCode(bytes[offset]!))) offset++
      if (bytes[offset] !== 0x23) break
      while (offset < bytes.length && bytes[offset] !== 0x0a) offset++
    }
    const start = offset
    while (offset < bytes.length && !/\s/.test(String.fromCharCode(bytes[offset]!))) offset++
    return String.fromCharCode(...bytes.subarray(start, offset))
  }
  if (token() !== 'P5') throw new Error('not a binary PGM (no "P5" magic)')
  const [width, height, maxValue] = [token(), token(), token()].map(Number)
  if (!width || !height || !maxValue || maxValue > 65535) throw new Error(`PGM header ${width}x${height} max ${maxValue} is not usable`)
  offset++ // the single whitespace after the maximum value
  const wide = maxValue > 255
  const expected = width * height * (wide ? 2 : 1)
  if (bytes.length - offset < expected) throw new Error(`PGM holds ${bytes.length - offset} sample bytes, ${expected} expected`)
  const pixels = new Uint16Array(width * height)
  for (let i = 0; i < pixels.length; i++) pixels[i] = wide ? (bytes[offset + 2 * i]! << 8) | bytes[offset + 2 * i + 1]! : bytes[offset + i]!
  return { width, height, maxValue, pixels }
}

export function encodePgm(image: GreyImage): Uint8Array {
  const header = new TextEncoder().encode(`P5\n${image.width} ${image.height}\n${image.maxValue}\n`)
  const wide = image.maxValue > 255
  const bytes = new Uint8Array(header.length + image.pixels.length * (wide ? 2 : 1))
  bytes.set(header)
  const offset = header.length
  for (let i = 0; i < image.pixels.length; i++) {
    const value = image.pixels[i]!
    if (wide) {
      bytes[offset + 2 * i] = value >> 8
      bytes[offset + 2 * i + 1] = value & 0xff
    } else {
      bytes[offset + i] = value
    }
  }
  return bytes
}

/** The image mirrored left to right (a right breast shown as radiologists hang it). */
export function mirrorHorizontally(image: GreyImage): GreyImage {
  const pixels = new Uint16Array(image.pixels.length)
  for (let y = 0; y < image.height; y++) {
    const row = y * image.width
    for (let x = 0; x < image.width; x++) pixels[row + x] = image.pixels[row + image.width - 1 - x]!
  }
  return { ...image, pixels }
}

/** Every `factor`-th sample in both directions: a small image of the same content, for quick test data. */
export function subsample(image: GreyImage, factor: number): GreyImage {
  if (!Number.isInteger(factor) || factor < 1) throw new Error(`subsampling factor ${factor} is not a positive integer`)
  if (factor === 1) return image
  const width = Math.floor(image.width / factor)
  const height = Math.floor(image.height / factor)
  const pixels = new Uint16Array(width * height)
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels[y * width + x] = image.pixels[y * factor * image.width + x * factor]!
  return { width, height, maxValue: image.maxValue, pixels }
}

/** Native DICOM Pixel Data (OW): 16-bit little-endian words. */
export function littleEndianWords(image: GreyImage): Uint8Array {
  const bytes = new Uint8Array(image.pixels.length * 2)
  const view = new DataView(bytes.buffer)
  for (let i = 0; i < image.pixels.length; i++) view.setUint16(2 * i, image.pixels[i]!, true)
  return bytes
}
