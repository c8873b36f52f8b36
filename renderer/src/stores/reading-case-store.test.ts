import { describe, expect, it, vi } from 'vitest'
import type { Assignment } from '../../../shared/api-contract.ts'
import { findingMasterSchema } from '../../../shared/finding-master.ts'
import type { ReadingCase } from '../../../shared/reading-case-contract.ts'
import type { ReadingCaseClient } from '../api/reading-case-client.ts'
import { RequestError } from '../api/request-error.ts'
import { createReadingCaseStore } from './reading-case-store.ts'

const t = (s: string) => ({ ja: s, en: s })
const master = findingMasterSchema.parse({
  facilityId: 'f', version: 1, name: t('m'), frozen: false,
  scales: [{ code: 'lung-xray', name: t('lung'), values: [{ code: 'A', label: t('A'), rank: 1, normal: true, requiresFurtherExamination: false }] }],
  bodyParts: [{ code: 'chest', name: t('chest'), kana: 'きょうぶ', lateralityApplies: false }],
  findings: [{ code: 'cx-no-abnormality', name: t('none'), kana: 'なし', bodyParts: ['chest'], modalities: ['CR'], scale: 'lung-xray', allowedJudgements: ['A'], defaultJudgement: 'A', template: t('none') }],
  rules: [],
})

const assignment = (over: Partial<Assignment> = {}): Assignment =>
  ({
    id: 'a-second',
    studyInstanceUid: '1.2.3',
    readingType: 'second',
    status: 'in-progress',
    readingCase: { id: 'case-1', workflow: 'double', status: 'second-read', waitingOnOthers: false },
    ...over,
  }) as Assignment

const aCase = (over: Partial<ReadingCase> = {}): ReadingCase => ({
  id: 'case-1',
  studyInstanceUid: '1.2.3',
  facilityId: 'f',
  workflow: 'double',
  status: 'second-read',
  reads: [{ assignmentId: 'a-first', readingType: 'first', readerId: 'u2', readerName: '読影 花子', status: 'submitted', blinded: true }],
  events: [],
  ...over,
})

/** A reading-case API on memory whose answers the test controls; every call is recorded. */
function fakeClient(overrides: Partial<ReadingCaseClient> = {}) {
  const calls: string[] = []
  const record =
    <A extends unknown[], R>(name: string, answer: (...args: A) => Promise<R>) =>
    (...args: A) => {
      calls.push(`${name}:${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(',')}`)
      return answer(...args)
    }
  const client: ReadingCaseClient = {
    readingCase: record('readingCase', async () => aCase()),
    consensus: record('consensus', async () => aCase({ status: 'final' })),
    sendToCommittee: record('sendToCommittee', async () => aCase({ status: 'committee' })),
    committeeDecision: record('committeeDecision', async () => aCase({ status: 'final' })),
    checkDecision: record('checkDecision', async () => aCase()),
    versions: record('versions', async () => []),
    correct: record('correct', async () => []),
    start: record('start', async () => undefined),
    statistics: record('statistics', async () => ({ from: '', to: '', readers: [] })),
    statisticsCsv: record('statisticsCsv', async () => new Blob()),
  }
  for (const [name, fn] of Object.entries(overrides)) (client as unknown as Record<string, unknown>)[name] = record(name, fn as (...args: unknown[]) => Promise<unknown>)
  return { client, calls }
}

function setup(overrides: Partial<ReadingCaseClient> = {}, options: { loggedIn?: boolean; loadMaster?: () => Promise<typeof master> } = {}) {
  const { client, calls } = fakeClient(overrides)
  const log = vi.fn()
  const store = createReadingCaseStore({ client: () => (options.loggedIn === false ? null : client), loadMaster: options.loadMaster ?? (async () => master), log })
  return { store, calls, log }
}

/** A promise the test settles when it wants. */
function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

