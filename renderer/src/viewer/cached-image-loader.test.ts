import { beforeEach, describe, expect, it, vi } from 'vitest'

const prefetched: string[] = []
vi.mock('@cornerstonejs/core', () => ({ imageLoader: { registerImageLoader: vi.fn() } }))
vi.mock('@cornerstonejs/dicom-image-loader', () => ({
  prefetchPart10Instance: (imageId: string) => {
    prefetched.push(imageId)
    return Promise.resolve()
  },
  wadouri: {},
}))

const { ensureInstancesParsed, registerCachedImageLoader } = await import('./cached-image-loader.ts')

describe('ensureInstancesParsed', () => {
  beforeEach(() => {
    prefetched.length = 0
  })

  it('parses every instance once, a few at a time', async () => {
    let inFlight = 0
    let most = 0
    const reads: string[] = []
    registerCachedImageLoader(async (uid) => {
      reads.push(uid)
      most = Math.max(most, ++inFlight)
      await new Promise((resolve) => setTimeout(resolve, 1))
      inFlight--
      return new ArrayBuffer(8)
    })
    const uids = Array.from({ length: 40 }, (_, i) => `1.2.${i}`)
    await ensureInstancesParsed(uids)
    expect(prefetched).toEqual(uids.map((uid) => `wscache:${uid}`))
    expect(most).toBeGreaterThan(1)
    expect(most).toBeLessThanOrEqual(6)
    // parsed ones are not read again
    await ensureInstancesParsed(uids.slice(0, 5))
    expect(reads).toHaveLength(40)
  })

  it('rejects with the first failure, and reads a failed instance again next time', async () => {
    let fail = true
    registerCachedImageLoader(async (uid) => {
      if (uid === '9.9' && fail) throw new Error('not in the cache yet')
      return new ArrayBuffer(8)
    })
    await expect(ensureInstancesParsed(['9.8', '9.9', '9.10'])).rejects.toThrow('not in the cache yet')
    fail = false
    await expect(ensureInstancesParsed(['9.9'])).resolves.toBeUndefined()
    expect(prefetched).toContain('wscache:9.9')
  })

  it('stops when aborted', async () => {
    registerCachedImageLoader(async () => new ArrayBuffer(8))
    const abort = new AbortController()
    abort.abort(new Error('closed'))
    await expect(ensureInstancesParsed(['8.1', '8.2'], abort.signal)).rejects.toThrow('closed')
    expect(prefetched).toEqual([])
  })
})
