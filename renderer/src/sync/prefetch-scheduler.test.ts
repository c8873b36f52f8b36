import { describe, expect, it, vi } from 'vitest'
import { RequestError } from '../api/request-error.ts'
import type { ArrivedInstance } from '../cache/instance-store.ts'
import { StorageFullError } from '../cache/storage-full-error.ts'
import type { CachedInstance } from '../cache/workstation-db.ts'
import type { StudyPlan } from '../repositories/study-repository.ts'
import { createPrefetchScheduler, type PrefetchDeps, type StudyProgress } from './prefetch-scheduler.ts'
import type { StudyJob } from './study-jobs.ts'

function instance(study: string, n: number): CachedInstance {
  return { sopInstanceUid: `${study}.${n}`, seriesInstanceUid: `${study}.s`, studyInstanceUid: study, sopClassUid: '', instanceNumber: n, sortKey: n, numberOfFrames: 1, byteLength: 0 }
}

function plan(study: string, count: number): StudyPlan {
  const instances = Array.from({ length: count }, (_, i) => instance(study, i + 1))
  return { series: [{ series: { seriesInstanceUid: `${study}.s`, studyInstanceUid: study, modality: 'CT', seriesNumber: 1, description: '', instanceCount: count }, instances }], missing: instances }
}

const job = (uid: string): StudyJob => ({ studyInstanceUid: uid, assignmentId: uid, role: 'current', priority: 'routine', dueAt: '2026-11-22T00:00:00Z' })

/** A scheduler over in-memory fakes; `fetchInstance` and `storeBatch` may be overridden per test. */
function harness(plans: Record<string, StudyPlan>, overrides: Partial<PrefetchDeps> = {}) {
  const fetched: string[] = []
  const stored: string[] = []
  const progress = new Map<string, StudyProgress>()
  const sleeps: number[] = []
  const deps: PrefetchDeps = {
    planStudy: async (uid) => {
      const p = plans[uid]
      if (!p) throw new RequestError('not-found', `no study ${uid}`, 404)
      return p
    },
    fetchInstance: async (i) => {
      fetched.push(i.sopInstanceUid)
      return new Uint8Array(100)
    },
    storeBatch: async (batch: readonly ArrivedInstance[]) => void stored.push(...batch.map((b) => b.instance.sopInstanceUid)),
    onProgress: (uid, p) => void progress.set(uid, p),
    onInstancesCached: () => undefined,
    onAuthFailure: vi.fn(),
    freeSpace: vi.fn(async () => false),
    onStorageFull: vi.fn(),
    sleep: async (ms) => void sleeps.push(ms),
    now: () => Date.now(),
    concurrency: 1,
    batchSize: 2,
    retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000 },
    random: () => 0.5,
    ...overrides,
  }
  return { scheduler: createPrefetchScheduler(deps), deps, fetched, stored, progress, sleeps }
}

