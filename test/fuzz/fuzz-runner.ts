/**
 * Drives the fuzz worker from the test: one case at a time, each watched by a timer that stops
 * the worker when a case hangs (then a fresh worker carries on with the next case). Collects
 * every case's report and says, in one summary, what happened.
 */
import { Worker } from 'node:worker_threads'
import type { CaseReport, FuzzReply, FuzzRequest, FuzzWorkerData, SourceBaseline } from './fuzz-worker.ts'

/** A case still running after this long has hung: its worker is stopped. */
const HANG_MS = 20_000
/** The worker's heap may not grow past this (ArrayBuffers are bounded by the checks, and measured). */
const MAX_OLD_GENERATION_MB = 1536

export interface FuzzRun {
  baselines: SourceBaseline[]
  reports: CaseReport[]
  /** Cases the worker never answered (hung, or the worker died), and uncaught errors. */
  failures: Array<{ index: number; seed: number; detail: string }>
  /** Retained heap and external memory after garbage collection, before the first case and after the last. */
  memoryBefore: number
  memoryAfter: number
}

class FuzzWorker {
  private worker!: Worker
  private pending: ((reply: FuzzReply | { type: 'died'; detail: string }) => void) | undefined
  baselines: SourceBaseline[] = []
  uncaught: string[] = []
  private readyPromise!: Promise<void>
  private readonly data: FuzzWorkerData

  constructor(data: FuzzWorkerData) {
    this.data = data
    this.spawn()
  }

  private spawn(): void {
    this.worker = new Worker(new URL('./fuzz-worker.ts', import.meta.url), {
      workerData: this.data,
      resourceLimits: { maxOldGenerationSizeMb: MAX_OLD_GENERATION_MB },
      stdout: true,
      stderr: true,
    })
    // the worker's own output is not wanted, but must be drained
    this.worker.stdout.resume()
    this.worker.stderr.resume()
    let resolveReady: () => void = () => undefined
    let rejectReady: (error: Error) => void = () => undefined
    this.readyPromise = new Promise((resolve, reject) => {
      resolveReady = resolve
      rejectReady = reject
    })
    this.worker.on('message', (reply: FuzzReply) => {
      if (reply.type === 'ready') {
        this.baselines = reply.baselines
        resolveReady()
      } else if (reply.type === 'uncaught') {
        this.uncaught.push(reply.detail)
      } else {
        const pending = this.pending
        this.pending = undefined
        pending?.(reply)
      }
    })
    const died = (detail: string) => {
      rejectReady(new Error(detail))
      const pending = this.pending
      this.pending = undefined
      pending?.({ type: 'died', detail })
    }
    this.worker.on('error', (error) => died(`the fuzz worker died: ${error.message}`))
    this.worker.on('exit', (code) => died(`the fuzz worker exited (${code})`))
  }

  ready(): Promise<void> {
    return this.readyPromise
  }

  /** Sends a request and waits for its answer, at most `timeoutMs`. */
  async ask(request: FuzzRequest, timeoutMs: number): Promise<FuzzReply | { type: 'died' | 'hung'; detail: string }> {
    await this.ready()
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending = undefined
        resolve({ type: 'hung', detail: `no answer within ${timeoutMs / 1000} s` })
      }, timeoutMs)
      this.pending = (reply) => {
        clearTimeout(timer)
        resolve(reply)
      }
      this.worker.postMessage(request)
    })
  }

  /** Stops this worker and starts another (after a hang or a death). */
  async restart(): Promise<void> {
    this.worker.removeAllListeners('exit')
    await this.worker.terminate()
    this.spawn()
    await this.ready()
  }

  async memory(): Promise<number> {
    const reply = await this.ask({ type: 'memory' }, HANG_MS)
    return reply.type === 'memory' ? reply.heapAfterGc : NaN
  }

  stop(): Promise<number> {
    this.worker.removeAllListeners('exit')
    return this.worker.terminate()
  }
}

/** Runs `cases` seeded cases (case i has seed `seedOf(i)`). */
export async function runFuzzCases(cases: number, seedOf: (index: number) => number, onProgress?: (done: number) => void): Promise<FuzzRun> {
  const worker = new FuzzWorker({ cases: true })
  await worker.ready()
  const run: FuzzRun = { baselines: worker.baselines, reports: [], failures: [], memoryBefore: await worker.memory(), memoryAfter: NaN }
  for (let index = 0; index < cases; index++) {
    const seed = seedOf(index)
    const uncaughtBefore = worker.uncaught.length
    const reply = await worker.ask({ type: 'case', index, seed }, HANG_MS)
    if (reply.type === 'result') run.reports.push(reply.report)
    else {
      run.failures.push({ index, seed, detail: reply.type === 'died' || reply.type === 'hung' ? reply.detail : `unexpected reply ${reply.type}` })
      await worker.restart()
    }
    for (const detail of worker.uncaught.slice(uncaughtBefore)) run.failures.push({ index, seed, detail: `uncaught: ${detail}` })
    onProgress?.(index + 1)
  }
  run.memoryAfter = await worker.memory()
  await worker.stop()
  return run
}

/** Runs files (regressions) through the same worker, each with its limit. */
export async function runFuzzFiles(files: Array<{ name: string; bytes: Uint8Array; limitMs: number }>): Promise<Array<CaseReport | { name: string; failure: string }>> {
  const worker = new FuzzWorker({ cases: false })
  await worker.ready()
  const out: Array<CaseReport | { name: string; failure: string }> = []
  for (const file of files) {
    const reply = await worker.ask({ type: 'file', ...file }, HANG_MS)
    if (reply.type === 'result') out.push(reply.report)
    else {
      out.push({ name: file.name, failure: 'detail' in reply ? reply.detail : reply.type })
      await worker.restart()
    }
  }
  await worker.stop()
  return out
}
