/**
 * An image loader for instances in the workstation's local cache (image IDs from
 * cached-image-id.ts). Bytes come from IndexedDB, never from the network.
 *
 * The bytes are untrusted: a parse worker checks them (shared/dicom-safety.ts) and reads them
 * into the naturalized data set Cornerstone's metadata provider holds; the UI thread never
 * parses them itself. A refused instance, a worker that overruns its budget and a decode that
 * fails all end as a DicomSafetyError with a code and a message, and are recorded for the
 * series browser.
 */
import { imageLoader } from '@cornerstonejs/core'
import { wadouri } from '@cornerstonejs/dicom-image-loader'
import { Enums as MetadataEnums, utilities as metadataUtilities } from '@cornerstonejs/metadata'
import { DicomSafetyError } from '../../../shared/dicom-safety-error.ts'
import { transferSyntaxLabel } from '../../../shared/dicom-safety-transfer-syntax.ts'
import { CACHE_SCHEME, cachedImageId, frameOf, sopInstanceUidOf } from './cached-image-id.ts'
import { guardDecode } from './decode-guard.ts'
import { problemOf, recordVerdict } from './instance-verdicts.ts'
import { parseWorkers } from './parse-workers.ts'

export type InstanceBytesReader = (sopInstanceUid: string) => Promise<ArrayBuffer>

/** Instances read at once when many are parsed ahead (a volume): enough to keep IndexedDB busy, few enough to bound memory in flight. */
const PARSE_CONCURRENCY = 6

/** Parses one instance's Part-10 bytes into the metadata provider; set once the loader is registered. */
let ensureParsed: ((sopInstanceUid: string) => Promise<void>) | undefined

/** The instances parsed so far (their naturalized data sets are held by the metadata provider), with their transfer syntax. */
const parsed = new Map<string, Promise<string>>()
/** Advanced when everything parsed is forgotten: a read that started before must not put its file back. */
let generation = 0

/** Registers the loader; `read` is the only way it reaches the cache. */
export function registerCachedImageLoader(read: InstanceBytesReader): void {
  ensureParsed = (sopInstanceUid: string): Promise<void> => {
    let ready = parsed.get(sopInstanceUid)
    if (!ready) {
      const started = generation
      ready = read(sopInstanceUid)
        .then((bytes) => parseWorkers().run(bytes, 'parse', 'view'))
        .then((outcome) => {
          recordVerdict(sopInstanceUid, problemOf(outcome))
          if (outcome.kind === 'rejected') throw new DicomSafetyError(outcome.code, outcome.reason)
          if (outcome.kind === 'non-image') throw new DicomSafetyError('non-image', `instance ${sopInstanceUid} holds no image (SOP class ${outcome.sopClassUid})`)
          if (started !== generation) throw new Error('the study was closed while this image was read')
          metadataUtilities.setCacheData(MetadataEnums.MetadataModules.NATURALIZED, cachedImageId(sopInstanceUid), outcome.naturalized)
          return outcome.transferSyntaxUid
        })
      // a failed read may succeed later (the instance may still be arriving): do not remember it
      ready.catch(() => parsed.delete(sopInstanceUid))
      parsed.set(sopInstanceUid, ready)
    }
    return ready.then(() => undefined)
  }
  const parse = ensureParsed

  imageLoader.registerImageLoader(CACHE_SCHEME, (imageId: string) => {
    const sopInstanceUid = sopInstanceUidOf(imageId)
    const frame = frameOf(imageId)
    const promise = parse(sopInstanceUid).then(async () => {
      const what = `image ${sopInstanceUid}${frame !== undefined ? ` frame ${frame}` : ''} (${transferSyntaxLabel((await parsed.get(sopInstanceUid)) ?? '')})`
      try {
        return await guardDecode(wadouri.loadImageFromNaturalizedMetadata(imageId).promise, what)
      } catch (error) {
        // marked in the series browser; the stack on screen keeps it (dropping it would move the reader)
        if (error instanceof DicomSafetyError && error.code === 'decode-failed') recordVerdict(sopInstanceUid, { kind: 'rejected', code: error.code, reason: error.message, skip: false })
        throw error
      }
    })
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
 * Forgets every parsed instance: the metadata provider holds each one's naturalized data set
 * (about 0.5 MB a CT slice, outside the bounded decoded-image cache), so a closed study must
 * not leave them behind. A later load reads and parses again from the local cache.
 */
export function forgetParsedInstances(): void {
  generation++
  parsed.clear()
  metadataUtilities.clearCacheData()
}
