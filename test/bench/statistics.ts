/** The statistics every figure is reported with: median and 95th percentile, and ratios of paired runs. */

export interface Summary {
  median: number
  p95: number
  n: number
}

/** Median and 95th percentile (nearest rank) of a set of measurements; NaN for none. */
export function summarise(values: readonly number[]): Summary {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b)
  const rank = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN
  const middle = sorted.length / 2
  const median = sorted.length === 0 ? NaN : sorted.length % 2 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2
  return { median, p95: rank(0.95), n: sorted.length }
}

/**
 * The ratio ours/peer of runs made in pairs (one of each, back to back, alternating which goes
 * first, so that drift of the machine weighs on both alike): the summary of the per-pair ratios.
 */
export function pairedRatio(ours: readonly number[], peer: readonly number[]): Summary {
  if (ours.length !== peer.length) throw new Error(`paired runs differ in number: ${ours.length} ours, ${peer.length} peer`)
  return summarise(ours.map((value, i) => value / peer[i]!))
}
