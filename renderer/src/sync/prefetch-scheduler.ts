/**
 * Brings studies into the cache in the order it is given: a bounded number of requests in
 * flight, instances written in batches, retries with back-off, resume by construction
 * (a study's plan lists only the instances still missing), and a study the reader opens
 * moved to the head of the queue.
 */
import type { ArrivedInstance } from '../cache/instance-store.ts'
import { StorageFullError } from '../cache/storage-full-error.ts'
import type { CachedInstance } from '../cache/workstation-db.ts'
import type { CacheProgress, StudyPlan } from '../repositories/study-repository.ts'
import { isAuthFailure, isTransient, retryDelay, serverRetryAfter, type RetryPolicy } from './retry-policy.ts'
import type { StudyJob } from './study-jobs.ts'
import { syncFaultOf, type SyncFault } from './sync-fault.ts'

export type StudyCacheState = 'queued' | 'indexing' | 'downloading' | 'complete' | 'error'

export interface StudyProgress extends CacheProgress {
  state: StudyCacheState
  /** Seconds until complete at the current download rate, when there is one. */
  etaSeconds?: number
  error?: string
  /**
   * Why the study failed ('error'), or why it is waiting to retry while still downloading;
   * `retryAt` says when the engine tries again by itself.
   */
  fault?: SyncFault
}

export interface PrefetchDeps {
  planStudy(studyInstanceUid: string): Promise<StudyPlan>
  fetchInstance(instance: CachedInstance): Promise<Uint8Array>
  storeBatch(batch: readonly ArrivedInstance[]): Promise<void>
  onProgress(studyInstanceUid: string, progress: StudyProgress): void
  onInstancesCached(sopInstanceUids: readonly string[]): void
  /** The server refused the session: the scheduler pauses until resume(). */
  onAuthFailure(error: unknown): void
  /** Out of space: free some (eviction) and say whether a retry may succeed. */
  freeSpace(error: StorageFullError): Promise<boolean>
  /** Still out of space after freeing what could be freed: the scheduler pauses until resume(). */
  onStorageFull(error: StorageFullError): void
  sleep(ms: number): Promise<void>
  now(): number
  concurrency: number
  batchSize: number
  retry: RetryPolicy
  /**
   * A study that failed only on transient faults (the server down or busy, answers cut short)
   * is tried again this long after it failed, until it completes; undefined: only when the
   * jobs are set again (a new worklist, the server back).
   */
  studyRetryMs?: number
  random?: () => number
}

export interface PrefetchScheduler {
  setJobs(jobs: readonly StudyJob[]): void
  prioritize(studyInstanceUid: string): void
  pause(): void
  resume(): void
  stop(): void
  /** Resolves when nothing is left to do (or everything left is paused or failed). */
  idle(): Promise<void>
  progressOf(studyInstanceUid: string): StudyProgress | undefined
}

interface StudyState {
  job: StudyJob
  phase: 'pending' | 'planning' | 'ready' | 'done' | 'failed'
  queue: Array<{ instance: CachedInstance; attempts: number }>
  inFlight: number
  /** Instances downloaded and on their way into the cache (a batch being written). */
  storing: number
  planAttempts: number
  notBefore: number
  /** When a failed study is tried again by itself (see studyRetryMs). */
  autoRetryAt?: number
  failures: Array<{ error: unknown; message: string }>
  progress: StudyProgress
}

type Task = { kind: 'plan'; state: StudyState } | { kind: 'fetch'; state: StudyState; item: { instance: CachedInstance; attempts: number } }

const RATE_WINDOW_MS = 10_000