describe('prefetch scheduler', () => {
  it('downloads studies in the given order and reports them complete', async () => {
    const h = harness({ a: plan('a', 3), b: plan('b', 2) })
    h.scheduler.setJobs([job('a'), job('b')])
    await h.scheduler.idle()
    expect(h.fetched).toEqual(['a.1', 'a.2', 'a.3', 'b.1', 'b.2'])
    expect(h.stored.sort()).toEqual(['a.1', 'a.2', 'a.3', 'b.1', 'b.2'])
    expect(h.progress.get('a')).toMatchObject({ state: 'complete', totalInstances: 3, cachedInstances: 3, cachedBytes: 300 })
    expect(h.progress.get('b')).toMatchObject({ state: 'complete', cachedInstances: 2 })
    h.scheduler.stop()
  })

  it('moves an opened study to the head of the queue', async () => {
    let release: () => void = () => undefined
    const gate = new Promise<void>((r) => (release = r))
    const fetched: string[] = []
    const h = harness(
      { a: plan('a', 4), b: plan('b', 2) },
      {
        fetchInstance: async (i) => {
          fetched.push(i.sopInstanceUid)
          if (i.sopInstanceUid === 'a.1') await gate
          return new Uint8Array(10)
        },
      },
    )
    h.scheduler.setJobs([job('a'), job('b')])
    await vi.waitFor(() => expect(fetched).toEqual(['a.1']))
    h.scheduler.prioritize('b')
    release()
    await h.scheduler.idle()
    expect(fetched).toEqual(['a.1', 'b.1', 'b.2', 'a.2', 'a.3', 'a.4'])
    h.scheduler.stop()
  })

  it('retries a transient failure with growing back-off and then succeeds', async () => {
    let failures = 2
    const h = harness(
      { a: plan('a', 1) },
      {
        fetchInstance: async () => {
          if (failures-- > 0) throw new RequestError('unreachable', 'connection reset')
          return new Uint8Array(5)
        },
      },
    )
    h.scheduler.setJobs([job('a')])
    await h.scheduler.idle()
    expect(h.sleeps).toEqual([75, 150])
    expect(h.progress.get('a')).toMatchObject({ state: 'complete', cachedInstances: 1 })
    h.scheduler.stop()
  })

  it("honours a 503's Retry-After: no lane asks again before it, and the study shows why it waits", async () => {
    let failedAt = 0
    const starts: number[] = []
    const faults: StudyProgress[] = []
    const latest = new Map<string, StudyProgress>()
    const h = harness(
      { a: plan('a', 4) },
      {
        concurrency: 2,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        onProgress: (uid, p) => {
          latest.set(uid, p)
          if (p.fault) faults.push(p)
        },
        fetchInstance: async (i) => {
          starts.push(Date.now())
          if (i.sopInstanceUid === 'a.1' && failedAt === 0) {
            failedAt = Date.now()
            throw new RequestError('server-error', 'Service Unavailable', 503, 400)
          }
          return new Uint8Array(1)
        },
      },
    )
    h.scheduler.setJobs([job('a')])
    await vi.waitFor(() => expect(latest.get('a')?.state).toBe('complete'), { timeout: 3000 })
    expect(faults[0]?.fault).toMatchObject({ kind: 'server-busy', retryAt: expect.any(Number) })
    expect(faults[0]!.fault!.retryAt! - failedAt).toBeGreaterThanOrEqual(400)
    const later = starts.filter((t) => t > failedAt)
    expect(later.length).toBeGreaterThan(0)
    for (const t of later) expect(t - failedAt).toBeGreaterThanOrEqual(395)
    expect(latest.get('a')?.fault).toBeUndefined()
    h.scheduler.stop()
  })

  it('tries a study that failed on transient faults again by itself, and one refused for good never', async () => {
    let down = true
    const errors: StudyProgress[] = []
    const latest = new Map<string, StudyProgress>()
    const h = harness(
      { a: plan('a', 2), b: plan('b', 1) },
      {
        studyRetryMs: 150,
        retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        onProgress: (uid, p) => {
          latest.set(uid, p)
          if (p.state === 'error') errors.push({ ...p, error: uid })
        },
        fetchInstance: async (i) => {
          if (i.studyInstanceUid === 'b') throw new RequestError('not-found', 'gone', 404)
          if (down) throw new RequestError('unreachable', 'cannot reach http://127.0.0.1:1: the connection was refused (ECONNREFUSED)')
          return new Uint8Array(1)
        },
      },
    )
    h.scheduler.setJobs([job('a'), job('b')])
    await vi.waitFor(() => expect(errors.map((e) => e.error)).toEqual(expect.arrayContaining(['a', 'b'])))
    const a = errors.find((e) => e.error === 'a')
    expect(a?.fault).toMatchObject({ kind: 'unreachable', detail: expect.stringContaining('ECONNREFUSED'), retryAt: expect.any(Number) })
    expect(errors.find((e) => e.error === 'b')?.fault).toEqual({ kind: 'refused', detail: 'gone' })
    down = false
    await vi.waitFor(() => expect(latest.get('a')).toMatchObject({ state: 'complete', cachedInstances: 2 }), { timeout: 2000 })
    expect(latest.get('b')?.state).toBe('error')
    h.scheduler.stop()
  })

  it('reports a study complete only once its last batch is written, not while it is still being written', async () => {
    const stored: string[] = []
    let storedWhenComplete = -1
    let wakeOtherLane = () => undefined as void
    const h = harness(
      { a: plan('a', 3) },
      {
        batchSize: 2,
        concurrency: 2,
        // the first batch takes a while to write, and meanwhile the other lane brings the last
        // instance, which goes into a second batch queued behind the first
        storeBatch: async (batch) => {
          if (batch.length === 2) {
            wakeOtherLane()
            await new Promise((resolve) => setTimeout(resolve, 150))
          }
          stored.push(...batch.map((b) => b.instance.sopInstanceUid))
        },
        onProgress: (_uid, p) => {
          if (p.state === 'complete' && storedWhenComplete < 0) storedWhenComplete = stored.length
        },
      },
    )
    wakeOtherLane = () => h.scheduler.resume()
    h.scheduler.setJobs([job('a')])
    await vi.waitFor(() => expect(storedWhenComplete).toBeGreaterThanOrEqual(0))
    expect(storedWhenComplete).toBe(3)
    h.scheduler.stop()
  })

  it('marks a study with a permanent failure as an error and goes on with the next', async () => {
    const h = harness(
      { a: plan('a', 2), b: plan('b', 1) },
      {
        fetchInstance: async (i) => {
          if (i.sopInstanceUid === 'a.2') throw new RequestError('not-found', 'gone', 404)
          return new Uint8Array(1)
        },
      },
    )
    h.scheduler.setJobs([job('a'), job('b'), job('missing')])
    await h.scheduler.idle()
    expect(h.progress.get('a')).toMatchObject({ state: 'error', cachedInstances: 1, error: expect.stringContaining('a.2') })
    expect(h.progress.get('b')?.state).toBe('complete')
    expect(h.progress.get('missing')).toMatchObject({ state: 'error', error: 'no study missing' })
    h.scheduler.stop()
  })

  it('pauses on an expired session and carries on after resume, losing nothing', async () => {
    let expired = true
    const h = harness(
      { a: plan('a', 2) },
      {
        fetchInstance: async () => {
          if (expired) throw new RequestError('token-expired', 'expired', 401)
          return new Uint8Array(1)
        },
      },
    )
    h.scheduler.setJobs([job('a')])
    await h.scheduler.idle()
    expect(h.deps.onAuthFailure).toHaveBeenCalledTimes(1)
    expect(h.progress.get('a')?.cachedInstances).toBe(0)
    expired = false
    h.scheduler.resume()
    await vi.waitFor(() => expect(h.progress.get('a')?.state).toBe('complete'))
    h.scheduler.stop()
  })

  it('survives an unforeseen failure while writing: the batch is not lost silently and the next study still downloads', async () => {
    let broken = true
    const h = harness(
      { a: plan('a', 2), b: plan('b', 1) },
      {
        batchSize: 2,
        storeBatch: async () => {
          if (broken) {
            broken = false
            throw new Error('database connection lost')
          }
        },
      },
    )
    h.scheduler.setJobs([job('a'), job('b')])
    await vi.waitFor(() => expect(h.progress.get('b')?.state).toBe('complete'))
    await vi.waitFor(() => expect(h.progress.get('a')).toMatchObject({ state: 'error', error: expect.stringContaining('database connection lost') }))
    h.scheduler.stop()
  })

  it('frees space and retries once when storage is full; if still full it pauses and keeps the instances queued', async () => {
    let full = 2
    const stored: string[] = []
    const h = harness(
      { a: plan('a', 2) },
      {
        batchSize: 2,
        freeSpace: vi.fn(async () => true),
        storeBatch: async (batch) => {
          if (full-- > 0) throw new StorageFullError('QuotaExceededError')
          stored.push(...batch.map((b) => b.instance.sopInstanceUid))
        },
      },
    )
    h.scheduler.setJobs([job('a')])
    await vi.waitFor(() => expect(h.deps.onStorageFull).toHaveBeenCalledTimes(1))
    expect(h.deps.freeSpace).toHaveBeenCalledTimes(1)
    expect(stored).toEqual([])
    h.scheduler.resume()
    await vi.waitFor(() => expect(h.progress.get('a')?.state).toBe('complete'))
    expect(stored.sort()).toEqual(['a.1', 'a.2'])
    h.scheduler.stop()
  })
})
