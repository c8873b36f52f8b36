/**
 * An image loader for instances in the workstation's local cache (image IDs from
 * cached-image-id.ts). Bytes come from IndexedDB, never from the network.
 */
import { imageLoader } from '@cornerstonejs/core'
import { prefetchPart10Instance, wadouri } from '@cornerstonejs/dicom-image-loader'
import { CACHE_SCHEME, cachedImageId, sopInstanceUidOf } from './cached-image-id.ts'

export type InstanceBytesReader = (sopInstanceUid: string) => Promise<ArrayBuffer>

/** Registers the loader; `read` is the only way it reaches the cache. */
export function registerCachedImageLoader(read: InstanceBytesReader): void {
  const parsed = new Map<string, Promise<void>>()

  function ensureParsed(sopInstanceUid: string): Promise<void> {
    let ready = parsed.get(sopInstanceUid)
    if (!ready) {
      ready = read(sopInstanceUid).then((bytes) => prefetchPart10Instance(cachedImageId(sopInstanceUid), bytes)).then(() => undefined)
      // a failed read may succeed later (the instance may still be arriving): do not remember it
      ready.catch(() => parsed.delete(sopInstanceUid))
      parsed.set(sopInstanceUid, ready)
    }
    return ready
  }

  imageLoader.registerImageLoader(CACHE_SCHEME, (imageId: string) => {
    const promise = ensureParsed(sopInstanceUidOf(imageId)).then(() => wadouri.loadImageFromNaturalizedMetadata(imageId).promise)
    return { promise }
  })
}
