/**
 * The fuzz test's worker thread: holds the corpus, makes each case from (index, seed), runs it
 * and reports. It runs apart from the test so that the test can stop it when a case hangs and
 * so that its memory is its own (and bounded by the worker's resource limits).
 */
import { runInNewContext } from 'node:vm'
import v8 from 'node:v8'
import { parentPort, workerData } from 'node:worker_threads'
import { runPipeline, type PipelineResult } from './fuzz-case.ts'
import { prepareSource, type FuzzSource } from './fuzz-source.ts'
import { mutate, pickMutation, prepareDeflateBombs, type MutationKind } from './mutations.ts'
import { setUpNodeDecode } from './node-decode.ts'
import { seededRandom } from './seeded-random.ts'
import { loadSharedCorpus } from './shared-corpus.ts'

export type FuzzRequest = { type: 'case'; index: number; seed: number } | { type: 'file'; name: string; bytes: Uint8Array; limitMs: number } | { type: 'memory' }

export interface SourceBaseline {
  name: string
  /** The unmutated file's time through the pipeline (warm). */
  cleanMs: number
  cleanOutcome: string
}

export interface CaseReport extends PipelineResult {
  index: number
  seed: number
  source: string
  mutation: MutationKind | 'regression'
  description: string
  totalMs: number
  /** The case's limit: 1 s, or more for a source whose clean decode alone takes longer. */
  limitMs: number
  /** It was over its limit and was timed again (the fastest time is reported). */
  retimed?: boolean
  /** How much slower the machine was then than at its fastest (the limit is scaled by it). */
  loadFactor?: number
  /** Only for a failure: the bytes, to keep as a regression file. */
  bytes?: Uint8Array
}

export type FuzzReply =
  | { type: 'ready'; baselines: SourceBaseline[] }
  | { type: 'result'; report: CaseReport }
  | { type: 'memory'; heapAfterGc: number }
  | { type: 'uncaught'; detail: string }

/** Every case may take 1 s; a source whose clean pass alone takes longer gets 2.5 times its clean time. */
export const CASE_LIMIT_MS = 1_000
const limitFor = (cleanMs: number) => Math.max(CASE_LIMIT_MS, Math.ceil(cleanMs * 2.5))

const port = parentPort!
v8.setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

// codecs print progress on stdout; the test reads none of it
console.log = () => undefined
console.info = () => undefined
console.warn = () => undefined

// anything thrown outside a case's promise chain is a failure of the current case, reported as such
process.on('uncaughtException', (error) => port.postMessage({ type: 'uncaught', detail: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies FuzzReply))
process.on('unhandledRejection', (reason) => port.postMessage({ type: 'uncaught', detail: `unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}` } satisfies FuzzReply))

const heapAfterGc = () => {
  gc()
  const stats = v8.getHeapStatistics() as ReturnType<typeof v8.getHeapStatistics> & { external_memory?: number }
  return stats.used_heap_size + (stats.external_memory ?? 0)
}

/** What the worker is for: fuzz cases (the corpus, with each file's clean time), or only files (regressions). */
export interface FuzzWorkerData {
  cases: boolean
}

/** A fixed piece of work (a 512 × 512 JPEG 2000 CT slice: check, read, decode): how fast the machine is now. */
let probeFile: Uint8Array | undefined
let fastestProbeMs = Infinity
async function probeMs(): Promise<number> {
  let best = Infinity
  for (let i = 0; i < 3; i++) {
    const result = await runPipeline(probeFile!, 60_000)
    best = Math.min(best, result.parseMs + result.decodeMs)
  }
  fastestProbeMs = Math.min(fastestProbeMs, best)
  return best
}
async function machineLoadFactor(): Promise<number> {
  return Math.max(1, (await probeMs()) / fastestProbeMs)
}

async function start(): Promise<{ sources: FuzzSource[]; limits: Map<string, number> }> {
  await setUpNodeDecode()
  const baselines: SourceBaseline[] = []
  const limits = new Map<string, number>()
  if (!(workerData as FuzzWorkerData).cases) {
    port.postMessage({ type: 'ready', baselines } satisfies FuzzReply)
    return { sources: [], limits }
  }
  prepareDeflateBombs()
  const sources = loadSharedCorpus().map((file) => prepareSource(file.name, file.bytes))
  probeFile = sources.find((s) => s.name.endsWith('CT1_J2KI'))?.bytes ?? sources[0]!.bytes
  await probeMs()
  for (const source of sources) {
    // the first pass also loads the codecs; the faster of two more is the clean time (a moment of
    // load from other processes must not raise a limit)
    await runPipeline(source.bytes, 60_000)
    const runs = [await runPipeline(source.bytes, 60_000), await runPipeline(source.bytes, 60_000)]
    const clean = runs.reduce((a, b) => (a.parseMs + a.decodeMs <= b.parseMs + b.decodeMs ? a : b))
    const cleanMs = clean.parseMs + clean.decodeMs
    baselines.push({ name: source.name, cleanMs, cleanOutcome: clean.code ? `${clean.outcome}:${clean.code}` : clean.outcome })
    limits.set(source.name, limitFor(cleanMs))
  }
  heapAfterGc()
  port.postMessage({ type: 'ready', baselines } satisfies FuzzReply)
  return { sources, limits }
}

const ready = start()

port.on('message', (request: FuzzRequest) => {
  void ready.then(async ({ sources, limits }) => {
    if (request.type === 'memory') {
      port.postMessage({ type: 'memory', heapAfterGc: heapAfterGc() } satisfies FuzzReply)
      return
    }
    if (request.type === 'file') {
      const result = await runPipeline(request.bytes, request.limitMs)
      const report: CaseReport = { ...result, index: -1, seed: 0, source: request.name, mutation: 'regression', description: 'regression file', totalMs: result.parseMs + result.decodeMs, limitMs: request.limitMs }
      port.postMessage({ type: 'result', report } satisfies FuzzReply)
      return
    }
    const random = seededRandom(request.seed)
    const source = sources[random.int(0, sources.length - 1)]!
    const mutation = mutate(source, pickMutation(random), random)
    const limitMs = limits.get(source.name) ?? CASE_LIMIT_MS
    let result = await runPipeline(mutation.bytes, limitMs)
    let retimed = false
    let loadFactor = 1
    // over its limit: timed up to twice more, and the machine's speed probed, so that load from
    // other processes is not taken for a slow case (a slow case is slow every time, on a fast machine)
    for (let attempt = 0; attempt < 2 && result.parseMs + result.decodeMs > limitMs * loadFactor; attempt++) {
      const again = await runPipeline(mutation.bytes, limitMs)
      retimed = true
      if (again.parseMs + again.decodeMs < result.parseMs + result.decodeMs) result = again
      loadFactor = await machineLoadFactor()
    }
    const report: CaseReport = {
      ...result,
      retimed,
      loadFactor,
      limitMs: Math.round(limitMs * loadFactor),
      index: request.index,
      seed: request.seed,
      source: source.name,
      mutation: mutation.kind,
      description: mutation.description,
      totalMs: result.parseMs + result.decodeMs,
      ...(result.outcome === 'failure' || result.parseMs + result.decodeMs > limitMs * loadFactor ? { bytes: mutation.bytes } : {}),
    }
    port.postMessage({ type: 'result', report } satisfies FuzzReply)
  })
})
