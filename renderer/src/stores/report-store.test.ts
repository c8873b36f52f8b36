import { describe, expect, it, vi } from 'vitest'
import type { Assignment } from '../../../shared/api-contract.ts'
import { findingMasterSchema } from '../../../shared/finding-master.ts'
import type { ReportDraft } from '../cache/report-draft-store.ts'
import type { ReportStorage } from '../repositories/report-repository.ts'
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
    await vi.waitFor(() => expect(saved).toHaveLength(1))
    expect(store.getState().savedAt).toBe(saved[0]!.updatedAt)
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
