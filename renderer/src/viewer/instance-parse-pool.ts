/**
 * A few parse workers and the queue in front of them. Each instance gets a time budget (a
 * base plus a little per megabyte); an instance that overruns it has its worker terminated
 * (which frees everything the worker held) and is answered with a typed `parse-timeout`; a
 * worker that crashes is replaced the same way. Bytes in flight are bounded, so two huge files
 * are never parsed at once. Instances the reader is waiting for go before background checks.
 *
 * Answers never reject for a bad file: they are typed outcomes (image, non-image, rejected).
 */
import { formatBytes } from '../../../shared/dicom-safety-inflate.ts'
import type { InstanceParseJob, InstanceParseMode, InstanceParseOutcome, InstanceParseReply } from './instance-parse.ts'

/** What the pool needs of a worker (a real Worker, or a fake in tests). */
export interface ParseWorker {
  postMessage(job: InstanceParseJob, transfer: ArrayBuffer[]): void
  onmessage: ((event: { data: InstanceParseReply }) => void) | null
  onerror: ((event: { message?: string; preventDefault?: () => void }) => void) | null
  terminate(): void
}

export interface ParsePoolOptions {
  createWorker(): ParseWorker
  workers: number
  /** Milliseconds one instance of this many bytes may take. */
  budgetMs(byteLength: number): number
  /** Bytes handed to workers at once (one instance larger than this still runs, alone). */
  maxBytesInFlight: number
}

export type ParsePriority = 'view' | 'background'

export interface InstanceParsePool {
  /** Checks (and in `parse` mode reads) one instance; `part10` is handed to the worker (detached here). */
  run(part10: ArrayBuffer, mode: InstanceParseMode, priority?: ParsePriority, signal?: AbortSignal): Promise<InstanceParseOutcome>
  /** Stops every worker; queued and running instances are answered as stopped. */
  dispose(): void
}

/** The budget the viewer uses: 5 s, plus 40 ms a megabyte (a 500 MB multi-frame file gets 25 s). */
export function defaultParseBudgetMs(byteLength: number): number {
  return 5_000 + Math.round((byteLength / 1024 ** 2) * 40)
}

interface Job {
  id: number
  part10: ArrayBuffer
  bytes: number
  mode: InstanceParseMode
  resolve(outcome: InstanceParseOutcome): void
  reject(error: Error): void
  signal?: AbortSignal
  onAbort?: () => void
}

interface Slot {
  worker?: ParseWorker
  job?: Job
  timer?: ReturnType<typeof setTimeout>
}

export function createInstanceParsePool(options: ParsePoolOptions): InstanceParsePool {
  const queues: Record<ParsePriority, Job[]> = { view: [], background: [] }
  const slots: Slot[] = Array.from({ length: Math.max(1, options.workers) }, () => ({}))
  let nextId = 1
  let bytesInFlight = 0
  let disposed = false

  const settle = (slot: Slot, outcome: InstanceParseOutcome) => {
    const job = slot.job
    if (!job) return
    clearTimeout(slot.timer)
    slot.job = undefined
    slot.timer = undefined
    bytesInFlight -= job.bytes
    if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort)
    job.resolve(outcome)
    dispatch()
  }

  /** Stops a slot's worker (the next job gets a fresh one) and answers its job. */
  const stopWorker = (slot: Slot, outcome: InstanceParseOutcome) => {
    slot.worker?.terminate()
    slot.worker = undefined
    settle(slot, outcome)
  }

  const workerOf = (slot: Slot): ParseWorker => {
    if (slot.worker) return slot.worker
    const worker = options.createWorker()
    worker.onmessage = (event) => {
      if (slot.worker === worker && slot.job?.id === event.data.id) settle(slot, event.data.outcome)
    }
    worker.onerror = (event) => {
      event.preventDefault?.()
      if (slot.worker !== worker) return
      stopWorker(slot, { kind: 'rejected', code: 'worker-failed', reason: `the parse worker failed while reading this instance (${event.message || 'it crashed or ran out of memory'})` })
    }
    slot.worker = worker
    return worker
  }

  const nextJob = (): Job | undefined => {
    const queue = queues.view.length > 0 ? queues.view : queues.background
    const job = queue[0]
    // a large file waits until the ones in flight are done, unless nothing is in flight
    if (!job || (bytesInFlight > 0 && bytesInFlight + job.bytes > options.maxBytesInFlight)) return undefined
    queue.shift()
    return job
  }

  function dispatch(): void {
    if (disposed) return
    for (const slot of slots) {
      if (slot.job) continue
      const job = nextJob()
      if (!job) return
      slot.job = job
      bytesInFlight += job.bytes
      const budget = options.budgetMs(job.bytes)
      slot.timer = setTimeout(
        () =>
          stopWorker(slot, {
            kind: 'rejected',
            code: 'parse-timeout',
            reason: `reading this ${formatBytes(job.bytes)} instance did not finish within ${(budget / 1000).toFixed(1)} s; it was stopped`,
          }),
        budget,
      )
      try {
        workerOf(slot).postMessage({ id: job.id, mode: job.mode, part10: job.part10 }, [job.part10])
      } catch (error) {
        stopWorker(slot, { kind: 'rejected', code: 'worker-failed', reason: `the instance could not be handed to the parse worker (${error instanceof Error ? error.message : String(error)})` })
      }
    }
  }

  return {
    run(part10, mode, priority = 'view', signal) {
      return new Promise<InstanceParseOutcome>((resolve, reject) => {
        if (disposed) return reject(new Error('the parse workers were stopped'))
        if (signal?.aborted) return reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'))
        const job: Job = { id: nextId++, part10, bytes: part10.byteLength, mode, resolve, reject, signal }
        if (signal) {
          job.onAbort = () => {
            // only a job still waiting is dropped; one a worker has started finishes (its answer is cheap)
            const queue = queues[priority]
            const index = queue.indexOf(job)
            if (index === -1) return
            queue.splice(index, 1)
            reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'))
          }
          signal.addEventListener('abort', job.onAbort, { once: true })
        }
        queues[priority].push(job)
        dispatch()
      })
    },
    dispose() {
      disposed = true
      const stopped = new Error('the parse workers were stopped')
      for (const queue of Object.values(queues)) for (const job of queue.splice(0)) job.reject(stopped)
      for (const slot of slots) {
        const job = slot.job
        clearTimeout(slot.timer)
        slot.worker?.terminate()
        slot.worker = undefined
        slot.job = undefined
        job?.reject(stopped)
      }
      bytesInFlight = 0
    },
  }
}
