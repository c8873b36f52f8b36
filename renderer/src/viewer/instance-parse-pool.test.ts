import { afterEach, describe, expect, it, vi } from 'vitest'
import type { InstanceParseJob, InstanceParseOutcome } from './instance-parse.ts'
import { createInstanceParsePool, type ParsePoolOptions, type ParseWorker } from './instance-parse-pool.ts'

/** A fake worker whose jobs the test answers (or never answers, or crashes). */
class FakeWorker implements ParseWorker {
  onmessage: ParseWorker['onmessage'] = null
  onerror: ParseWorker['onerror'] = null
  jobs: InstanceParseJob[] = []
  terminated = false
  postMessage(job: InstanceParseJob, transfer: ArrayBuffer[]): void {
    expect(transfer).toEqual([job.part10])
    this.jobs.push(job)
  }
  terminate(): void {
    this.terminated = true
  }
  answer(outcome: InstanceParseOutcome, job = this.jobs.at(-1)!): void {
    this.onmessage?.({ data: { id: job.id, outcome } })
  }
}

const IMAGE: InstanceParseOutcome = { kind: 'image', transferSyntaxUid: '1.2.840.10008.1.2.1', frames: 1 }
const settled = () => new Promise((resolve) => setTimeout(resolve, 0))

function setUp(overrides: Partial<ParsePoolOptions> = {}) {
  const workers: FakeWorker[] = []
  const pool = createInstanceParsePool({
    createWorker: () => {
      const worker = new FakeWorker()
      workers.push(worker)
      return worker
    },
    workers: 1,
    budgetMs: () => 1_000,
    maxBytesInFlight: 1_000_000,
    ...overrides,
  })
  return { pool, workers }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('the parse worker pool', () => {
  it('answers each instance with its worker\'s outcome, instances the reader waits for first', async () => {
    const { pool, workers } = setUp()
    const background = pool.run(new ArrayBuffer(10), 'verify', 'background')
    const later = pool.run(new ArrayBuffer(20), 'verify', 'background')
    const wanted = pool.run(new ArrayBuffer(30), 'parse', 'view')
    const worker = workers[0]!
    worker.answer(IMAGE)
    expect(await background).toEqual(IMAGE)
    // the view job overtook the second background job
    expect(worker.jobs.map((j) => [j.mode, j.part10.byteLength])).toEqual([
      ['verify', 10],
      ['parse', 30],
    ])
    worker.answer({ kind: 'non-image', sopClassUid: '1.2.840.10008.5.1.4.1.1.88.22' })
    expect(await wanted).toEqual({ kind: 'non-image', sopClassUid: '1.2.840.10008.5.1.4.1.1.88.22' })
    worker.answer(IMAGE)
    expect(await later).toEqual(IMAGE)
  })

  it('stops a worker that overruns its budget, answers parse-timeout, and carries on with a fresh worker', async () => {
    vi.useFakeTimers()
    const { pool, workers } = setUp({ budgetMs: (bytes) => 100 + bytes * 2 })
    const stuck = pool.run(new ArrayBuffer(50), 'parse')
    const next = pool.run(new ArrayBuffer(10), 'parse')
    await vi.advanceTimersByTimeAsync(199)
    expect(workers[0]!.terminated).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(await stuck).toEqual({ kind: 'rejected', code: 'parse-timeout', reason: 'reading this 50 bytes instance did not finish within 0.2 s; it was stopped' })
    expect(workers[0]!.terminated).toBe(true)
    expect(workers).toHaveLength(2)
    workers[1]!.answer(IMAGE)
    expect(await next).toEqual(IMAGE)
  })

  it('answers worker-failed when a worker crashes, and ignores a late answer from it', async () => {
    const { pool, workers } = setUp()
    const crashed = pool.run(new ArrayBuffer(8), 'parse')
    const crashedJob = workers[0]!.jobs[0]!
    workers[0]!.onerror?.({ message: 'Out of memory' })
    expect(await crashed).toMatchObject({ kind: 'rejected', code: 'worker-failed', reason: expect.stringContaining('Out of memory') })
    const next = pool.run(new ArrayBuffer(8), 'parse')
    workers[0]!.answer(IMAGE, crashedJob)
    workers[1]!.answer({ kind: 'rejected', code: 'truncated', reason: 'cut short' })
    expect(await next).toEqual({ kind: 'rejected', code: 'truncated', reason: 'cut short' })
  })

  it('keeps the bytes in flight under the bound, but lets one large instance run alone', async () => {
    const { pool, workers } = setUp({ workers: 3, maxBytesInFlight: 100 })
    const runs = [pool.run(new ArrayBuffer(60), 'parse'), pool.run(new ArrayBuffer(60), 'parse'), pool.run(new ArrayBuffer(500), 'parse')]
    expect(workers.flatMap((w) => w.jobs.map((j) => j.part10.byteLength))).toEqual([60])
    workers[0]!.answer(IMAGE)
    await runs[0]
    expect(workers.flatMap((w) => w.jobs.map((j) => j.part10.byteLength))).toEqual([60, 60])
    workers[0]!.answer(IMAGE)
    await runs[1]
    expect(workers.flatMap((w) => w.jobs.map((j) => j.part10.byteLength))).toEqual([60, 60, 500])
  })

  it('drops a queued instance when its signal aborts', async () => {
    const { pool, workers } = setUp()
    const first = pool.run(new ArrayBuffer(8), 'verify', 'background')
    const abort = new AbortController()
    const dropped = pool.run(new ArrayBuffer(8), 'verify', 'background', abort.signal)
    abort.abort(new Error('study closed'))
    await expect(dropped).rejects.toThrow('study closed')
    workers[0]!.answer(IMAGE)
    await first
    await settled()
    expect(workers[0]!.jobs).toHaveLength(1)
  })

  it('rejects everything when disposed and terminates its workers', async () => {
    const { pool, workers } = setUp()
    const running = pool.run(new ArrayBuffer(8), 'parse')
    const queued = pool.run(new ArrayBuffer(8), 'parse')
    pool.dispose()
    await expect(running).rejects.toThrow('stopped')
    await expect(queued).rejects.toThrow('stopped')
    expect(workers[0]!.terminated).toBe(true)
  })
})
