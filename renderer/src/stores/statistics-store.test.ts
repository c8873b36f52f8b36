import { describe, expect, it, vi } from 'vitest'
import type { ReaderStatistics } from '../../../shared/reading-case-contract.ts'
import type { ReadingCaseClient } from '../api/reading-case-client.ts'
import { createStatisticsStore, periodQuery } from './statistics-store.ts'

const stats = (n: number): ReaderStatistics => ({
  from: '2026-10-04T00:00:00.000Z',
  to: '2026-11-03T00:00:00.000Z',
  readers: [{ readerId: 'u1', readerName: '読影 太郎', casesRead: n, medianReadingSeconds: 300, comparedCases: 1, agreements: 1, agreementRate: 1, byFacilityModality: [] }],
})

function fakeClient(over: Partial<ReadingCaseClient>): ReadingCaseClient {
  const fail = () => Promise.reject(new Error('not expected'))
  return { readingCase: fail, consensus: fail, sendToCommittee: fail, committeeDecision: fail, checkDecision: fail, versions: fail, correct: fail, start: fail, statistics: fail, statisticsCsv: fail, ...over }
}

const noon = (y: number, m: number, d: number) => new Date(y, m - 1, d, 12, 0, 0)

describe('statistics period', () => {
  it("asks from the first day's local midnight to the midnight after the last day", () => {
    expect(periodQuery('2026-11-01', '2026-11-02')).toEqual({ from: new Date(2026, 10, 1).toISOString(), to: new Date(2026, 10, 3).toISOString() })
    // one day is a period; a first day after the last is not, nor is something that is not a date
    expect(periodQuery('2026-11-02', '2026-11-02')).not.toBeNull()
    expect(periodQuery('2026-11-03', '2026-11-02')).toBeNull()
    expect(periodQuery('', '2026-11-02')).toBeNull()
    expect(periodQuery('2026/11/01', '2026-11-02')).toBeNull()
  })
})

describe('statistics store', () => {
  it('opens on the last 30 days, today included, and loads them', async () => {
    const statistics = vi.fn(async () => stats(4))
    const store = createStatisticsStore({ client: () => fakeClient({ statistics }), save: () => {}, today: () => noon(2026, 11, 2) })
    await store.getState().open()
    expect(store.getState()).toMatchObject({ from: '2026-10-04', to: '2026-11-02', status: 'ready', statistics: stats(4) })
    expect(statistics).toHaveBeenCalledWith({ from: new Date(2026, 9, 4).toISOString(), to: new Date(2026, 10, 3).toISOString() })
  })

  it('does not ask for an invalid period, and says so', async () => {
    const statistics = vi.fn(async () => stats(1))
    const store = createStatisticsStore({ client: () => fakeClient({ statistics }), save: () => {}, today: () => noon(2026, 11, 2) })
    store.getState().setPeriod('2026-11-05', '2026-11-01')
    expect(store.getState().invalidPeriod).toBe(true)
    await store.getState().load()
    expect(statistics).not.toHaveBeenCalled()
    store.getState().setPeriod('2026-11-01', '2026-11-05')
    expect(store.getState().invalidPeriod).toBe(false)
  })

  it('keeps only the answer of the last period asked for', async () => {
    const answers: Array<(s: ReaderStatistics) => void> = []
    const statistics = vi.fn(() => new Promise<ReaderStatistics>((resolve) => answers.push(resolve)))
    const store = createStatisticsStore({ client: () => fakeClient({ statistics }), save: () => {}, today: () => noon(2026, 11, 2) })
    const first = store.getState().load()
    store.getState().setPeriod('2026-11-01', '2026-11-02')
    const second = store.getState().load()
    answers[1]!(stats(2))
    answers[0]!(stats(9))
    await Promise.all([first, second])
    expect(store.getState().statistics?.readers[0]?.casesRead).toBe(2)
  })

  it('shows a failure as an error', async () => {
    const store = createStatisticsStore({
      client: () => fakeClient({ statistics: () => Promise.reject(new Error('Only an administrator may see another reader')) }),
      save: () => {},
      today: () => noon(2026, 11, 2),
    })
    await store.getState().load()
    expect(store.getState()).toMatchObject({ status: 'error', error: 'Only an administrator may see another reader' })
  })

  it('exports the CSV of the period under a file name naming it, once at a time', async () => {
    const blob = new Blob(['readerName\r\n読影 太郎\r\n'], { type: 'text/csv' })
    let release: () => void = () => {}
    const statisticsCsv = vi.fn(async () => {
      await new Promise<void>((r) => (release = r))
      return blob
    })
    const save = vi.fn()
    const store = createStatisticsStore({ client: () => fakeClient({ statisticsCsv }), save, today: () => noon(2026, 11, 2) })
    store.getState().setPeriod('2026-11-01', '2026-11-02')
    const first = store.getState().exportCsv()
    const second = store.getState().exportCsv()
    expect(store.getState().exporting).toBe(true)
    release()
    await Promise.all([first, second])
    expect(statisticsCsv).toHaveBeenCalledTimes(1)
    expect(statisticsCsv).toHaveBeenCalledWith({ from: new Date(2026, 10, 1).toISOString(), to: new Date(2026, 10, 3).toISOString() })
    expect(save).toHaveBeenCalledWith(blob, 'reader-statistics-2026-11-01-2026-11-02.csv')
    expect(store.getState().exporting).toBe(false)
  })

  it('says why the CSV could not be exported', async () => {
    const save = vi.fn()
    const store = createStatisticsStore({ client: () => fakeClient({ statisticsCsv: () => Promise.reject(new Error('cannot reach')) }), save, today: () => noon(2026, 11, 2) })
    await store.getState().exportCsv()
    expect(save).not.toHaveBeenCalled()
    expect(store.getState()).toMatchObject({ exporting: false, exportError: 'cannot reach' })
  })
})
