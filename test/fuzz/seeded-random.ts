/** A small seeded PRNG (mulberry32): the same seed gives the same fuzz case on every machine. */

export interface Random {
  /** A float in [0, 1). */
  next(): number
  /** An integer in [min, max] (both included). */
  int(min: number, max: number): number
  uint32(): number
  pick<T>(items: readonly T[]): T
  chance(probability: number): boolean
}

export function seededRandom(seed: number): Random {
  let state = seed >>> 0
  const uint32 = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (t ^ (t >>> 14)) >>> 0
  }
  const next = () => uint32() / 2 ** 32
  return {
    next,
    uint32,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (probability) => next() < probability,
  }
}

/** The seed of case `index` of a run: spread out so neighbouring cases share nothing. */
export function caseSeed(runSeed: number, index: number): number {
  return seededRandom((runSeed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0).uint32()
}
