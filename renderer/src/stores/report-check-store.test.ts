import { describe, expect, it, vi } from 'vitest'
import type { Assignment } from '../../../shared/api-contract.ts'
import { findingMasterSchema, type ReportContent } from '../../../shared/finding-master.ts'
import type { CheckDecisionRequest, ReadingCase, ReportVersion } from '../../../shared/reading-case-contract.ts'
import type { ReadingCaseClient } from '../api/reading-case-client.ts'
import { ReportRejectedError } from '../api/report-client.ts'
import { RequestError } from '../api/request-error.ts'
import { createReportCheckStore } from './report-check-store.ts'

const bi = (s: string) => ({ ja: s, en: s })
const master = findingMasterSchema.parse({
  facilityId: 'sakura',
  version: 1,
  name: bi('m'),
  frozen: true,
  scales: [
    {
      code: 'rc',
      name: bi('rc'),
      values: [
        { code: 'N', label: bi('none'), rank: 0, normal: true, requiresFurtherExamination: false },
        { code: 'F', label: bi('follow'), rank: 2, normal: false, requiresFurtherExamination: false },
        { code: 'W', label: bi('work-up'), rank: 3, normal: false, requiresFurtherExamination: true },
      ],
    },
  ],
  bodyParts: [{ code: 'brain', name: { ja: '脳', en: 'Brain' }, kana: 'のう', lateralityApplies: true }],
  findings: [{ code: 'infarct', name: bi('infarct'), kana: 'こうそく', bodyParts: ['brain'], modalities: ['CT'], scale: 'rc', allowedJudgements: ['F', 'W'], defaultJudgement: 'W', template: bi('{{location}}') }],
  rules: [{ kind: 'location-required-above-normal', message: bi('location needed') }],
})

const original: ReportContent = {
  masterVersion: 1,
  scale: 'rc',
  findings: [{ findingCode: 'infarct', bodyPartCode: 'brain', laterality: 'L', judgement: 'F', location: '左中大脳動脈領域', keyImages: [], measurements: [] }],
  impression: '陳旧性梗塞を認めます。',
  comments: '',
  keyImages: [],
  measurements: [],
}
const version = (n: number, kind: ReportVersion['kind'], content: ReportContent, authorName = '読影 太郎'): ReportVersion => ({
  reportId: 'r1',
  version: n,
  kind,
  authorId: kind === 'amendment' ? 'u-checker' : 'u-reader',
  authorName,
  reason: kind === 'original' ? '' : 'why',
  content,
  overallJudgement: content.findings.some((f) => f.judgement === 'W') ? 'W' : 'F',
  requiresFurtherExamination: content.findings.some((f) => f.judgement === 'W'),
  createdAt: '2026-11-02T01:00:00.000Z',
})
const theCase = (status: ReadingCase['status'], latest: ReportVersion, extra: Partial<ReadingCase> = {}): ReadingCase => ({
  id: 'case-1',
  studyInstanceUid: '1.2.3',
  facilityId: 'sakura',
  workflow: 'check',
  status,
  reads: [
    { assignmentId: 'a-first', readingType: 'first', readerId: 'u-reader', readerName: '読影 太郎', status: 'submitted', blinded: false, reportId: 'r1', latest, versionCount: latest.version },
    { assignmentId: 'a-check', readingType: 'check', readerId: 'u-checker', readerName: '確認 一郎', status: 'assigned', blinded: false },
  ],
  events: [],
  ...extra,
})
const assignmentOf = (readingType: 'first' | 'check', status: ReadingCase['status']) =>
  ({ id: readingType === 'first' ? 'a-first' : 'a-check', readingType, status: 'assigned', studyInstanceUid: '1.2.3', modalities: ['CT'], readingCase: { id: 'case-1', workflow: 'check', status, waitingOnOthers: false } }) as unknown as Assignment

function fakeClient(over: Partial<ReadingCaseClient> = {}): ReadingCaseClient {
  const fail = () => Promise.reject(new Error('not expected'))
  return { readingCase: fail, consensus: fail, sendToCommittee: fail, committeeDecision: fail, checkDecision: fail, versions: fail, correct: fail, start: fail, statistics: fail, statisticsCsv: fail, ...over }
}

function storeWith(client: ReadingCaseClient) {
  let n = 0
  return createReportCheckStore({ client: () => client, loadMaster: async () => master, newKey: () => `key-${++n}` })
}