describe('reading case store', () => {
  it('opens the case of the assignment, marks the start of reading once, and loads the master', async () => {
    const { store, calls } = setup()
    await store.getState().open(assignment())
    expect(calls).toEqual(['start:a-second', 'readingCase:case-1'])
    expect(store.getState()).toMatchObject({ phase: 'ready', readingCase: { id: 'case-1', status: 'second-read' }, master: { version: 1 }, problem: null })
  })

  it('does not mark the start of a submitted assignment, and has nothing to load without a case', async () => {
    const { store, calls } = setup()
    await store.getState().open(assignment({ status: 'submitted' }))
    expect(calls).toEqual(['readingCase:case-1'])
    const single = setup()
    await single.store.getState().open(assignment({ id: 'a-single', readingCase: undefined }))
    expect(single.calls).toEqual(['start:a-single'])
    expect(single.store.getState()).toMatchObject({ phase: 'idle', readingCase: null })
  })

  it('ignores a failed start (logged, never shown) and a missing master', async () => {
    const { store, log } = setup({ start: async () => Promise.reject(new RequestError('unreachable', 'offline')) }, { loadMaster: async () => Promise.reject(new Error('no master')) })
    await store.getState().open(assignment())
    await vi.waitFor(() => expect(log).toHaveBeenCalledTimes(2))
    expect(log.mock.calls.map((c) => String(c[0]))).toEqual(expect.arrayContaining([expect.stringContaining('start of reading a-second'), expect.stringContaining('finding master')]))
    expect(store.getState()).toMatchObject({ phase: 'ready', problem: null, master: null })
  })

  it('says the case is unavailable offline, and keeps a case already shown when a refresh fails', async () => {
    let fail = true
    const { store } = setup({ readingCase: async () => (fail ? Promise.reject(new RequestError('unreachable', 'cannot reach')) : aCase()) })
    await store.getState().open(assignment())
    expect(store.getState()).toMatchObject({ phase: 'error', readingCase: null, problem: { kind: 'offline', during: 'load' } })
    fail = false
    await store.getState().refresh()
    expect(store.getState()).toMatchObject({ phase: 'ready', problem: null })
    fail = true
    await store.getState().refresh()
    expect(store.getState()).toMatchObject({ phase: 'ready', readingCase: { id: 'case-1' }, problem: { kind: 'offline' } })
  })

  it('fetches the case again when the worklist says it moved on, and only then', async () => {
    const { store, calls } = setup()
    await store.getState().open(assignment())
    calls.length = 0
    store.getState().worklistChanged([assignment(), assignment({ id: 'other', readingCase: { id: 'c2', workflow: 'double', status: 'comparison', waitingOnOthers: false } })])
    expect(calls).toEqual([])
    store.getState().worklistChanged([assignment({ status: 'submitted', readingCase: { id: 'case-1', workflow: 'double', status: 'comparison', waitingOnOthers: false } })])
    await vi.waitFor(() => expect(calls).toEqual(['readingCase:case-1']))
    expect(store.getState().assignment?.readingCase?.status).toBe('comparison')
    store.getState().reportSent('not-open')
    store.getState().reportSent('a-second')
    await vi.waitFor(() => expect(calls).toEqual(['readingCase:case-1', 'readingCase:case-1']))
  })

  it('drops an answer for a study closed or replaced meanwhile', async () => {
    const slow = deferred<ReadingCase>()
    const { store } = setup({ readingCase: () => slow.promise })
    const opening = store.getState().open(assignment())
    store.getState().close()
    slow.resolve(aCase({ status: 'comparison' }))
    await opening
    expect(store.getState()).toMatchObject({ assignment: null, readingCase: null, phase: 'idle' })
  })

  it('records a consensus once however often it is clicked while the first is on its way', async () => {
    const answer = deferred<ReadingCase>()
    const { store, calls } = setup({ readingCase: async () => aCase({ status: 'comparison' }), consensus: () => answer.promise })
    await store.getState().open(assignment({ readingType: 'comparison', id: 'a-cmp' }))
    const first = store.getState().consensus({ overallJudgement: 'E', reason: '結節影あり' })
    expect(store.getState().busy).toBe(true)
    expect(await store.getState().consensus({ overallJudgement: 'E', reason: '結節影あり' })).toBe(false)
    expect(await store.getState().sendToCommittee('x')).toBe(false)
    answer.resolve(aCase({ status: 'final', final: { overallJudgement: 'E', requiresFurtherExamination: true, method: 'consensus', reason: '結節影あり', decidedAt: '2026-11-02T00:00:00.000Z' } }))
    expect(await first).toBe(true)
    expect(calls.filter((c) => c.startsWith('consensus'))).toEqual(['consensus:case-1,{"overallJudgement":"E","reason":"結節影あり"}'])
    expect(calls.some((c) => c.startsWith('sendToCommittee'))).toBe(false)
    expect(store.getState()).toMatchObject({ busy: false, readingCase: { status: 'final', final: { method: 'consensus' } } })
  })

  it('sends to the committee and records the committee decision through their own endpoints', async () => {
    const { store, calls } = setup({ readingCase: async () => aCase({ status: 'comparison' }) })
    await store.getState().open(assignment())
    expect(await store.getState().sendToCommittee('判定が割れたため')).toBe(true)
    expect(store.getState().readingCase?.status).toBe('committee')
    expect(await store.getState().committeeDecision({ overallJudgement: 'A', reason: '委員会で異常なし' })).toBe(true)
    expect(calls.slice(-2)).toEqual(['sendToCommittee:case-1,判定が割れたため', 'committeeDecision:case-1,{"overallJudgement":"A","reason":"委員会で異常なし"}'])
    expect(store.getState().readingCase?.status).toBe('final')
  })

  it('says why a decision failed, and shows the case as it is now after a conflict', async () => {
    let now = aCase({ status: 'comparison' })
    const { store, calls } = setup({
      readingCase: async () => now,
      consensus: async () => {
        now = aCase({ status: 'committee' })
        throw new RequestError('server-error', '"consensus" is not possible', 409)
      },
      sendToCommittee: async () => Promise.reject(new RequestError('forbidden', 'Only the comparison reader may do this.', 403)),
    })
    await store.getState().open(assignment())
    expect(await store.getState().sendToCommittee('x')).toBe(false)
    expect(store.getState()).toMatchObject({ busy: false, problem: { kind: 'failed', during: 'decision', detail: 'Only the comparison reader may do this.' }, readingCase: { status: 'comparison' } })
    expect(await store.getState().consensus({ overallJudgement: 'A', reason: 'r' })).toBe(false)
    expect(calls.at(-1)).toBe('readingCase:case-1')
    expect(store.getState()).toMatchObject({ busy: false, readingCase: { status: 'committee' } })
  })

  it('decides nothing when logged out or with no case open', async () => {
    const { store, calls } = setup({}, { loggedIn: false })
    expect(await store.getState().consensus({ overallJudgement: 'A', reason: 'r' })).toBe(false)
    await store.getState().open(assignment())
    expect(calls).toEqual([])
    expect(store.getState()).toMatchObject({ phase: 'error', problem: { detail: 'not logged in' } })
  })
})
