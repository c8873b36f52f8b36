import { describe, expect, it } from 'vitest'
import { isValidUid } from './data-element.ts'
import { createUidGenerator, nameBasedUuid, uidFromName, uuidToUid } from './uid-generator.ts'

describe('uid-generator', () => {
  it('computes RFC 9562 version-5 UUIDs', () => {
    // RFC 9562 appendix A.4: "www.example.com" in the DNS namespace.
    const uuid = nameBasedUuid('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')
    expect(Buffer.from(uuid).toString('hex')).toBe('2ed6657de927568b95e12665a8aea6a2')
  })

  it('turns a UUID into its 2.25 UID as one decimal integer (PS3.5 B.2)', () => {
    // The example of PS3.5 B.2.
    const uuid = Buffer.from('f81d4fae7dec11d0a76500a0c91e6bf6', 'hex')
    expect(uuidToUid(uuid)).toBe('2.25.329800735698586629295641978511506172918')
  })

  it('gives valid UIDs of at most 64 characters without leading zeros', () => {
    const uid = createUidGenerator('1')
    for (let index = 0; index < 2000; index++) {
      const value = uid(`instance/${index}`)
      expect(isValidUid(value), value).toBe(true)
      expect(value.length).toBeLessThanOrEqual(44)
    }
  })

  it('is a function of seed and name only', () => {
    expect(createUidGenerator('1')('study')).toBe(createUidGenerator('1')('study'))
    expect(createUidGenerator('1')('study')).not.toBe(createUidGenerator('2')('study'))
    expect(createUidGenerator('1')('study')).not.toBe(createUidGenerator('1')('series'))
    expect(uidFromName('a')).toBe(uidFromName('a'))
  })
})
