import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { describe, expect, it, vi } from 'vitest'
import type { Assignment } from '../../../shared/api-contract.ts'
import { findingMasterSchema, type ReportContent } from '../../../shared/finding-master.ts'
import type { Measurement } from '../../../shared/report-annotations.ts'
import { createAesGcmCipher } from '../cache/cache-cipher.ts'
import { saveDraft, type ReportDraft } from '../cache/report-draft-store.ts'
import { openWorkstationDb } from '../cache/workstation-db.ts'
import { createReportStorage, type ReportStorage } from '../repositories/report-repository.ts'
import { createReportStore } from './report-store.ts'

const t = (s: string) => ({ ja: s, en: s })
const master = findingMasterSchema.parse({
  facilityId: 'f', version: 3, name: t('m'), frozen: false,
  scales: [{ code: 'ae', name: t('ae'), values: [
    { code: 'A', label: t('A'), rank: 1, normal: true, requiresFurtherExamination: false },
    { code: 'E', label: t('E'), rank: 5, normal: false, requiresFurtherExamination: true },
  ] }],
  bodyParts: [{ code: 'RL', name: { ja: '右肺野', en: 'right lung field' }, kana: 'うはいや', lateralityApplies: false }],
  findings: [{ code: 'NOD', name: t('nodule'), kana: 'けっせつ', bodyParts: ['RL'], modalities: ['CR'], scale: 'ae', allowedJudgements: ['E'], defaultJudgement: 'E', template: t('{{location}}') }],
  rules: [{ kind: 'location-required-above-normal', message: t('needs a location') }],
})
const assignment = { id: 'a1', studyInstanceUid: 's1', modalities: ['CR'], status: 'assigned' } as Assignment

function harness() {
  const saved: ReportDraft[] = []
  const queued: ReportDraft[] = []
  const storage: ReportStorage = {
    load: async () => null,
    save: async (d) => {
      saved.push(d)
      return true
    },
    queue: async (d) => {
      queued.push(d)
      await new Promise((r) => setTimeout(r, 20))
      return 'key'
    },
    outboxState: async () => null,
  }
  const notifyOutbox = vi.fn()
  const store = createReportStore({ loadMaster: async () => master, storage, notifyOutbox, saveDelayMs: 10 })
  return { store, saved, queued, notifyOutbox }
}

describe('report store', () => {
  it('starts an empty report on the master version and the modality’s scale', async () => {
    const { store } = harness()
    await store.getState().open(assignment)
    expect(store.getState()).toMatchObject({ status: 'editing', content: { masterVersion: 3, scale: 'ae', findings: [] } })
  })

  it('adds a finding with its default judgement and the body part as location, and saves the draft shortly after', async () => {
    const { store, saved } = harness()
    await store.getState().open(assignment)
    store.getState().addFinding('NOD', 'RL')
    expect(store.getState().content?.findings[0]).toMatchObject({ judgement: 'E', location: '右肺野' })
    expect(store.getState().issues).toEqual([])
    expect(store.getState().unsavedChanges).toBe(true)
    await vi.waitFor(() => expect(saved).toHaveLength(1))
    expect(store.getState().savedAt).toBe(saved[0]!.updatedAt)
    expect(store.getState().unsavedChanges).toBe(false)
  })

  it('does not call a draft saved while a change made after the save started is still waiting', async () => {
    const { store, saved } = harness()
    await store.getState().open(assignment)
    store.getState().setImpression('左手関節')
    await vi.waitFor(() => expect(saved).toHaveLength(1))
    store.getState().setImpression('左手関節に異常なし')
    expect(store.getState().unsavedChanges).toBe(true)
    await vi.waitFor(() => expect(saved).toHaveLength(2))
    expect(saved[1]!.content.impression).toBe('左手関節に異常なし')
    expect(store.getState().unsavedChanges).toBe(false)
  })

  it('saves every few moments while the reader types without a pause (a crash loses at most the last moment)', async () => {
    vi.useFakeTimers()
    try {
      const { store, saved } = harness()
      await store.getState().open(assignment)
      // 200 ms of typing, a key every 5 ms; saves are due 10 ms after a change
      for (let i = 1; i <= 40; i++) {
        store.getState().setImpression('x'.repeat(i))
        await vi.advanceTimersByTimeAsync(5)
      }
      expect(saved.length).toBeGreaterThanOrEqual(15)
      expect(saved.at(-1)!.content.impression.length).toBeGreaterThanOrEqual(38)
      await vi.advanceTimersByTimeAsync(20)
      expect(saved.at(-1)!.content.impression).toBe('x'.repeat(40))
    } finally {
      vi.useRealTimers()
    }
  })

  it('on a disk slower than the typing, saves wait their turn instead of piling up, and the newest content wins', async () => {
    vi.useFakeTimers()
    try {
      const saved: ReportDraft[] = []
      let inFlight = 0
      let maxInFlight = 0
      const storage: ReportStorage = {
        load: async () => null,
        save: async (d) => {
          maxInFlight = Math.max(maxInFlight, ++inFlight)
          await new Promise((r) => setTimeout(r, 50))
          inFlight -= 1
          saved.push(d)
          return true
        },
        queue: async () => 'key',
        outboxState: async () => null,
      }
      const store = createReportStore({ loadMaster: async () => master, storage, notifyOutbox: () => {}, saveDelayMs: 10 })
      await store.getState().open(assignment)
      for (let i = 1; i <= 100; i++) {
        store.getState().setImpression('y'.repeat(i))
        await vi.advanceTimersByTimeAsync(5)
      }
      await vi.advanceTimersByTimeAsync(200)
      // 500 ms of typing at 50 ms a save: about ten saves, one at a time, not fifty queued up
      expect(maxInFlight).toBe(1)
      expect(saved.length).toBeGreaterThanOrEqual(8)
      expect(saved.length).toBeLessThanOrEqual(12)
      expect(saved.at(-1)!.content.impression).toBe('y'.repeat(100))
      expect(saved.map((d) => d.content.impression.length)).toEqual([...saved.map((d) => d.content.impression.length)].sort((a, b) => a - b))
    } finally {
      vi.useRealTimers()
    }
  })

  it('blocks submission while a rule is broken', async () => {
    const { store, queued } = harness()
    await store.getState().open(assignment)
    store.getState().addFinding('NOD', 'RL')
    store.getState().updateFinding(0, { location: '' })
    expect(store.getState().issues.map((i) => i.rule)).toEqual(['location-required-above-normal'])
    await store.getState().submit()
    expect(queued).toHaveLength(0)
  })

  it('a double click on Submit queues one report', async () => {
    const { store, queued, notifyOutbox } = harness()
    await store.getState().open(assignment)
    store.getState().addFinding('NOD', 'RL')
    await Promise.all([store.getState().submit(), store.getState().submit()])
    expect(queued).toHaveLength(1)
    expect(notifyOutbox).toHaveBeenCalledTimes(1)
    expect(store.getState().status).toBe('queued')
    await store.getState().outboxResult('a1', { sent: true })
    expect(store.getState().status).toBe('sent')
  })
})

