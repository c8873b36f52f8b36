import { describe, expect, it } from 'vitest'
import { groupFragmentsIntoFrames } from './fragmented-frames.ts'

const JPEG_BASELINE = '1.2.840.10008.1.2.4.50'
const JPEG_2000 = '1.2.840.10008.1.2.4.91'
const RLE = '1.2.840.10008.1.2.5'

const jpegStart = (tail: number) => new Uint8Array([0xff, 0xd8, 0xff, 0xe0, tail])
const j2kStart = (tail: number) => new Uint8Array([0xff, 0x4f, 0xff, 0x51, tail])
const continuation = (tail: number) => new Uint8Array([0xb1, 0x4e, 0x2a, tail])

describe('groupFragmentsIntoFrames', () => {
  it('groups JPEG fragments at each start-of-image marker (a cine in 8 kB fragments, no offset table)', () => {
    const fragments = [jpegStart(1), continuation(2), continuation(3), jpegStart(4), continuation(5), jpegStart(6)]
    expect(groupFragmentsIntoFrames(fragments, 3, JPEG_BASELINE)).toEqual([[fragments[0], fragments[1], fragments[2]], [fragments[3], fragments[4]], [fragments[5]]])
  })

  it('groups JPEG 2000 fragments at each start of codestream', () => {
    const fragments = [j2kStart(1), continuation(2), j2kStart(3), continuation(4)]
    expect(groupFragmentsIntoFrames(fragments, 2, JPEG_2000)).toEqual([[fragments[0], fragments[1]], [fragments[2], fragments[3]]])
  })

  it('gives a single-frame instance all of its fragments', () => {
    const fragments = [jpegStart(1), continuation(2), continuation(3)]
    expect(groupFragmentsIntoFrames(fragments, 1, JPEG_BASELINE)).toEqual([fragments])
  })

  it('refuses to guess when the markers do not number the frames', () => {
    // a continuation fragment that happens to begin with FFD8 would split a frame in two
    expect(groupFragmentsIntoFrames([jpegStart(1), jpegStart(2), continuation(3)], 3, JPEG_BASELINE)).toBeUndefined()
    expect(groupFragmentsIntoFrames([continuation(1), jpegStart(2)], 2, JPEG_BASELINE)).toBeUndefined()
    // RLE frames never span fragments; an unknown syntax has no marker to go by
    expect(groupFragmentsIntoFrames([continuation(1), continuation(2), continuation(3)], 2, RLE)).toBeUndefined()
  })
})
