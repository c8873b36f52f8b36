import { Enums as MetadataEnums, utilities as metadataUtilities } from '@cornerstonejs/metadata'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { InstanceParseOutcome } from './instance-parse.ts'
import type { InstanceParsePool } from './instance-parse-pool.ts'

const registered = vi.hoisted(() => ({ loader: undefined as undefined | ((imageId: string) => { promise: Promise<unknown> }) }))
const decode = vi.hoisted(() => ({ result: (): Promise<unknown> => Promise.resolve({ imageId: 'decoded' }) }))
vi.mock('@cornerstonejs/core', () => ({
  imageLoader: {
    registerImageLoader: (_scheme: string, loader: (imageId: string) => { promise: Promise<unknown> }) => {
      registered.loader = loader
    },
  },
}))
vi.mock('@cornerstonejs/dicom-image-loader', () => ({ wadouri: { loadImageFromNaturalizedMetadata: () => ({ promise: decode.result() }) } }))

const { ensureInstancesParsed, registerCachedImageLoader } = await import('./cached-image-loader.ts')
const { replaceParseWorkers } = await import('./parse-workers.ts')
const { resetVerdicts, useInstanceVerdicts } = await import('./instance-verdicts.ts')

const IMAGE: InstanceParseOutcome = { kind: 'image', transferSyntaxUid: '1.2.840.10008.1.2.4.80', frames: 1, naturalized: { Rows: 2 } }
/** A pool that answers from a table (image by default) and counts what it was given. */
function fakePool(answers: Record<string, InstanceParseOutcome> = {}) {
  const runs: string[] = []
  const pool: InstanceParsePool = {
    run: async (part10) => {
      const uid = new TextDecoder().decode(part10)
      runs.push(uid)
      return answers[uid] ?? IMAGE
    },
    dispose: () => undefined,
  }
  replaceParseWorkers(pool)
  return runs
}
const bytesOf = (uid: string) => new TextEncoder().encode(uid).buffer as ArrayBuffer
const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('ensureInstancesParsed', () => {
  beforeEach(() => {
    resetVerdicts()
    decode.result = () => Promise.resolve({ imageId: 'decoded' })
  })

  it('parses every instance once, in a worker, a few at a time, and hands the result to the metadata provider', async () => {
    const parsedInWorker = fakePool()
    let inFlight = 0
    let most = 0
    const reads: string[] = []
    registerCachedImageLoader(async (uid) => {
      reads.push(uid)
      most = Math.max(most, ++inFlight)
      await new Promise((resolve) => setTimeout(resolve, 1))
      inFlight--
      return bytesOf(uid)
    })
    const uids = Array.from({ length: 40 }, (_, i) => `1.2.${i}`)
    await ensureInstancesParsed(uids)
    expect(parsedInWorker).toEqual(uids)
    expect(metadataUtilities.getCacheData(MetadataEnums.MetadataModules.NATURALIZED, 'wscache:1.2.7')).toEqual({ Rows: 2 })
    expect(most).toBeGreaterThan(1)
    expect(most).toBeLessThanOrEqual(6)
    // parsed ones are not read again
    await ensureInstancesParsed(uids.slice(0, 5))
    expect(reads).toHaveLength(40)
  })

  it('rejects with the first failure, and reads a failed instance again next time', async () => {
    fakePool()
    let fail = true
    registerCachedImageLoader(async (uid) => {
      if (uid === '9.9' && fail) throw new Error('not in the cache yet')
      return bytesOf(uid)
    })
    await expect(ensureInstancesParsed(['9.8', '9.9', '9.10'])).rejects.toThrow('not in the cache yet')
    fail = false
    await expect(ensureInstancesParsed(['9.9'])).resolves.toBeUndefined()
  })

  it('rejects a refused or non-image instance with a typed error and records why', async () => {
    fakePool({
      '7.1': { kind: 'rejected', code: 'length-out-of-bounds', reason: '(7FE0,0010) declares 3,221,225,472 bytes' },
      '7.2': { kind: 'non-image', sopClassUid: '1.2.840.10008.5.1.4.1.1.88.59' },
    })
    registerCachedImageLoader(async (uid) => bytesOf(uid))
    await expect(ensureInstancesParsed(['7.1'])).rejects.toMatchObject({ name: 'DicomSafetyError', code: 'length-out-of-bounds', message: '(7FE0,0010) declares 3,221,225,472 bytes' })
    await expect(ensureInstancesParsed(['7.2'])).rejects.toMatchObject({ code: 'non-image' })
    await settle()
    expect(useInstanceVerdicts.getState().problems).toEqual({
      '7.1': { kind: 'rejected', code: 'length-out-of-bounds', reason: '(7FE0,0010) declares 3,221,225,472 bytes', skip: true },
      '7.2': { kind: 'non-image' },
    })
  })

  it('stops when aborted', async () => {
    const parsedInWorker = fakePool()
    registerCachedImageLoader(async (uid) => bytesOf(uid))
    const abort = new AbortController()
    abort.abort(new Error('closed'))
    await expect(ensureInstancesParsed(['8.1', '8.2'], abort.signal)).rejects.toThrow('closed')
    expect(parsedInWorker).toEqual([])
  })
})

describe('the wscache: image loader', () => {
  beforeEach(() => {
    resetVerdicts()
  })

  it('loads an image once its instance is parsed', async () => {
    fakePool()
    registerCachedImageLoader(async (uid) => bytesOf(uid))
    decode.result = () => Promise.resolve({ imageId: 'wscache:5.1' })
    await expect(registered.loader!('wscache:5.1').promise).resolves.toEqual({ imageId: 'wscache:5.1' })
  })

  it('turns whatever the decoder throws into a typed decode-failed error, marked but not skipped', async () => {
    fakePool()
    registerCachedImageLoader(async (uid) => bytesOf(uid))
    decode.result = () => Promise.reject(342176)
    await expect(registered.loader!('wscache:5.2?frame=3').promise).rejects.toMatchObject({
      name: 'DicomSafetyError',
      code: 'decode-failed',
      message: 'image 5.2 frame 3 (JPEG-LS Lossless (1.2.840.10008.1.2.4.80)) could not be decoded: the codec aborted (native exception 342176)',
    })
    await settle()
    expect(useInstanceVerdicts.getState().problems['5.2']).toMatchObject({ kind: 'rejected', code: 'decode-failed', skip: false })
  })
})