const length = (id: string, mm = 23.4): Measurement => ({
  id,
  kind: 'length',
  sopInstanceUid: '1.2.3.10',
  seriesInstanceUid: '1.2.3',
  viewPlaneNormal: [0, 0, 1],
  viewUp: [0, -1, 0],
  points: [
    [0, 0, 0],
    [mm, 0, 0],
  ],
  values: { length: mm },
  lengthUnit: 'mm',
})

describe('report store: key images and measurements', () => {
  it('marks an image as a key image and unmarks it on the second toggle; another frame of it is another key image', async () => {
    const { store, saved } = harness()
    await store.getState().open(assignment)
    const image = { sopInstanceUid: '1.2.3.10', seriesInstanceUid: '1.2.3' }
    store.getState().toggleKeyImage(image)
    store.getState().toggleKeyImage({ ...image, sopInstanceUid: '1.2.3.11', frame: 4 })
    store.getState().toggleKeyImage({ ...image, sopInstanceUid: '1.2.3.11', frame: 5 })
    expect(store.getState().content?.keyImages).toEqual([image, { ...image, sopInstanceUid: '1.2.3.11', frame: 4 }, { ...image, sopInstanceUid: '1.2.3.11', frame: 5 }])
    // a single-frame image is its own frame 1
    store.getState().toggleKeyImage({ ...image, frame: 1 })
    store.getState().toggleKeyImage({ ...image, sopInstanceUid: '1.2.3.11', frame: 4 })
    expect(store.getState().content?.keyImages).toEqual([{ ...image, sopInstanceUid: '1.2.3.11', frame: 5 }])
    await vi.waitFor(() => expect(saved.at(-1)?.content.keyImages).toEqual([{ ...image, sopInstanceUid: '1.2.3.11', frame: 5 }]))
  })

  it('keeps key images apart from the findings’ key images', async () => {
    const { store } = harness()
    await store.getState().open(assignment)
    store.getState().addFinding('NOD', 'RL')
    store.getState().toggleFindingKeyImage(0, '1.2.3.10')
    store.getState().toggleKeyImage({ sopInstanceUid: '1.2.3.11', seriesInstanceUid: '1.2.3' })
    expect(store.getState().content?.findings[0]?.keyImages).toEqual(['1.2.3.10'])
    expect(store.getState().content?.keyImages.map((k) => k.sopInstanceUid)).toEqual(['1.2.3.11'])
  })

  it('adds a measurement, replaces it in place when the viewer edits it, and ignores a repeat of the same values', async () => {
    const { store, saved } = harness()
    await store.getState().open(assignment)
    store.getState().upsertMeasurement(length('a'))
    store.getState().upsertMeasurement(length('b', 10))
    store.getState().upsertMeasurement(length('a', 30.5))
    expect(store.getState().content?.measurements.map((m) => [m.id, m.values.length])).toEqual([
      ['a', 30.5],
      ['b', 10],
    ])
    await vi.waitFor(() => expect(saved.at(-1)?.content.measurements).toHaveLength(2))
    const content = store.getState().content
    store.getState().upsertMeasurement(length('a', 30.5))
    expect(store.getState().content).toBe(content)
  })

  it('leaves out values Cornerstone could not compute, and refuses a measurement the contract does not accept', async () => {
    const { store } = harness()
    await store.getState().open(assignment)
    store.getState().upsertMeasurement({ ...length('roi'), kind: 'ellipse', values: { area: 12, mean: Number.NaN, stdDev: Number.POSITIVE_INFINITY } })
    expect(store.getState().content?.measurements[0]?.values).toEqual({ area: 12 })
    store.getState().upsertMeasurement({ ...length('bad'), points: [] })
    expect(store.getState().content?.measurements.map((m) => m.id)).toEqual(['roi'])
    expect(store.getState().error).toMatch(/measurement could not be kept: points/)
  })

  it('removing a measurement unlinks it from every finding', async () => {
    const { store, saved } = harness()
    await store.getState().open(assignment)
    store.getState().addFinding('NOD', 'RL')
    store.getState().addFinding('NOD', 'RL')
    store.getState().upsertMeasurement(length('a'))
    store.getState().upsertMeasurement(length('b'))
    store.getState().toggleMeasurementLink(0, 'a')
    store.getState().toggleMeasurementLink(0, 'b')
    store.getState().toggleMeasurementLink(1, 'a')
    // a link to a measurement the report does not have is not made
    store.getState().toggleMeasurementLink(1, 'nope')
    expect(store.getState().content?.findings.map((f) => f.measurements)).toEqual([['a', 'b'], ['a']])
    store.getState().removeMeasurement('a')
    expect(store.getState().content?.measurements.map((m) => m.id)).toEqual(['b'])
    expect(store.getState().content?.findings.map((f) => f.measurements)).toEqual([['b'], []])
    store.getState().toggleMeasurementLink(0, 'b')
    expect(store.getState().content?.findings[0]?.measurements).toEqual([])
    await vi.waitFor(() => expect(saved.at(-1)?.content.findings[0]?.measurements).toEqual([]))
  })

  it('changes nothing once the report is queued', async () => {
    const { store } = harness()
    await store.getState().open(assignment)
    store.getState().addFinding('NOD', 'RL')
    await store.getState().submit()
    expect(store.getState().status).toBe('queued')
    store.getState().toggleKeyImage({ sopInstanceUid: '1.2.3.10', seriesInstanceUid: '1.2.3' })
    store.getState().upsertMeasurement(length('a'))
    expect(store.getState().content).toMatchObject({ keyImages: [], measurements: [] })
  })
})

