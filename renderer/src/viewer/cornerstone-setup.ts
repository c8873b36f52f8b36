/**
 * Cornerstone3D is initialised here, once, in order: core (GPU capabilities), the DICOM
 * image loader (decode workers and codecs), tools, then the workstation's cache loader.
 */
import { init as initCore, getShouldUseCPURendering } from '@cornerstonejs/core'
import { init as initDicomImageLoader } from '@cornerstonejs/dicom-image-loader'
import { addTool, init as initTools, PanTool, StackScrollTool, WindowLevelTool, ZoomTool } from '@cornerstonejs/tools'
import { registerCachedImageLoader, type InstanceBytesReader } from './cached-image-loader.ts'

let initialised: Promise<void> | undefined

/** Initialises Cornerstone3D on first call; later calls return the same promise. */
export function setUpCornerstone(readInstance: InstanceBytesReader): Promise<void> {
  initialised ??= (async () => {
    initCore()
    initDicomImageLoader({ maxWebWorkers: Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1)) })
    initTools()
    for (const tool of [WindowLevelTool, ZoomTool, PanTool, StackScrollTool]) addTool(tool)
    registerCachedImageLoader(readInstance)
  })()
  return initialised
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