describe('report check store, checker', () => {
  it('loads the first report as the baseline and a working copy, validated against the master', async () => {
    const v1 = version(1, 'original', original)
    const store = storeWith(fakeClient({ readingCase: async () => theCase('check', v1) }))
    await store.getState().open(assignmentOf('check', 'check'))
    const s = store.getState()
    expect(s).toMatchObject({ status: 'ready', role: 'checker', baseline: v1, content: original, issues: [] })
    store.getState().updateFinding(0, { location: '' })
    expect(store.getState().issues.map((i) => i.rule)).toEqual(['location-required-above-normal'])
    store.getState().resetContent()
    expect(store.getState().content).toEqual(original)
    expect(store.getState().issues).toEqual([])
  })

  it('amends with the edited copy and one key, reused on retry after a lost answer, new for a new amendment', async () => {
    const v1 = version(1, 'original', original)
    const calls: Array<{ decision: CheckDecisionRequest; key: string | undefined }> = []
    let answers = 0
    const client = fakeClient({
      readingCase: async () => theCase('check', v1),
      checkDecision: async (_caseId, decision, key) => {
        calls.push({ decision, key })
        if (++answers === 1) throw new RequestError('unreachable', 'cannot reach the server')
        const amended = version(2, 'amendment', (decision as { content: ReportContent }).content, '確認 一郎')
        return theCase('amended', amended)
      },
    })
    const store = storeWith(client)
    await store.getState().open(assignmentOf('check', 'check'))
    store.getState().updateFinding(0, { judgement: 'W' })
    store.getState().setImpression('急性期梗塞を認めます。')
    expect(await store.getState().amend('')).toBe(false)
    expect(calls).toHaveLength(0)

    expect(await store.getState().amend('梗塞の時期')).toBe(false)
    expect(store.getState().error).toContain('cannot reach')
    expect(await store.getState().amend('梗塞の時期')).toBe(true)
    expect(calls.map((c) => c.key)).toEqual(['key-1', 'key-1'])
    expect(calls[1]!.decision).toMatchObject({ decision: 'amend', reason: '梗塞の時期', content: { impression: '急性期梗塞を認めます。' } })
    const s = store.getState()
    expect(s.readingCase?.status).toBe('amended')
    expect(s.versions.map((v) => v.kind)).toEqual(['original', 'amendment'])
    // the baseline stays the version that was checked: the changes remain visible
    expect(s.baseline?.version).toBe(1)
    expect(s.error).toBeNull()
  })

  it('makes a new key when the amendment itself changed after a failure', async () => {
    const v1 = version(1, 'original', original)
    const keys: Array<string | undefined> = []
    const client = fakeClient({
      readingCase: async () => theCase('check', v1),
      checkDecision: async (_id, _decision, key) => {
        keys.push(key)
        throw new RequestError('unreachable', 'down')
      },
    })
    const store = storeWith(client)
    await store.getState().open(assignmentOf('check', 'check'))
    store.getState().setImpression('a')
    await store.getState().amend('r')
    store.getState().setImpression('b')
    await store.getState().amend('r')
    expect(keys).toEqual(['key-1', 'key-2'])
  })

  it('sends one decision for a double click', async () => {
    const v1 = version(1, 'original', original)
    let release: () => void = () => {}
    const checkDecision = vi.fn(async () => {
      await new Promise<void>((r) => (release = r))
      return theCase('approved', v1)
    })
    const store = storeWith(fakeClient({ readingCase: async () => theCase('check', v1), checkDecision }))
    await store.getState().open(assignmentOf('check', 'check'))
    const first = store.getState().approve('  良好  ')
    const second = store.getState().approve('良好')
    expect(store.getState().busy).toBe(true)
    release()
    expect(await Promise.all([first, second])).toEqual([true, false])
    expect(checkDecision).toHaveBeenCalledTimes(1)
    expect(checkDecision).toHaveBeenCalledWith('case-1', { decision: 'approve', comment: '良好' }, undefined)
    expect(store.getState()).toMatchObject({ busy: false, readingCase: { status: 'approved' } })
  })

  it('needs a comment to return, and sends it', async () => {
    const v1 = version(1, 'original', original)
    const checkDecision = vi.fn(async () => theCase('returned', v1, { returnComment: '左基底核を再確認' }))
    const store = storeWith(fakeClient({ readingCase: async () => theCase('check', v1), checkDecision }))
    await store.getState().open(assignmentOf('check', 'check'))
    expect(await store.getState().returnReport('   ')).toBe(false)
    expect(checkDecision).not.toHaveBeenCalled()
    expect(await store.getState().returnReport('左基底核を再確認')).toBe(true)
    expect(checkDecision).toHaveBeenCalledWith('case-1', { decision: 'return', comment: '左基底核を再確認' }, undefined)
    expect(store.getState().readingCase?.returnComment).toBe('左基底核を再確認')
  })

  it("shows the master's reasons when the server refuses the amendment, and keeps the copy", async () => {
    const v1 = version(1, 'original', original)
    const store = storeWith(
      fakeClient({
        readingCase: async () => theCase('check', v1),
        checkDecision: async () => {
          throw new ReportRejectedError('refused', [{ message: { ja: '部位が必要', en: 'location needed' } }])
        },
      }),
    )
    await store.getState().open(assignmentOf('check', 'check'))
    store.getState().setImpression('changed')
    expect(await store.getState().amend('r')).toBe(false)
    expect(store.getState().rejection).toEqual([{ ja: '部位が必要', en: 'location needed' }])
    expect(store.getState().content?.impression).toBe('changed')
  })

  it('reloads the case when the decision was already taken elsewhere (409), keeping the working copy', async () => {
    const v1 = version(1, 'original', original)
    let status: ReadingCase['status'] = 'check'
    const store = storeWith(
      fakeClient({
        readingCase: async () => theCase(status, v1),
        checkDecision: async () => {
          status = 'approved'
          throw new RequestError('server-error', '"approve" is not possible in a check reading case that is approved.', 409)
        },
      }),
    )
    await store.getState().open(assignmentOf('check', 'check'))
    store.getState().setImpression('mine')
    expect(await store.getState().approve('')).toBe(false)
    expect(store.getState()).toMatchObject({ readingCase: { status: 'approved' }, content: { impression: 'mine' } })
    expect(store.getState().error).toContain('not possible')
  })

  it('shows an amended case against the version that was checked', async () => {
    const v1 = version(1, 'original', original)
    const v2 = version(2, 'amendment', { ...original, impression: '急性期' }, '確認 一郎')
    const store = storeWith(fakeClient({ readingCase: async () => theCase('amended', v2), versions: async () => [v1, v2] }))
    await store.getState().open(assignmentOf('check', 'amended'))
    expect(store.getState()).toMatchObject({ baseline: { version: 1 }, content: { impression: '急性期' } })
  })

  it('loads the case again when the worklist says it moved on (the correction came in), not otherwise', async () => {
    const v1 = version(1, 'original', original)
    const v2 = version(2, 'correction', { ...original, impression: '訂正' })
    let current = theCase('returned', v1, { returnComment: 'c' })
    const readingCase = vi.fn(async () => current)
    const store = storeWith(fakeClient({ readingCase }))
    await store.getState().open(assignmentOf('check', 'returned'))
    store.getState().worklistChanged([assignmentOf('check', 'returned')])
    expect(readingCase).toHaveBeenCalledTimes(1)
    current = theCase('check', v2)
    store.getState().worklistChanged([assignmentOf('check', 'check')])
    await vi.waitFor(() => expect(store.getState().readingCase?.status).toBe('check'))
    expect(store.getState()).toMatchObject({ baseline: { version: 2 }, content: { impression: '訂正' } })
  })

  it('refuses an assignment that is not part of a report check', async () => {
    const store = storeWith(fakeClient())
    await store.getState().open({ ...assignmentOf('first', 'check'), readingCase: { id: 'c', workflow: 'double', status: 'comparison', waitingOnOthers: false } } as Assignment)
    expect(store.getState().status).toBe('error')
  })
})