describe('report store: drafts with key images and measurements in the local database', () => {
  async function localStorage() {
    const db = openWorkstationDb(`report-store-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange })
    const cipher = await createAesGcmCipher(new Uint8Array(32).fill(7))
    return { db, cipher, storage: createReportStorage(db, async () => cipher) }
  }
  const storeOn = (storage: ReportStorage) => createReportStore({ loadMaster: async () => master, storage, notifyOutbox: () => {}, saveDelayMs: 5 })

  it('saves them with the draft and restores them when the report is opened again (a restart)', async () => {
    const { db, storage } = await localStorage()
    const first = storeOn(storage)
    await first.getState().open(assignment)
    first.getState().addFinding('NOD', 'RL')
    first.getState().upsertMeasurement(length('a'))
    first.getState().toggleMeasurementLink(0, 'a')
    first.getState().toggleKeyImage({ sopInstanceUid: '1.2.3.10', seriesInstanceUid: '1.2.3', frame: 2 })
    await vi.waitFor(() => expect(first.getState().savedAt).not.toBeNull())
    const written = first.getState().content
    first.getState().close()

    const second = storeOn(storage)
    await second.getState().open(assignment)
    expect(second.getState().content).toEqual(written)
    expect(second.getState().content).toMatchObject({ keyImages: [{ frame: 2 }], measurements: [{ id: 'a', values: { length: 23.4 } }], findings: [{ measurements: ['a'] }] })
    db.close()
  })

  it('opens a draft saved by the previous version (no key images, no measurements) with empty lists', async () => {
    const { db, cipher, storage } = await localStorage()
    const old = { masterVersion: 3, scale: 'ae', findings: [{ findingCode: 'NOD', bodyPartCode: 'RL', judgement: 'E', location: '右肺野', keyImages: [], measurements: [] }], impression: '旧版', comments: '' }
    await saveDraft(db, cipher, { assignmentId: 'a1', studyInstanceUid: 's1', content: old as unknown as ReportContent, updatedAt: 1 })
    const store = storeOn(storage)
    await store.getState().open(assignment)
    expect(store.getState().status).toBe('editing')
    expect(store.getState().content).toMatchObject({ impression: '旧版', keyImages: [], measurements: [] })
    store.getState().upsertMeasurement(length('a'))
    expect(store.getState().content?.measurements).toHaveLength(1)
    db.close()
  })
})
