import { describe, expect, it } from 'vitest'
import { cachedImageId, frameOf, imageIdsForInstance, sopInstanceUidOf } from './cached-image-id.ts'

describe('cached image IDs', () => {
  it('round-trips a SOP Instance UID, with and without a frame', () => {
    expect(sopInstanceUidOf(cachedImageId('1.2.3.4'))).toBe('1.2.3.4')
    expect(cachedImageId('1.2.3.4', 7)).toBe('wscache:1.2.3.4?frame=7')
    expect(sopInstanceUidOf(cachedImageId('1.2.3.4', 7))).toBe('1.2.3.4')
  })

  it('gives one image ID per frame of a multi-frame instance, 1-based', () => {
    expect(imageIdsForInstance('9.8', 3)).toEqual(['wscache:9.8?frame=1', 'wscache:9.8?frame=2', 'wscache:9.8?frame=3'])
    expect(imageIdsForInstance('9.8', 1)).toEqual(['wscache:9.8'])
  })

  it('reads the frame back, and none for a single-frame instance', () => {
    expect(frameOf(cachedImageId('1.2.3', 12))).toBe(12)
    expect(frameOf(cachedImageId('1.2.3'))).toBeUndefined()
  })

  it('refuses image IDs of another scheme', () => {
    expect(() => sopInstanceUidOf('wadouri:http://x/1.2')).toThrow(/not a cached image ID/)
  })
})
