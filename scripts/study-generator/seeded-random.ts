/**
 * A deterministic pseudo-random number generator for generated data: the same seed gives the
 * same sequence on every machine (sfc32, seeded from the SHA-256 of the seed text).
 */
import { createHash } from 'node:crypto'

/** Numbers in [0, 1), from the seed alone. */
export function createSeededRandom(seed: string): () => number {
  const digest = createHash('sha256').update(seed, 'utf8').digest()
  let [a, b, c, d] = [0, 4, 8, 12].map((offset) => digest.readUInt32LE(offset)) as [number, number, number, number]
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return (t >>> 0) / 4294967296
  }
  // the first outputs still carry the seed's structure
  for (let i = 0; i < 12; i++) next()
  return next
}

/** One of `choices`, each with its weight. */
export function pickWeighted<T>(random: () => number, choices: readonly (readonly [T, number])[]): T {
  const total = choices.reduce((sum, [, weight]) => sum + weight, 0)
  let at = random() * total
  for (const [value, weight] of choices) {
    at -= weight
    if (at < 0) return value
  }
  return choices[choices.length - 1]![0]
}
