/**
 * Cornerstone's own decode path, run in Node: the naturalized data set goes into the metadata
 * provider (as the viewer's loader puts it there), frames are taken from it by Cornerstone's
 * compressed-frame provider and the viewer's fragmented-frame correction, and decoded by the
 * function Cornerstone's decode workers run (decodeImageFrame, with the same WASM codecs),
 * under the viewer's decode guard. What Node lacks is the browser's canvas decode of 8-bit
 * colour JPEG; such frames go through libjpeg-turbo's WASM build instead.
 */
import { mkdirSync, symlinkSync, existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { Enums, metaData, registerDefaultProviders, utilities } from '@cornerstonejs/metadata'
import { guardDecode } from '../../renderer/src/viewer/decode-guard.ts'
import { registerFragmentedFrameProvider } from '../../renderer/src/viewer/fragmented-frames.ts'
import type { NaturalizedInstance } from '../../renderer/src/viewer/instance-parse.ts'

interface DecodedFrame {
  pixelData: ArrayLike<number>
  rows: number
  columns: number
}
type DecodeImageFrame = (imageFrame: object, transferSyntax: string, pixelData: Uint8Array, decodeConfig: object, options: object) => Promise<DecodedFrame>

/** The WASM files the decoders load, by the names they ask for, in one folder. */
const WASM: Array<[pkg: string, file: string]> = [
  ['codec-openjpeg', 'openjpegwasm_decode.wasm'],
  ['codec-libjpeg-turbo-8bit', 'libjpegturbowasm_decode.wasm'],
  ['codec-charls', 'charlswasm_decode.wasm'],
  ['codec-openjph', 'openjphjs.wasm'],
]

let decodeImageFrame: DecodeImageFrame | undefined
let wasmBasePath = ''

/** Loads Cornerstone's decode worker module and registers the metadata providers (once). */
export async function setUpNodeDecode(): Promise<void> {
  if (decodeImageFrame) return
  const require = createRequire(import.meta.url)
  const loaderDir = path.dirname(require.resolve('@cornerstonejs/dicom-image-loader/package.json'))
  const dir = path.join(os.tmpdir(), `cornerstone-wasm-${process.pid}`)
  mkdirSync(dir, { recursive: true })
  for (const [pkg, file] of WASM) {
    const target = path.join(loaderDir, '..', pkg, 'dist', file)
    if (!existsSync(path.join(dir, file))) symlinkSync(target, path.join(dir, file))
  }
  wasmBasePath = `${dir}/`
  // the module Cornerstone's decode workers run (not exported by the package: imported by path)
  const workerModule = (await import(path.join(loaderDir, 'dist', 'esm', 'decodeImageFrameWorker.js'))) as { decodeImageFrame: DecodeImageFrame }
  decodeImageFrame = workerModule.decodeImageFrame
  registerDefaultProviders()
  registerFragmentedFrameProvider()
}

interface PixelModule {
  samplesPerPixel?: number
  photometricInterpretation?: string
  planarConfiguration?: number
  rows?: number
  columns?: number
  bitsAllocated?: number
  bitsStored?: number
  pixelRepresentation?: number
}

function asBytes(value: unknown): Uint8Array {
  if (value instanceof ArrayBuffer) return new Uint8Array(value)
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
  throw new Error('pixel data is not binary')
}

/** Cornerstone's concatPixelData: a frame's fragments as one buffer. */
function concatFrame(pixelData: unknown): Uint8Array {
  if (!Array.isArray(pixelData)) return asBytes(pixelData)
  const parts = pixelData.map(asBytes)
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

async function decodeFrame(imageId: string, frameIndex: number): Promise<DecodedFrame> {
  const frameData = metaData.getTyped(Enums.MetadataModules.COMPRESSED_FRAME_DATA, imageId, { frameIndex }) as { pixelData?: unknown; transferSyntaxUid?: string } | undefined
  if (!frameData?.pixelData || !frameData.transferSyntaxUid) throw new Error(`no pixel data for frame ${frameIndex + 1}`)
  const pixelData = concatFrame(frameData.pixelData)
  if (pixelData.length === 0) throw new Error('The pixel data is missing')
  const module = (metaData.get('imagePixelModule', imageId) ?? {}) as PixelModule
  const imageFrame = {
    samplesPerPixel: module.samplesPerPixel,
    photometricInterpretation: module.photometricInterpretation,
    planarConfiguration: module.planarConfiguration,
    rows: module.rows,
    columns: module.columns,
    bitsAllocated: module.bitsAllocated,
    bitsStored: module.bitsStored,
    pixelRepresentation: module.pixelRepresentation,
  }
  return decodeImageFrame!(imageFrame, frameData.transferSyntaxUid, pixelData, { wasmBasePath }, { preScale: { enabled: false } })
}

/**
 * Decodes the first and last frame of a naturalized instance, each under the viewer's decode
 * guard (so whatever fails is a DicomSafetyError). Resolves with the frames' sizes.
 */
export async function decodeInNode(naturalized: NaturalizedInstance, frames: number, budgetMs: number): Promise<Array<{ rows: number; columns: number; samples: number }>> {
  if (!decodeImageFrame) throw new Error('setUpNodeDecode() first')
  const imageId = 'wscache:fuzz-case'
  utilities.setCacheData(Enums.MetadataModules.NATURALIZED, imageId, naturalized)
  try {
    const wanted = frames > 1 ? [0, frames - 1] : [0]
    const out = []
    for (const frameIndex of wanted) {
      const frameImageId = frames > 1 ? `${imageId}?frame=${frameIndex + 1}` : imageId
      const decoded = await guardDecode(decodeFrame(frameImageId, frameIndex), `frame ${frameIndex + 1}`, budgetMs)
      out.push({ rows: decoded.rows, columns: decoded.columns, samples: decoded.pixelData.length })
    }
    return out
  } finally {
    utilities.clearCacheData()
  }
}
