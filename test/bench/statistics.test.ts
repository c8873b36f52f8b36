import { describe, expect, it } from 'vitest'
import { pairedRatio, summarise } from './statistics.ts'

describe('summarise', () => {
  it('gives the median (the mean of the middle two for an even count) and the nearest-rank 95th percentile', () => {
    expect(summarise([5, 1, 3])).toEqual({ median: 3, p95: 5, n: 3 })
    expect(summarise([4, 1, 3, 2])).toEqual({ median: 2.5, p95: 4, n: 4 })
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1)
    expect(summarise(hundred)).toEqual({ median: 50.5, p95: 95, n: 100 })
  })

  it('leaves out what is not a number, and says NaN for nothing', () => {
    expect(summarise([NaN, 2, Infinity])).toEqual({ median: 2, p95: 2, n: 1 })
    expect(summarise([])).toEqual({ median: NaN, p95: NaN, n: 0 })
  })
})

describe('pairedRatio', () => {
  it('summarises ours/peer pair by pair', () => {
    expect(pairedRatio([10, 20, 30], [100, 100, 60])).toEqual({ median: 0.2, p95: 0.5, n: 3 })
  })

  it('refuses runs that were not made in pairs', () => {
    expect(() => pairedRatio([1, 2], [1])).toThrow(/differ in number/)
  })
})
