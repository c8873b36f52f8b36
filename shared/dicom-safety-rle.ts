/**
 * RLE Lossless frames checked before a decoder sees them (PS3.5 Annex G). Each frame starts
 * with a 64-byte header: the number of segments, then fifteen 32-bit offsets. Cornerstone's RLE
 * decoder trusts both, and loops up to whatever offset it reads: a frame that is not RLE at all
 * (a JPEG 2000 codestream labelled RLE makes 1.4 billion "segments") holds its decode worker for
 * minutes. So the header must be what the standard says: as many segments as bytes per pixel,
 * offsets starting at 64, rising and inside the frame, unused offsets zero.
 */
import type { FragmentRef } from './dicom-safety-walker.ts'

const HEADER_BYTES = 64
const MAX_SEGMENTS = 15

/** Why this RLE frame cannot be decoded safely, or undefined when its header is sound. */
function frameHeaderProblem(view: DataView, frameLength: number, expectedSegments: number, frameNumber: number): string | undefined {
  const label = `RLE frame ${frameNumber}`
  const segments = view.getUint32(0, true)
  if (segments < 1 || segments > MAX_SEGMENTS) return `${label} declares ${segments} segments (1 to ${MAX_SEGMENTS} are possible): it is not RLE data`
  if (segments !== expectedSegments) return `${label} has ${segments} segment(s), but its pixels need ${expectedSegments} (one per byte of each sample)`
  let previous = 0
  for (let i = 0; i < MAX_SEGMENTS; i++) {
    const offset = view.getUint32(4 + i * 4, true)
    if (i >= segments) {
      if (offset !== 0) return `${label}'s unused segment offset ${i + 1} is ${offset}, not 0`
      continue
    }
    if (i === 0 && offset !== HEADER_BYTES) return `${label}'s first segment starts at ${offset}, not right after the 64-byte header`
    if (i > 0 && offset <= previous) return `${label}'s segment offsets do not rise (segment ${i + 1} at ${offset})`
    if (offset >= frameLength) return `${label}'s segment ${i + 1} starts at ${offset}, past the frame's ${frameLength} bytes`
    previous = offset
  }
  return undefined
}

/**
 * Checks every frame's RLE header. A frame is one fragment (PS3.5 A.4.2); a single-frame image
 * split over several fragments is read as their concatenation, as Cornerstone reads it.
 */
export function rleProblem(bytes: Uint8Array, fragments: readonly FragmentRef[], frames: number, samplesPerPixel: number, bitsAllocated: number): string | undefined {
  const expectedSegments = samplesPerPixel * Math.ceil(bitsAllocated / 8)
  if (frames > 1 && fragments.length !== frames) return `RLE needs one fragment per frame, but ${frames} frames have ${fragments.length} fragments`
  const frameRefs = frames === 1 ? [{ offset: fragments[0]!.offset, length: fragments.reduce((n, f) => n + f.length, 0), headerLength: fragments[0]!.length }] : fragments.map((f) => ({ ...f, headerLength: f.length }))
  for (const [index, frame] of frameRefs.entries()) {
    if (frame.headerLength < HEADER_BYTES) return `RLE frame ${index + 1}'s first fragment is ${frame.headerLength} bytes, shorter than the 64-byte header`
    const view = new DataView(bytes.buffer, bytes.byteOffset + frame.offset, HEADER_BYTES)
    const problem = frameHeaderProblem(view, frame.length, expectedSegments, index + 1)
    if (problem) return problem
  }
  return undefined
}
