/**
 * Image IDs for instances in the workstation's local cache: `wscache:<SOP Instance UID>`,
 * or `wscache:<SOP Instance UID>?frame=N` for frame N (1-based) of a multi-frame instance.
 */

export const CACHE_SCHEME = 'wscache'

/** The image ID of a cached instance, or of one frame (1-based) of it. */
export function cachedImageId(sopInstanceUid: string, frame?: number): string {
  return frame === undefined ? `${CACHE_SCHEME}:${sopInstanceUid}` : `${CACHE_SCHEME}:${sopInstanceUid}?frame=${frame}`
}

/** The SOP Instance UID an image ID of this scheme refers to; throws for another scheme. */
export function sopInstanceUidOf(imageId: string): string {
  if (!imageId.startsWith(`${CACHE_SCHEME}:`)) throw new Error(`not a cached image ID: ${imageId}`)
  const withoutScheme = imageId.slice(CACHE_SCHEME.length + 1)
  const query = withoutScheme.indexOf('?')
  return query === -1 ? withoutScheme : withoutScheme.slice(0, query)
}

/** The frame (1-based) an image ID of this scheme names, or undefined for a single-frame instance. */
export function frameOf(imageId: string): number | undefined {
  const match = /\?frame=(\d+)$/.exec(imageId)
  return match ? Number(match[1]) : undefined
}

/** The image IDs to stack for one instance: one per frame. */
export function imageIdsForInstance(sopInstanceUid: string, numberOfFrames: number): string[] {
  return numberOfFrames > 1 ? Array.from({ length: numberOfFrames }, (_, f) => cachedImageId(sopInstanceUid, f + 1)) : [cachedImageId(sopInstanceUid)]
}
