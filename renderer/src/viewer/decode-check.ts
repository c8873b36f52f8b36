/**
 * The viewer's decode path, exposed for the transfer-syntax checks (decode-check.html):
 * Part-10 bytes go through the workstation's own `wscache:` image loader, exactly as cached
 * instances do, and either come back as decoded pixels or are shown in a real StackViewport.
 */
import { cache, Enums, getShouldUseCPURendering, imageLoader, RenderingEngine, type Types } from '@cornerstonejs/core'
import { cachedImageId, imageIdsForInstance } from './cached-image-id.ts'
import { setUpCornerstone } from './cornerstone-setup.ts'

/** Bytes handed to the loader, by the key that stands in for a SOP Instance UID. */
const instances = new Map<string, ArrayBuffer>()
let nextKey = 1

const ready = () =>
  setUpCornerstone(async (key) => {
    const bytes = instances.get(key)
    if (!bytes) throw new Error(`no instance ${key} was handed to the decode check`)
    return bytes
  })

function addInstance(bytes: ArrayBuffer): string {
  const key = `decode-check-${nextKey++}`
  instances.set(key, bytes)
  return key
}

export interface DecodedFrame {
  rows: number
  columns: number
  /** Values per pixel: 1 for greyscale, 3 (RGB) or 4 (RGBA) after the loader's colour conversion. */
  components: number
  photometricInterpretation: string
  /** The typed array the loader produced (Int16Array, Uint16Array, Float32Array, Uint8Array…). */
  dataType: string
  /** The modality LUT the loader already applied while decoding (its pre-scaling), or null when it did not. */
  rescale: { slope: number; intercept: number } | null
  /** The bytes of the loader's typed array (of `dataType`, little-endian as in the browser), base64: a 1955×1841 frame is 7 MB of them. */
  pixelsBase64: string
}

function base64Of(view: ArrayBufferView): string {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength)
  const chunks: string[] = []
  // String.fromCharCode takes its arguments on the stack: a chunk at a time
  for (let i = 0; i < bytes.length; i += 0x8000) chunks.push(String.fromCharCode(...bytes.subarray(i, i + 0x8000)))
  return btoa(chunks.join(''))
}

/** Decodes one frame (1-based; omitted for single-frame instances) through the `wscache:` loader. */
export async function decodeInstance(bytes: ArrayBuffer, frame?: number): Promise<DecodedFrame> {
  await ready()
  const key = addInstance(bytes)
  const image = await imageLoader.loadImage(cachedImageId(key, frame))
  const pixels = image.getPixelData()
  const preScale = image.preScale
  const scaling = preScale?.scaled ? preScale.scalingParameters : undefined
  const { photometricInterpretation } = image.imageFrame ?? {}
  return {
    rows: image.rows,
    columns: image.columns,
    components: pixels.length / (image.rows * image.columns),
    photometricInterpretation: photometricInterpretation ?? '',
    dataType: pixels.constructor.name,
    rescale: scaling ? { slope: scaling.rescaleSlope ?? 1, intercept: scaling.rescaleIntercept ?? 0 } : null,
    pixelsBase64: base64Of(pixels),
  }
}

/** What the viewport's canvas shows: a failed decode still fires IMAGE_RENDERED, on a black canvas. */
export interface CanvasStats {
  width: number
  height: number
  /** Share of pixels brighter than near-black (luma above 16 of 255). */
  litFraction: number
  mean: number
  stdDev: number
}

function canvasStats(element: HTMLElement): CanvasStats {
  const canvas = element.querySelector('canvas')
  const context = canvas?.getContext('2d')
  if (!canvas || !context) throw new Error('the viewport has no 2D canvas to read')
  const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height)
  let lit = 0
  let sum = 0
  let sumOfSquares = 0
  for (let i = 0; i < data.length; i += 4) {
    const luma = (data[i]! + data[i + 1]! + data[i + 2]!) / 3
    if (luma > 16) lit++
    sum += luma
    sumOfSquares += luma * luma
  }
  const n = width * height
  const mean = sum / n
  return { width, height, litFraction: lit / n, mean, stdDev: Math.sqrt(Math.max(0, sumOfSquares / n - mean * mean)) }
}

export interface RenderOutcome {
  /** 'gpu' only when neither Cornerstone as a whole nor this viewport fell back to CPU rendering. */
  renderPath: 'gpu' | 'cpu'
  cpuRenderingEverywhere: boolean
  cpuRenderingInViewport: boolean
  /** The image on screen and its place in the stack (one image ID per frame). */
  imageId: string
  imageIndex: number
  stackSize: number
  imageRows: number
  imageColumns: number
  /** The display state the viewport chose: VOI window and inversion (MONOCHROME1 shows inverted). */
  voiRange: { lower: number; upper: number } | null
  invert: boolean
  zoom: number
  canvas: CanvasStats
}

/**
 * Shows one frame (1-based; omitted means the first) of an instance in a StackViewport on
 * `element` and resolves once it has been rendered. The viewport stays enabled for screenshots;
 * the returned function disables it.
 */
export async function renderInstance(element: HTMLDivElement, bytes: ArrayBuffer, numberOfFrames: number, frame = 1): Promise<{ outcome: RenderOutcome; dispose: () => void }> {
  await ready()
  const key = addInstance(bytes)
  const engine = new RenderingEngine(`decode-check-${key}`)
  const viewportId = `decode-check-viewport-${key}`
  try {
    engine.enableElement({ viewportId, element, type: Enums.ViewportType.STACK })
    const viewport = engine.getViewport(viewportId) as Types.IStackViewport
    await viewport.setStack(imageIdsForInstance(key, numberOfFrames), frame - 1)
    // fitted to the element as it is now, then rendered once more: the canvas is read after that render
    engine.resize(true, false)
    viewport.resetCamera()
    const rendered = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the viewport did not render within 30 s')), 30_000)
      element.addEventListener(
        Enums.Events.IMAGE_RENDERED,
        () => {
          clearTimeout(timer)
          resolve()
        },
        { once: true },
      )
    })
    viewport.render()
    await rendered
    // the StackViewport keeps its CPU flag private; it is the only record of the path this viewport took
    const cpuRenderingInViewport = (viewport as unknown as { useCPURendering?: boolean }).useCPURendering === true
    const cpuRenderingEverywhere = getShouldUseCPURendering()
    const imageId = viewport.getCurrentImageId()
    const image = cache.getImage(imageId)
    const { voiRange, invert } = viewport.getProperties()
    return {
      outcome: {
        renderPath: cpuRenderingEverywhere || cpuRenderingInViewport ? 'cpu' : 'gpu',
        cpuRenderingEverywhere,
        cpuRenderingInViewport,
        imageId,
        imageIndex: viewport.getCurrentImageIdIndex(),
        stackSize: viewport.getImageIds().length,
        imageRows: image?.rows ?? 0,
        imageColumns: image?.columns ?? 0,
        voiRange: voiRange ? { lower: voiRange.lower, upper: voiRange.upper } : null,
        invert: invert === true,
        zoom: viewport.getZoom(),
        canvas: canvasStats(element),
      },
      dispose: () => engine.destroy(),
    }
  } catch (error) {
    engine.destroy()
    throw error
  }
}
