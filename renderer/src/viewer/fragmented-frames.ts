/**
 * Compressed frames that span several fragments, put back together.
 *
 * Cornerstone's Part-10 path hands the image loader fragment N as frame N whenever a multi-frame
 * instance has more fragments than frames (and only the first fragment of a single-frame one),
 * so a JPEG cine written in 8 kB fragments with an empty Basic Offset Table shows a strip of
 * each frame above a black rest. Where that happens, the fragments are grouped into frames by
 * the marker every compressed frame begins with (the same rule dicom-parser and DCMTK apply
 * when there is no offset table), and the frame's fragments are handed over together.
 */
import { Enums, metaData } from '@cornerstonejs/core'

/** Frames of these transfer syntaxes start with a JPEG start-of-image marker (FFD8). */
const JPEG_FAMILY = new Set([
  '1.2.840.10008.1.2.4.50',
  '1.2.840.10008.1.2.4.51',
  '1.2.840.10008.1.2.4.57',
  '1.2.840.10008.1.2.4.70',
  '1.2.840.10008.1.2.4.80',
  '1.2.840.10008.1.2.4.81',
])
/** Frames of these start with a JPEG 2000 start of codestream and SIZ marker (FF4F FF51). */
const JPEG_2000_FAMILY = new Set(['1.2.840.10008.1.2.4.90', '1.2.840.10008.1.2.4.91', '1.2.840.10008.1.2.4.201', '1.2.840.10008.1.2.4.202', '1.2.840.10008.1.2.4.203'])

function frameStartTest(transferSyntaxUid: string): ((fragment: Uint8Array) => boolean) | undefined {
  if (JPEG_FAMILY.has(transferSyntaxUid)) return (f) => f[0] === 0xff && f[1] === 0xd8
  if (JPEG_2000_FAMILY.has(transferSyntaxUid)) return (f) => f[0] === 0xff && f[1] === 0x4f && f[2] === 0xff && f[3] === 0x51
  // RLE must put each frame in exactly one fragment (PS3.5 A.4.2): nothing to regroup
  return undefined
}

/**
 * The fragments of each frame, or undefined when they cannot be told apart with certainty
 * (an unknown transfer syntax, or marker-delimited groups that do not number the frames).
 */
export function groupFragmentsIntoFrames(fragments: readonly Uint8Array[], numberOfFrames: number, transferSyntaxUid: string): Uint8Array[][] | undefined {
  if (numberOfFrames === 1) return [[...fragments]]
  const startsFrame = frameStartTest(transferSyntaxUid)
  if (!startsFrame || fragments.length === 0 || !startsFrame(fragments[0]!)) return undefined
  const frames: Uint8Array[][] = []
  for (const fragment of fragments) {
    if (startsFrame(fragment)) frames.push([fragment])
    else frames[frames.length - 1]!.push(fragment)
  }
  return frames.length === numberOfFrames ? frames : undefined
}

type Fragment = ArrayBuffer | ArrayBufferView
interface NaturalizedInstance {
  PixelData?: unknown
  NumberOfFrames?: number | string
  TransferSyntaxUID?: string
}

const asBytes = (fragment: Fragment): Uint8Array => (fragment instanceof ArrayBuffer ? new Uint8Array(fragment) : new Uint8Array(fragment.buffer, fragment.byteOffset, fragment.byteLength))

/** Ahead of Cornerstone's own compressed-frame provider, which answers only when this one does not. */
const PRIORITY = 100_000

/** Cornerstone passes the frame asked for as a third argument, `{ frameIndex }` (0-based). */
function frameIndexOf(options: unknown): number {
  const frameIndex = typeof options === 'object' && options !== null ? (options as { frameIndex?: unknown }).frameIndex : undefined
  return typeof frameIndex === 'number' ? frameIndex : 0
}

function compressedFrameProvider(type: string, imageId: string, options?: unknown): unknown {
  if (type !== Enums.MetadataModules.COMPRESSED_FRAME_DATA) return undefined
  const natural = metaData.get(Enums.MetadataModules.NATURALIZED, imageId) as NaturalizedInstance | undefined
  const pixelData = natural?.PixelData
  const transferSyntaxUid = natural?.TransferSyntaxUID
  if (!Array.isArray(pixelData) || !transferSyntaxUid) return undefined
  const numberOfFrames = Number(natural.NumberOfFrames ?? 1) || 1
  // one entry per frame (its fragments, or one buffer) is what Cornerstone handles itself; without
  // an offset table the reader makes an entry of every fragment
  if (pixelData.length <= numberOfFrames) return undefined
  const fragments: unknown[] = pixelData.flat()
  if (!fragments.every((f) => f instanceof ArrayBuffer || ArrayBuffer.isView(f))) return undefined
  const frames = groupFragmentsIntoFrames((fragments as Fragment[]).map(asBytes), numberOfFrames, transferSyntaxUid)
  const frameIndex = frameIndexOf(options)
  const frame = frames?.[frameIndex]
  if (!frame) return undefined
  return { transferSyntaxUid, frameOfInterest: frameIndex, frameNumber: frameIndex + 1, pixelData: frame }
}

/** Registers the provider (once; Cornerstone ignores a provider it already has). */
export function registerFragmentedFrameProvider(): void {
  metaData.addProvider(compressedFrameProvider, PRIORITY)
}
