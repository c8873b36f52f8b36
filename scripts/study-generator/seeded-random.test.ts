import { describe, expect, it } from 'vitest'
import { createSeededRandom, pickWeighted } from './seeded-random.ts'

describe('createSeededRandom', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const take = (seed: string) => {
      const random = createSeededRandom(seed)
      return Array.from({ length: 5 }, random)
    }
    expect(take('a')).toEqual(take('a'))
    expect(take('a')).not.toEqual(take('b'))
  })

  it('spreads over [0, 1)', () => {
    const random = createSeededRandom('spread')
    const values = Array.from({ length: 10_000 }, random)
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...values)).toBeLessThan(1)
    const mean = values.reduce((sum, v) => sum + v, 0) / values.length
    expect(mean).toBeGreaterThan(0.48)
    expect(mean).toBeLessThan(0.52)
  })

  it('picks by weight', () => {
    const random = createSeededRandom('weights')
    const picks = Array.from({ length: 10_000 }, () => pickWeighted(random, [['rare', 1], ['common', 9]] as const))
    const rare = picks.filter((p) => p === 'rare').length
    expect(rare).toBeGreaterThan(800)
    expect(rare).toBeLessThan(1200)
  })
})
