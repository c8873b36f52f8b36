/**
 * Cornerstone3D is initialised here, once, in order: core (GPU capabilities), the DICOM
 * image loader (decode workers and codecs), tools, then the workstation's cache loader.
 */
import { cache, init as initCore, getShouldUseCPURendering } from '@cornerstonejs/core'
import { init as initDicomImageLoader } from '@cornerstonejs/dicom-image-loader'
import {
  addTool,
  AngleTool,
  EllipticalROITool,
  init as initTools,
  LengthTool,
  PanTool,
  ProbeTool,
  RectangleROITool,
  StackScrollTool,
  WindowLevelTool,
  ZoomTool,
} from '@cornerstonejs/tools'
import { forgetParsedInstances, registerCachedImageLoader, type InstanceBytesReader } from './cached-image-loader.ts'
import { registerFragmentedFrameProvider } from './fragmented-frames.ts'
import { registerPixelSpacingFallback } from './pixel-spacing-fallback.ts'

/** Every tool a stack viewport offers; the MPR viewer adds its own. */
export const STACK_TOOLS = [WindowLevelTool, ZoomTool, PanTool, StackScrollTool, LengthTool, AngleTool, EllipticalROITool, RectangleROITool, ProbeTool] as const

/** Decoded images kept in memory when settings say nothing (a 1,000-slice CT is about 512 MB). */
export const DEFAULT_DECODED_CACHE_MB = 1024

let initialised: Promise<void> | undefined
let decodedCacheMb = DEFAULT_DECODED_CACHE_MB

/** Initialises Cornerstone3D on first call; later calls return the same promise. */
export function setUpCornerstone(readInstance: InstanceBytesReader): Promise<void> {
  initialised ??= (async () => {
    // one WebGL context per rendering engine (Cornerstone's default pools seven): the browser
    // allows about sixteen in all, and a grid, MPR and the thumbnails each have an engine
    initCore({ rendering: { webGlContextCount: 1 }, debug: {} })
    initDicomImageLoader({ maxWebWorkers: Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1)) })
    initTools()
    for (const tool of STACK_TOOLS) addTool(tool)
    cache.setMaxCacheSize(Math.round(decodedCacheMb * 1024 * 1024))
    // corrections of the DICOM image loader, each proven by the transfer-syntax matrix: unusable
    // Pixel Spacing (0\\0) no longer collapses the image, and JPEG frames split over several
    // fragments without an offset table are regrouped by frame
    registerPixelSpacingFallback()
    registerFragmentedFrameProvider()
    registerCachedImageLoader(readInstance)
  })()
  return initialised
}

/**
 * Bounds the decoded-image cache. Cornerstone evicts the least recently used images beyond
 * it, so a study larger than the bound is still readable, only re-decoded when revisited.
 */
export function setDecodedCacheLimit(megabytes: number): void {
  decodedCacheMb = megabytes
  if (initialised) cache.setMaxCacheSize(Math.round(megabytes * 1024 * 1024))
}

/** Bytes of decoded images held now, for the memory readout and tests. */
export function decodedCacheBytes(): number {
  return cache.getCacheSize()
}

/** Drops every decoded image and parsed file (the study was closed: nothing of it should stay in memory). */
export function releaseDecodedImages(): void {
  if (!initialised) return
  cache.purgeCache()
  forgetParsedInstances()
}

/**
 * Starts Cornerstone before the reader opens a study (initialisation takes a few hundred
 * milliseconds that would otherwise come between the click and the first image).
 */
export function warmUpViewer(readInstance: InstanceBytesReader): void {
  const idle = globalThis.requestIdleCallback ?? ((fn: () => void) => setTimeout(fn, 0))
  idle(() => void setUpCornerstone(readInstance).catch(() => undefined))
}

/** Whether Cornerstone fell back to CPU rendering (no usable WebGL). */
export function isCpuFallback(): boolean {
  return getShouldUseCPURendering()
}
