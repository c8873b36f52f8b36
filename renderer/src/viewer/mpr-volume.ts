/**
 * One series of the local cache as a Cornerstone streaming volume, for MPR. The volume is
 * sized from every slice's metadata, so the Part-10 headers are all parsed first; its images
 * are the same cached images the stack viewer shows, and it is removed again on request.
 */
import { cache, volumeLoader, type Types } from '@cornerstonejs/core'
import type { CachedInstance } from '../cache/workstation-db.ts'
import { imageIdsForInstance } from './cached-image-id.ts'
import { ensureInstancesParsed } from './cached-image-loader.ts'

/** The volume loader Cornerstone registers for image IDs of any scheme (the default one). */
const STREAMING_VOLUME_SCHEME = 'cornerstoneStreamingImageVolume'

const BYTES_PER_VOXEL: Record<string, number> = { Uint8Array: 1, Int8Array: 1, Uint16Array: 2, Int16Array: 2, Float32Array: 4, Float64Array: 8 }

let volumesCreated = 0

/** Thrown when a volume would not fit the decoded-image cache (it would evict itself while loading). */
export class VolumeTooLargeError extends Error {
  readonly volumeBytes: number
  readonly cacheBytes: number
  constructor(volumeBytes: number, cacheBytes: number) {
    super(`the volume needs ${Math.ceil(volumeBytes / 2 ** 20)} MB of decoded images, more than the ${Math.floor(cacheBytes / 2 ** 20)} MB image cache holds`)
    this.name = 'VolumeTooLargeError'
    this.volumeBytes = volumeBytes
    this.cacheBytes = cacheBytes
  }
}

/** Bytes the decoded volume occupies (its voxels; one image per slice). */
export function volumeByteLength(volume: Pick<Types.IImageVolume, 'dimensions' | 'dataType'>): number {
  const [x, y, z] = volume.dimensions
  return x * y * z * (BYTES_PER_VOXEL[volume.dataType ?? ''] ?? 4)
}

/**
 * Creates (but does not load) the volume of these instances, single-frame slices of one
 * series (checkVolume said so). The caller loads it and must call removeSeriesVolume.
 */
export async function createSeriesVolume(instances: readonly Pick<CachedInstance, 'sopInstanceUid' | 'numberOfFrames'>[], signal: AbortSignal): Promise<Types.IImageVolume> {
  const imageIds = instances.flatMap((i) => imageIdsForInstance(i.sopInstanceUid, i.numberOfFrames))
  await ensureInstancesParsed(
    instances.map((i) => i.sopInstanceUid),
    signal,
  )
  signal.throwIfAborted()
  const volumeId = `${STREAMING_VOLUME_SCHEME}:mpr-${++volumesCreated}`
  const volume = await volumeLoader.createAndCacheVolume(volumeId, { imageIds })
  const bytes = volumeByteLength(volume)
  if (signal.aborted || bytes > cache.getMaxCacheSize()) {
    removeSeriesVolume(volumeId)
    signal.throwIfAborted()
    throw new VolumeTooLargeError(bytes, cache.getMaxCacheSize())
  }
  return volume
}

/**
 * Removes the volume from Cornerstone's cache (its loading is cancelled and its texture freed).
 * Its slices stay in the bounded image cache, shared with the stack viewer, until evicted.
 */
export function removeSeriesVolume(volumeId: string): void {
  if (cache.getVolumeLoadObject(volumeId)) cache.removeVolumeLoadObject(volumeId)
}
