/**
 * An image loader for instances in the workstation's local cache (image IDs from
 * cached-image-id.ts). Bytes come from IndexedDB, never from the network.
 */
import { imageLoader } from '@cornerstonejs/core'
import { prefetchPart10Instance, wadouri } from '@cornerstonejs/dicom-image-loader'
import { utilities as metadataUtilities } from '@cornerstonejs/metadata'
import { CACHE_SCHEME, cachedImageId, sopInstanceUidOf } from './cached-image-id.ts'
import { inflateDeflatedPart10 } from './inflate-part10.ts'

export type InstanceBytesReader = (sopInstanceUid: string) => Promise<ArrayBuffer>

/** Instances read at once when many are parsed ahead (a volume): enough to keep IndexedDB busy, few enough to bound memory in flight. */
const PARSE_CONCURRENCY = 6

/** Parses one instance's Part-10 bytes into the metadata provider; set once the loader is registered. */
let ensureParsed: ((sopInstanceUid: string) => Promise<void>) | undefined

/** The instances parsed so far (their Part-10 bytes are held by the metadata provider). */
const parsed = new Map<string, Promise<void>>()
/** Advanced when everything parsed is forgotten: a read that started before must not put its file back. */
let generation = 0

/** Registers the loader; `read` is the only way it reaches the cache. */
export function registerCachedImageLoader(read: InstanceBytesReader): void {

  ensureParsed = (sopInstanceUid: string): Promise<void> => {
    let ready = parsed.get(sopInstanceUid)
    if (!ready) {
      const started = generation
      ready = read(sopInstanceUid)
        // Cornerstone's Part-10 reader cannot read a deflated data set: it is inflated first
        .then(inflateDeflatedPart10)
        .then((bytes) => {
          if (started !== generation) throw new Error('the study was closed while this image was read')
          return prefetchPart10Instance(cachedImageId(sopInstanceUid), bytes)
        })
        .then(() => undefined)
      // a failed read may succeed later (the instance may still be arriving): do not remember it
      ready.catch(() => parsed.delete(sopInstanceUid))
      parsed.set(sopInstanceUid, ready)
    }
    return ready
  }
  const parse = ensureParsed

  imageLoader.registerImageLoader(CACHE_SCHEME, (imageId: string) => {
    const promise = parse(sopInstanceUidOf(imageId)).then(() => wadouri.loadImageFromNaturalizedMetadata(imageId).promise)
    return { promise }
  })
}

/**
 * Parses the Part-10 headers of these instances ahead of loading their pixels, so that their
 * metadata (geometry, pixel format) is known at once — a volume is sized from every slice's
 * metadata before a single image is decoded. Rejects with the first failure.
 */
export async function ensureInstancesParsed(sopInstanceUids: readonly string[], signal?: AbortSignal): Promise<void> {
  const parse = ensureParsed
  if (!parse) throw new Error('the cached image loader is not registered (Cornerstone is not set up)')
  let next = 0
  const worker = async () => {
    while (next < sopInstanceUids.length) {
      signal?.throwIfAborted()
      await parse(sopInstanceUids[next++]!)
    }
  }
  await Promise.all(Array.from({ length: Math.min(PARSE_CONCURRENCY, sopInstanceUids.length) }, worker))
}

/**
 * Forgets every parsed instance: the metadata provider holds each one's whole Part-10 file
 * (about 0.5 MB a CT slice, outside the bounded decoded-image cache), so a closed study must
 * not leave them behind. A later load reads and parses again from the local cache.
 */
export function forgetParsedInstances(): void {
  generation++
  parsed.clear()
  metadataUtilities.clearCacheData()
}
