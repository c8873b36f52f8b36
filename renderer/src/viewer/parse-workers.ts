/**
 * The viewer's parse workers, created on first use and shared by the image loader and the
 * background check of an opened study.
 */
import { createInstanceParsePool, defaultParseBudgetMs, type InstanceParsePool, type ParseWorker } from './instance-parse-pool.ts'

/** Two workers: one for the image on screen while the other checks ahead. */
const WORKERS = 2
/** Bytes handed to the workers at once; naturalizing roughly doubles them for a while. */
const MAX_BYTES_IN_FLIGHT = 512 * 1024 ** 2

let pool: InstanceParsePool | undefined

export function parseWorkers(): InstanceParsePool {
  pool ??= createInstanceParsePool({
    createWorker: () => new Worker(new URL('./instance-parse.worker.ts', import.meta.url), { type: 'module', name: 'instance-parse' }) as unknown as ParseWorker,
    workers: WORKERS,
    budgetMs: defaultParseBudgetMs,
    maxBytesInFlight: MAX_BYTES_IN_FLIGHT,
  })
  return pool
}

/** Puts another pool in place (tests, where there is no Worker). */
export function replaceParseWorkers(replacement: InstanceParsePool): void {
  pool?.dispose()
  pool = replacement
}
