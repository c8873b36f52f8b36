// @vitest-environment jsdom
import { act } from 'react'
import { createRoot, type Root } from 'react-dom/client'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { create } from 'zustand'
import type { Assignment } from '../../../shared/api-contract.ts'
import { findingMasterSchema, type ReportContent } from '../../../shared/finding-master.ts'
import type { CheckDecisionRequest, ReadingCase, ReportVersion } from '../../../shared/reading-case-contract.ts'
import type { ReadingCaseClient } from '../api/reading-case-client.ts'
import { useLanguageStore } from '../i18n/language-store.ts'
import { createReportCheckStore } from '../stores/report-check-store.ts'
import { CheckReviewPanel } from './check-review-panel.tsx'

;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

const bi = (ja: string, en = ja) => ({ ja, en })
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
        { code: 'F', label: bi('要フォロー', 'Follow-up'), rank: 2, normal: false, requiresFurtherExamination: false },
        { code: 'W', label: bi('要精査', 'Further work-up'), rank: 3, normal: false, requiresFurtherExamination: true },
      ],
    },
  ],
  bodyParts: [{ code: 'brain', name: bi('脳', 'Brain'), kana: 'のう', lateralityApplies: true }],
  findings: [{ code: 'infarct', name: bi('脳梗塞', 'Infarct'), kana: 'のうこうそく', bodyParts: ['brain'], modalities: ['CT'], scale: 'rc', allowedJudgements: ['F', 'W'], defaultJudgement: 'W', template: bi('{{location}}') }],
  rules: [],
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
const v1: ReportVersion = {
  reportId: 'r1',
  version: 1,
  kind: 'original',
  authorId: 'u-reader',
  authorName: '読影 太郎',
  reason: '',
  content: original,
  overallJudgement: 'F',
  requiresFurtherExamination: false,
  createdAt: '2026-11-02T01:00:00.000Z',
}
const theCase = (status: ReadingCase['status'], latest: ReportVersion): ReadingCase => ({
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
})
const assignment = { id: 'a-check', readingType: 'check', status: 'assigned', studyInstanceUid: '1.2.3', modalities: ['CT'], readingCase: { id: 'case-1', workflow: 'check', status: 'check', waitingOnOthers: false } } as unknown as Assignment

const stores = vi.hoisted(() => ({ check: null as unknown, study: null as unknown }))
vi.mock('../app-stores.ts', () => ({
  get useReportCheckStore() {
    return stores.check
  },
  get useStudyStore() {
    return stores.study
  },
}))

const decisions: Array<{ decision: CheckDecisionRequest; key: string | undefined }> = []
let store: ReturnType<typeof createReportCheckStore>
let container: HTMLDivElement
let root: Root

beforeEach(async () => {
  useLanguageStore.setState({ language: 'en' })
  decisions.length = 0
  const fail = () => Promise.reject(new Error('not expected'))
  const client: ReadingCaseClient = {
    readingCase: async () => theCase('check', v1),
    consensus: fail,
    sendToCommittee: fail,
    committeeDecision: fail,
    checkDecision: async (_id, decision, key) => {
      decisions.push({ decision, key })
      if (decision.decision !== 'amend') return theCase(decision.decision === 'approve' ? 'approved' : 'returned', v1)
      const amended = theCase('amended', { ...v1, version: 2, kind: 'amendment', authorName: '確認 一郎', reason: decision.reason, content: decision.content })
      return { ...amended, final: { overallJudgement: 'W', requiresFurtherExamination: true, method: 'amended', reason: decision.reason, decidedAt: '2026-11-02T02:00:00.000Z' } }
    },
    versions: fail,
    correct: fail,
    start: fail,
    statistics: fail,
    statisticsCsv: fail,
  }
  store = createReportCheckStore({ client: () => client, loadMaster: async () => master, newKey: () => 'amend-key' })
  stores.check = store
  stores.study = create(() => ({ requestImage: () => {} }))
  container = document.createElement('div')
  document.body.append(container)
  root = createRoot(container)
  await act(async () => root.render(<CheckReviewPanel assignment={assignment} />))
})

afterEach(async () => {
  await act(async () => root.unmount())
  container.remove()
})

const byTestId = <T extends Element = HTMLElement>(id: string) => container.querySelector<T>(`[data-testid="${id}"]`)
const button = (id: string) => byTestId<HTMLButtonElement>(id)!
async function typeInto(label: string, value: string) {
  const field = container.querySelector<HTMLTextAreaElement | HTMLInputElement>(`[aria-label="${label}"]`)!
  const proto = field instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype
  await act(async () => {
    Object.getOwnPropertyDescriptor(proto, 'value')!.set!.call(field, value)
    field.dispatchEvent(new Event('input', { bubbles: true }))
  })
}

describe('check review panel', () => {
  it('shows the first report, editable, with no changes yet: approve offered, amendment not', async () => {
    expect(byTestId('check-first-read')?.textContent).toContain('読影 太郎')
    expect(byTestId('impression-editor')?.textContent).toBe('陳旧性梗塞を認めます。')
    expect(byTestId('tracked-changes')?.getAttribute('data-changed')).toBe('false')
    expect(button('check-approve').disabled).toBe(false)
    expect(button('check-amend').disabled).toBe(true)
    expect(button('check-return').disabled).toBe(true)
  })

  it('tracks an edit live; then only the amendment (with a reason) is offered, and it sends the edited report', async () => {
    await act(async () => {
      const select = container.querySelector<HTMLSelectElement>('[aria-label="Judgement"]')!
      select.value = 'W'
      select.dispatchEvent(new Event('change', { bubbles: true }))
    })
    expect(byTestId('tracked-changes')?.getAttribute('data-changed')).toBe('true')
    expect(container.querySelector('[data-field="judgement"] ins')?.textContent).toBe('W Further work-up')
    expect(button('check-approve').disabled).toBe(true)
    expect(button('check-amend').disabled).toBe(true)
    await typeInto('Reason for the amendment (required)', '梗塞の時期')
    expect(button('check-amend').disabled).toBe(false)
    await act(async () => button('check-amend').click())
    expect(decisions).toEqual([{ decision: { decision: 'amend', reason: '梗塞の時期', content: { ...original, findings: [{ ...original.findings[0]!, judgement: 'W' }] } }, key: 'amend-key' }])
    expect(byTestId('check-state')?.getAttribute('data-state')).toBe('amended')
    // decided: the outcome with the changes against the version checked, and no more buttons
    expect(byTestId('check-outcome')?.textContent).toContain('梗塞の時期')
    expect(container.querySelector('[data-testid="check-outcome"] [data-field="judgement"] del')?.textContent).toBe('F Follow-up')
    expect(byTestId('check-amend')).toBeNull()
  })

  it('goes back to the first report, and returns it with a comment', async () => {
    await act(async () => store.getState().setImpression('新しい文'))
    expect(button('check-approve').disabled).toBe(true)
    await act(async () => button('check-reset').click())
    expect(store.getState().content).toEqual(original)
    expect(button('check-approve').disabled).toBe(false)
    await typeInto('Comment to the first reader (required)', '左基底核を再確認')
    await act(async () => button('check-return').click())
    expect(decisions.map((d) => d.decision)).toEqual([{ decision: 'return', comment: '左基底核を再確認' }])
    expect(byTestId('check-state')?.getAttribute('data-state')).toBe('returned')
  })
})