export function createPrefetchScheduler(deps: PrefetchDeps): PrefetchScheduler {
  let order: StudyState[] = []
  const states = new Map<string, StudyState>()
  let paused = false
  let stopped = false
  let busyLanes = 0
  let wake: (() => void) | null = null
  let wakeSignal = Promise.resolve()
  const idleWaiters: Array<() => void> = []
  let buffer: Array<ArrivedInstance & { state: StudyState }> = []
  let writing: Promise<void> = Promise.resolve()
  /** Batches taken out of `buffer` and not yet written: idle must wait for them too. */
  let pendingWrites = 0
  let flushTimer: ReturnType<typeof setTimeout> | null = null
  const stored: Array<{ at: number; bytes: number }> = []
  /** The server asked (Retry-After) that nothing be sent before this time: every lane waits. */
  let holdUntil = 0

  function armWake(): void {
    wakeSignal = new Promise((resolve) => (wake = resolve))
  }
  armWake()
  function poke(): void {
    const w = wake
    armWake()
    w?.()
  }

  function report(state: StudyState): void {
    const p = state.progress
    if (p.state === 'downloading' || p.state === 'indexing') {
      const now = deps.now()
      while (stored.length && stored[0]!.at < now - RATE_WINDOW_MS) stored.shift()
      const bytes = stored.reduce((sum, s) => sum + s.bytes, 0)
      const rate = bytes / (RATE_WINDOW_MS / 1000)
      const perInstance = p.cachedInstances > 0 ? p.cachedBytes / p.cachedInstances : 0
      const remaining = p.totalInstances - p.cachedInstances
      if (rate > 0 && perInstance > 0) p.etaSeconds = Math.ceil((remaining * perInstance) / rate)
      else delete p.etaSeconds
    } else delete p.etaSeconds
    deps.onProgress(state.job.studyInstanceUid, { ...p })
  }

  function newState(job: StudyJob): StudyState {
    return {
      job,
      phase: 'pending',
      queue: [],
      inFlight: 0,
      storing: 0,
      planAttempts: 0,
      notBefore: 0,
      failures: [],
      progress: { state: 'queued', totalInstances: 0, cachedInstances: 0, cachedBytes: 0 },
    }
  }

  function nextTask(): Task | null {
    const now = deps.now()
    for (const state of order) {
      if (state.phase === 'failed' && state.autoRetryAt !== undefined && now >= state.autoRetryAt) reopen(state)
    }
    if (now < holdUntil) return null
    for (const state of order) {
      if (state.phase === 'pending' && now >= state.notBefore) {
        state.phase = 'planning'
        state.progress.state = 'indexing'
        return { kind: 'plan', state }
      }
      if (state.phase === 'ready' && state.queue.length > 0) {
        const item = state.queue.shift()!
        state.inFlight += 1
        return { kind: 'fetch', state, item }
      }
    }
    return null
  }

  function nextWakeDelay(): number | null {
    const now = deps.now()
    const waits = order.filter((s) => s.phase === 'pending').map((s) => Math.max(s.notBefore, holdUntil) - now)
    if (holdUntil > now && order.some((s) => s.phase === 'ready' && s.queue.length > 0)) waits.push(holdUntil - now)
    for (const s of order) if (s.phase === 'failed' && s.autoRetryAt !== undefined) waits.push(s.autoRetryAt - now)
    return waits.length ? Math.max(0, Math.min(...waits)) : null
  }

  /** A failed study is planned again: its plan lists only what is still missing. */
  function reopen(state: StudyState): void {
    state.phase = 'pending'
    state.planAttempts = 0
    state.notBefore = 0
    delete state.autoRetryAt
  }

  /** Ends a study as an error naming its first failure, to be tried again later if every failure was transient. */
  function endWithError(state: StudyState): void {
    const first = state.failures[0]
    state.phase = 'failed'
    state.queue = []
    state.progress.state = 'error'
    state.progress.error = first?.message ?? 'failed'
    if (deps.studyRetryMs !== undefined && state.failures.every((f) => isTransient(f.error))) state.autoRetryAt = deps.now() + deps.studyRetryMs
    state.progress.fault = syncFaultOf(first?.error, state.autoRetryAt)
    report(state)
  }

  function maybeFinish(state: StudyState): void {
    if (state.phase !== 'ready' || state.queue.length > 0 || state.inFlight > 0 || state.storing > 0) return
    if (buffer.some((b) => b.state === state)) return
    if (state.failures.length > 0) return endWithError(state)
    state.phase = 'done'
    state.progress.state = 'complete'
    delete state.progress.fault
    report(state)
  }

  function fail(state: StudyState, error: unknown): void {
    state.failures = [{ error, message: error instanceof Error ? error.message : String(error) }]
    endWithError(state)
  }

  /** A transient failure: wait (longer if the server said so, and then every lane waits too), showing why. */
  async function waitToRetry(state: StudyState, error: unknown, attempt: number): Promise<void> {
    const wait = retryDelay(error, attempt, deps.retry, deps.random)
    const retryAt = deps.now() + wait
    if (serverRetryAfter(error, deps.retry) !== undefined) holdUntil = Math.max(holdUntil, retryAt)
    state.progress.fault = syncFaultOf(error, retryAt)
    report(state)
    await deps.sleep(wait)
  }

  /**
   * Writes a batch, freeing space once if the disk is full. When it cannot, the instances go
   * back to their queues so that nothing is lost, and this throws: on a full disk after
   * eviction the scheduler pauses; any other failure fails the batch's studies (they are
   * tried again with the next worklist), not the rest.
   */
  async function storeWithRoom(batch: ReadonlyArray<ArrivedInstance & { state: StudyState }>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await deps.storeBatch(batch)
      } catch (error) {
        if (error instanceof StorageFullError && attempt === 1 && (await deps.freeSpace(error))) continue
        for (const item of batch) item.state.queue.unshift({ instance: item.instance, attempts: 0 })
        if (error instanceof StorageFullError) {
          paused = true
          deps.onStorageFull(error)
        } else {
          for (const item of batch) item.state.failures.push({ error, message: `writing to the cache failed: ${error instanceof Error ? error.message : String(error)}` })
        }
        throw error
      }
    }
  }

  async function flush(): Promise<void> {
    if (flushTimer) clearTimeout(flushTimer)
    flushTimer = null
    const batch = buffer
    buffer = []
    if (batch.length === 0) return
    pendingWrites += 1
    // until written, these studies are not finished (maybeFinish looks at `storing`)
    for (const item of batch) item.state.storing += 1
    writing = writing
      .then(async () => {
        try {
          await storeWithRoom(batch)
        } catch {
          return // put back (and paused, or failed) by storeWithRoom
        } finally {
          for (const item of batch) item.state.storing -= 1
        }
        const now = deps.now()
        const touched = new Set<StudyState>()
        for (const item of batch) {
          item.state.progress.cachedInstances += 1
          item.state.progress.cachedBytes += item.bytes.byteLength
          stored.push({ at: now, bytes: item.bytes.byteLength })
          touched.add(item.state)
          // data flows again: whatever the study waited on is over
          delete item.state.progress.fault
        }
        deps.onInstancesCached(batch.map((b) => b.instance.sopInstanceUid))
        for (const state of touched) {
          report(state)
          maybeFinish(state)
        }
      })
      .catch((error: unknown) => {
        // an unforeseen failure (the database, an event handler): the chain must go on, and the
        // batch goes back to be fetched again; its studies end as errors naming the cause
        for (const item of batch) {
          item.state.queue.unshift({ instance: item.instance, attempts: 0 })
          item.state.failures.push({ error, message: `writing to the cache failed: ${error instanceof Error ? error.message : String(error)}` })
        }
      })
      .finally(() => {
        pendingWrites -= 1
      })
    await writing
    poke()
  }

  async function run(task: Task): Promise<void> {
    const { state } = task
    if (task.kind === 'plan') {
      try {
        const plan = await deps.planStudy(state.job.studyInstanceUid)
        const all = plan.series.flatMap((s) => s.instances)
        state.progress.totalInstances = all.length
        state.progress.cachedInstances = all.length - plan.missing.length
        state.progress.cachedBytes = all.reduce((sum, i) => sum + i.byteLength, 0)
        state.queue = plan.missing.map((instance) => ({ instance, attempts: 0 }))
        state.phase = 'ready'
        state.progress.state = plan.missing.length ? 'downloading' : 'complete'
        delete state.progress.error
        delete state.progress.fault
        state.failures = []
        report(state)
        maybeFinish(state)
      } catch (error) {
        if (isAuthFailure(error)) {
          state.phase = 'pending'
          paused = true
          deps.onAuthFailure(error)
        } else if (isTransient(error) && ++state.planAttempts < deps.retry.maxAttempts) {
          const wait = retryDelay(error, state.planAttempts, deps.retry, deps.random)
          state.phase = 'pending'
          state.progress.state = 'queued'
          state.notBefore = deps.now() + wait
          if (serverRetryAfter(error, deps.retry) !== undefined) holdUntil = Math.max(holdUntil, state.notBefore)
          state.progress.fault = syncFaultOf(error, state.notBefore)
          report(state)
        } else {
          fail(state, error)
        }
      }
      return
    }
    const { item } = task
    let bytes: Uint8Array
    try {
      bytes = await deps.fetchInstance(item.instance)
    } catch (error) {
      if (isTransient(error) && ++item.attempts < deps.retry.maxAttempts) {
        // still in flight while it waits to be retried: the study is not finished without it
        await waitToRetry(state, error, item.attempts)
        state.inFlight -= 1
        state.queue.unshift(item)
        return
      }
      state.inFlight -= 1
      if (isAuthFailure(error)) {
        state.queue.unshift(item)
        paused = true
        deps.onAuthFailure(error)
      } else {
        state.failures.push({ error, message: `${item.instance.sopInstanceUid}: ${error instanceof Error ? error.message : String(error)}` })
        maybeFinish(state)
      }
      return
    }
    state.inFlight -= 1
    buffer.push({ instance: item.instance, bytes, state })
    if (buffer.length >= deps.batchSize) await flush()
    else flushTimer ??= setTimeout(() => void flush(), 50)
  }

  function settleIdle(): void {
    if (busyLanes > 0 || buffer.length > 0 || pendingWrites > 0) return
    const waiting = order.some((s) => !paused && (s.phase === 'pending' || (s.phase === 'ready' && s.queue.length > 0)) && deps.now() >= s.notBefore)
    if (waiting) return
    while (idleWaiters.length) idleWaiters.shift()!()
  }

  async function lane(): Promise<void> {
    while (!stopped) {
      const task = paused ? null : nextTask()
      if (!task) {
        if (buffer.length) await flush()
        settleIdle()
        const delay = paused ? null : nextWakeDelay()
        await (delay === null ? wakeSignal : Promise.race([wakeSignal, deps.sleep(delay)]))
        continue
      }
      busyLanes += 1
      try {
        await run(task)
      } finally {
        busyLanes -= 1
      }
    }
  }

  for (let i = 0; i < deps.concurrency; i++) void lane()

  return {
    setJobs(jobs) {
      order = jobs.map((job) => {
        let state = states.get(job.studyInstanceUid)
        if (!state) {
          state = newState(job)
          states.set(job.studyInstanceUid, state)
          report(state)
        } else {
          state.job = job
          if (state.phase === 'failed') reopen(state)
        }
        return state
      })
      const wanted = new Set(jobs.map((j) => j.studyInstanceUid))
      for (const [uid, state] of states) {
        if (!wanted.has(uid)) {
          state.queue = []
          states.delete(uid)
        }
      }
      poke()
    },
    prioritize(studyInstanceUid) {
      const index = order.findIndex((s) => s.job.studyInstanceUid === studyInstanceUid)
      if (index === -1) return
      const [state] = order.splice(index, 1)
      order.unshift(state!)
      if (state!.phase === 'failed' || state!.phase === 'pending') reopen(state!)
      poke()
    },
    pause() {
      paused = true
    },
    resume() {
      paused = false
      poke()
    },
    stop() {
      stopped = true
      poke()
    },
    idle() {
      return new Promise((resolve) => {
        idleWaiters.push(resolve)
        settleIdle()
      })
    },
    progressOf: (uid) => {
      const state = states.get(uid)
      return state ? { ...state.progress } : undefined
    },
  }
}
