import { describe, expect, it } from 'vitest'
import { InstanceJsonCache } from './instance-json-cache.ts'

describe('instance JSON cache', () => {
  it('keys entries by SOP Instance UID and file hash, so a re-imported file is built again', () => {
    const cache = new InstanceJsonCache()
    cache.set('1.2.3', 'hash-a', '{"a":1}')
    expect(cache.get('1.2.3', 'hash-a')).toBe('{"a":1}')
    expect(cache.get('1.2.3', 'hash-b')).toBeUndefined()
    expect(cache.get('1.2.4', 'hash-a')).toBeUndefined()
  })

  it('drops the least recently used entries beyond its size, and never keeps one larger than it', () => {
    const cache = new InstanceJsonCache(30)
    cache.set('1', 'h', 'x'.repeat(10))
    cache.set('2', 'h', 'y'.repeat(10))
    cache.set('3', 'h', 'z'.repeat(10))
    expect(cache.get('1', 'h')).toBeDefined() // now the most recently used
    cache.set('4', 'h', 'w'.repeat(10))
    expect(cache.get('2', 'h')).toBeUndefined()
    expect(cache.get('1', 'h')).toBeDefined()
    expect(cache.get('3', 'h')).toBeDefined()
    expect(cache.size).toBe(30)
    cache.set('5', 'h', 'v'.repeat(31))
    expect(cache.get('5', 'h')).toBeUndefined()
    expect(cache.size).toBe(30)
  })
})
