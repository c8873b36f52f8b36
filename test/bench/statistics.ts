/** Median and 95th percentile of a set of measurements. */
export function summarise(values: readonly number[]): { median: number; p95: number; n: number } {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN
  return { median: at(0.5), p95: at(0.95), n: sorted.length }
}