describe('report check store, first reader', () => {
  it('shows the return comment and sends a correction once per key, then sees the case back in check', async () => {
    const v1 = version(1, 'original', original)
    let status: ReadingCase['status'] = 'returned'
    const correct = vi.fn(async (_reportId: string, content: ReportContent) => {
      status = 'check'
      return [v1, version(2, 'correction', content)]
    })
    const store = storeWith(
      fakeClient({
        readingCase: async () => theCase(status, v1, status === 'returned' ? { returnComment: '左基底核を再確認' } : {}),
        versions: async () => [v1],
        correct,
      }),
    )
    await store.getState().open(assignmentOf('first', 'returned'))
    expect(store.getState()).toMatchObject({ role: 'first-reader', readingCase: { returnComment: '左基底核を再確認' }, baseline: { version: 1 }, content: original })
    store.getState().setImpression('左基底核に明らかな異常を認めません。')
    expect(await store.getState().correct(' ')).toBe(false)
    expect(await store.getState().correct('指摘部位を確認')).toBe(true)
    expect(correct).toHaveBeenCalledWith('r1', expect.objectContaining({ impression: '左基底核に明らかな異常を認めません。' }), '指摘部位を確認', 'key-1')
    expect(store.getState().versions.map((v) => v.kind)).toEqual(['original', 'correction'])
    expect(store.getState().readingCase?.status).toBe('check')
  })

  it('retries a correction whose answer was lost with the same key', async () => {
    const v1 = version(1, 'original', original)
    const keys: string[] = []
    const store = storeWith(
      fakeClient({
        readingCase: async () => theCase('returned', v1, { returnComment: 'c' }),
        versions: async () => [v1],
        correct: async (_r, content, _reason, key) => {
          keys.push(key)
          if (keys.length === 1) throw new RequestError('timeout', 'no answer')
          return [v1, version(2, 'correction', content)]
        },
      }),
    )
    await store.getState().open(assignmentOf('first', 'returned'))
    store.getState().setImpression('fixed')
    expect(await store.getState().correct('r')).toBe(false)
    expect(await store.getState().correct('r')).toBe(true)
    expect(keys).toEqual(['key-1', 'key-1'])
  })

  it("shows an amended report against the reader's own last version, not the original", async () => {
    const v1 = version(1, 'original', original)
    const v2 = version(2, 'correction', { ...original, impression: '補正' })
    const v3 = version(3, 'amendment', { ...original, impression: '急性期' }, '確認 一郎')
    const store = storeWith(fakeClient({ readingCase: async () => theCase('amended', v3), versions: async () => [v1, v2, v3] }))
    await store.getState().open(assignmentOf('first', 'amended'))
    expect(store.getState().baseline?.version).toBe(2)
    expect(store.getState().versions.at(-1)?.version).toBe(3)
  })
})
