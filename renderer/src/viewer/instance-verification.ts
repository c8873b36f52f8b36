/**
 * Checks every instance of an opened study in the background, so that the series browser can
 * mark a bad instance (and the viewer leave it out) before the reader scrolls to it. The
 * check runs in the parse workers behind the images the reader is waiting for; instances
 * already checked (by an earlier pass or by the image loader) are not read again.
 */
import type { InstanceBytesReader } from './cached-image-loader.ts'
import { problemOf, recordVerdict, wasChecked } from './instance-verdicts.ts'
import { parseWorkers } from './parse-workers.ts'

/** Instances read from the cache at once for checking: the images on screen come first. */
const LANES = 2

/** Checks these instances (in this order) until done or aborted; never rejects. */
export async function verifyInstances(sopInstanceUids: readonly string[], read: InstanceBytesReader, signal: AbortSignal): Promise<void> {
  let next = 0
  const lane = async () => {
    while (next < sopInstanceUids.length && !signal.aborted) {
      const uid = sopInstanceUids[next++]!
      if (wasChecked(uid)) continue
      let bytes: ArrayBuffer
      try {
        bytes = await read(uid)
      } catch {
        // not in the cache (yet): the image loader checks it when it is shown
        continue
      }
      if (signal.aborted || wasChecked(uid)) continue
      try {
        recordVerdict(uid, problemOf(await parseWorkers().run(bytes, 'verify', 'background', signal)))
      } catch {
        // aborted (the study was closed) or the workers were stopped
        return
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(LANES, sopInstanceUids.length) }, lane))
}
