// @vitest-environment jsdom
import { act } from 'react'
import { createRoot, type Root } from 'react-dom/client'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { findingMasterSchema, type ReportContent, type ReportFinding } from '../../../shared/finding-master.ts'
import type { ReadingCase } from '../../../shared/reading-case-contract.ts'
import { useLanguageStore } from '../i18n/language-store.ts'
import { CaseDecisionForm, type CaseDecisionFormProps } from './case-decision-form.tsx'
import { CaseFinalRecord } from './case-final-record.tsx'
import { comparedReads, decisionStage, type VisibleRead } from './case-view-rules.ts'
import { ComparisonView } from './comparison-view.tsx'

;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

const bi = (ja: string, en: string) => ({ ja, en })
const value = (code: string, rank: number, further: boolean, ja: string, en: string) => ({ code, label: bi(ja, en), rank, normal: rank === 1, requiresFurtherExamination: further })
const master = findingMasterSchema.parse({
  facilityId: 'f',
  version: 1,
  name: bi('マスター', 'master'),
  frozen: true,
  scales: [{ code: 'lung-xray', name: bi('肺', 'lung'), values: [value('A', 1, false, '異常なし', 'No abnormality'), value('C', 3, false, '軽度異常', 'Minor'), value('E', 5, true, '要精検', 'Further examination')] }],
  bodyParts: [
    { code: 'lung-field', name: bi('肺野', 'lung field'), kana: 'はいや', lateralityApplies: true },
    { code: 'chest', name: bi('胸部', 'chest'), kana: 'きょうぶ', lateralityApplies: false },
    { code: 'hilum', name: bi('肺門', 'hilum'), kana: 'はいもん', lateralityApplies: true },
    { code: 'pleura', name: bi('胸膜', 'pleura'), kana: 'きょうまく', lateralityApplies: true },
  ],
  findings: [
    { code: 'cx-nodule', name: bi('結節影', 'Nodule'), kana: 'けっせつ', bodyParts: ['lung-field'], modalities: ['CR'], scale: 'lung-xray', allowedJudgements: ['C', 'E'], defaultJudgement: 'E', template: bi('x', 'x') },
    { code: 'cx-hilar', name: bi('肺門腫大', 'Hilar enlargement'), kana: 'はいもん', bodyParts: ['hilum'], modalities: ['CR'], scale: 'lung-xray', allowedJudgements: ['C', 'E'], defaultJudgement: 'C', template: bi('x', 'x') },
    { code: 'cx-pleural', name: bi('胸膜肥厚', 'Pleural thickening'), kana: 'きょうまく', bodyParts: ['pleura'], modalities: ['CR'], scale: 'lung-xray', allowedJudgements: ['C'], defaultJudgement: 'C', template: bi('x', 'x') },
    { code: 'cx-scar', name: bi('瘢痕', 'Scar'), kana: 'はんこん', bodyParts: ['lung-field'], modalities: ['CR'], scale: 'lung-xray', allowedJudgements: ['C'], defaultJudgement: 'C', template: bi('x', 'x') },
  ],
  rules: [],
})

const finding = (code: string, bodyPart: string, judgement: string, over: Partial<ReportFinding> = {}): ReportFinding => ({ findingCode: code, bodyPartCode: bodyPart, judgement, keyImages: [], measurements: [], ...over })
const content = (findings: ReportFinding[], impression: string, over: Partial<ReportContent> = {}): ReportContent => ({ masterVersion: 1, scale: 'lung-xray', findings, impression, comments: '', keyImages: [], measurements: [], ...over })
const read = (type: 'first' | 'second', reader: string, c: ReportContent, overall: string, further: boolean): VisibleRead => ({
  assignmentId: `a-${type}`,
  readingType: type,
  readerId: `u-${type}`,
  readerName: reader,
  status: 'submitted',
  submittedAt: '2026-11-02T01:00:00.000Z',
  blinded: false,
  reportId: `r-${type}`,
  versionCount: 1,
  latest: { reportId: `r-${type}`, version: 1, kind: 'original', authorId: `u-${type}`, authorName: reader, reason: '', content: c, overallJudgement: overall, requiresFurtherExamination: further, createdAt: '2026-11-02T01:00:00.000Z' },
})

// first: nodule E (key image in the study), hilar C on the right, pleural C, scar C; second: nodule C, hilar C on the left, pleural C, and a finding only it has
const first = read(
  'first',
  '読影 花子',
  content(
    [
      finding('cx-nodule', 'lung-field', 'E', { laterality: 'R', location: '右上肺野', keyImages: ['1.2.3.1', '9.9.9'] }),
      finding('cx-hilar', 'hilum', 'C', { laterality: 'R', location: '右肺門' }),
      finding('cx-pleural', 'pleura', 'C', { laterality: 'L', location: '左肺尖' }),
      finding('cx-scar', 'lung-field', 'C', { laterality: 'L', location: '左下肺野' }),
    ],
    '右上肺野に結節影。',
    { needsPriorComparison: true, priorsCompared: ['p1'] },
  ),
  'E',
  true,
)
const second = read(
  'second',
  '読影 太郎',
  content(
    [
      finding('cx-nodule', 'lung-field', 'C', { laterality: 'R', location: '右上肺野' }),
      finding('cx-hilar', 'hilum', 'C', { laterality: 'L', location: '左肺門' }),
      finding('cx-pleural', 'pleura', 'C', { laterality: 'L', location: ' 左肺尖 ' }),
    ],
    '軽度の所見のみ。',
  ),
  'C',
  false,
)

let container: HTMLDivElement
let root: Root
beforeEach(() => {
  useLanguageStore.setState({ language: 'ja' })
  container = document.createElement('div')
  document.body.append(container)
  root = createRoot(container)
})
afterEach(async () => {
  await act(async () => root.unmount())
  container.remove()
})

const rows = () => [...container.querySelectorAll<HTMLTableRowElement>('[data-testid="comparison-row"]')]

describe('ComparisonView', () => {
  const onShowImage = vi.fn()
  const describeImage = (sop: string) => (sop === '1.2.3.1' ? 'Se 1 · Im 1' : null)
  const render = () => act(async () => root.render(<ComparisonView first={first} second={second} master={master} describeImage={describeImage} onShowImage={onShowImage} />))

  it('matches the findings and names each difference, in Japanese', async () => {
    await render()
    expect(rows().map((r) => [r.dataset.finding, r.dataset.match])).toEqual([
      ['cx-nodule', 'judgement-differs'],
      ['cx-hilar', 'location-differs'],
      ['cx-pleural', 'agree'],
      ['cx-scar', 'only-first'],
    ])
    expect(rows().map((r) => r.querySelector('[data-testid="comparison-match"]')?.textContent)).toEqual(['判定が異なる', '部位が異なる', '一致', '一次読影のみ'])
    expect(rows()[0]!.textContent).toContain('結節影')
    expect(rows()[0]!.textContent).toContain('E 要精検')
    expect(rows()[0]!.textContent).toContain('C 軽度異常')
    expect(rows()[3]!.textContent).toContain('（記載なし）')
    const overall = container.querySelector<HTMLElement>('[data-testid="comparison-overall"]')!
    expect(overall.dataset.agrees).toBe('false')
    expect(overall.textContent).toContain('不一致')
    // three rows differ, and so does the overall judgement
    expect(container.querySelector('[data-testid="comparison-disagreements"]')?.textContent).toBe('相違 4 件')
    expect(container.querySelector('[data-testid="comparison-view"]')?.textContent).toContain('読影 花子')
    expect(container.querySelector('[data-testid="comparison-needs-priors"]')?.textContent).toBe('要比較読影')
    expect([...container.querySelectorAll('[data-testid="comparison-impression"]')].map((e) => e.textContent)).toEqual([
      expect.stringContaining('右上肺野に結節影。'),
      expect.stringContaining('軽度の所見のみ。'),
    ])
  })

  it('colours a row by its match, and says the same in English', async () => {
    useLanguageStore.setState({ language: 'en' })
    await render()
    expect(rows().map((r) => r.querySelector('[data-testid="comparison-match"]')?.textContent)).toEqual(['Judgement differs', 'Location differs', 'Agree', 'Only in the first read'])
    const backgrounds = rows().map((r) => r.style.background)
    expect(new Set(backgrounds).size).toBe(4)
    expect(rows()[1]!.textContent).toContain('Hilar enlargement')
  })

  it('lists only in the second read what the first lacks, and agrees when everything does', async () => {
    await act(async () => root.render(<ComparisonView first={second} second={first} master={null} describeImage={() => null} onShowImage={() => {}} />))
    expect(rows().at(-1)?.dataset.match).toBe('only-second')
    await act(async () => root.render(<ComparisonView first={second} second={{ ...second, readingType: 'second', assignmentId: 'x' }} master={null} describeImage={() => null} onShowImage={() => {}} />))
    expect(rows().every((r) => r.dataset.match === 'agree')).toBe(true)
    expect(container.querySelector<HTMLElement>('[data-testid="comparison-overall"]')?.dataset.agrees).toBe('true')
    // without the master, codes stand for names
    expect(rows()[0]!.textContent).toContain('cx-nodule')
  })

  it('shows a finding’s key image in the viewer when the study holds it, and names the others', async () => {
    await render()
    const buttons = [...container.querySelectorAll<HTMLButtonElement>('[data-testid="comparison-key-image"]')]
    expect(buttons.map((b) => b.textContent)).toEqual(['Se 1 · Im 1'])
    await act(async () => buttons[0]!.click())
    expect(onShowImage).toHaveBeenCalledWith('1.2.3.1')
    expect(container.querySelector('[data-testid="comparison-key-image-elsewhere"]')?.textContent).toContain('9.9.9')
  })
})

describe('CaseDecisionForm', () => {
  const handlers = () => ({ onConsensus: vi.fn(), onSendToCommittee: vi.fn(), onCommitteeDecision: vi.fn() })
  const render = (props: Partial<CaseDecisionFormProps> & Pick<CaseDecisionFormProps, 'onConsensus' | 'onSendToCommittee' | 'onCommitteeDecision'>) =>
    act(async () => root.render(<CaseDecisionForm stage="comparison" scale={master.scales[0]!} fallbackJudgements={[]} busy={false} failure={null} {...props} />))
  const button = (id: string) => container.querySelector<HTMLButtonElement>(`[data-testid="${id}"]`)!
  const choose = (code: string) =>
    act(async () => {
      const select = container.querySelector<HTMLSelectElement>('[data-testid="decision-judgement"]')!
      select.value = code
      select.dispatchEvent(new Event('change', { bubbles: true }))
    })
  // React tracks the value it set: a test must go through the native setter for React to see the change
  const type = (text: string) =>
    act(async () => {
      const area = container.querySelector<HTMLTextAreaElement>('[data-testid="decision-reason"]')!
      Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!.call(area, text)
      area.dispatchEvent(new Event('input', { bubbles: true }))
    })

  it('offers the scale’s judgements and records a consensus only with a judgement and a reason', async () => {
    const h = handlers()
    await render(h)
    expect([...container.querySelectorAll('option')].map((o) => o.textContent)).toEqual(['選択してください', 'A 異常なし', 'C 軽度異常', 'E 要精検'])
    expect(button('record-consensus').disabled).toBe(true)
    expect(button('send-to-committee').disabled).toBe(true)
    await choose('E')
    expect(button('record-consensus').disabled).toBe(true)
    await type('   ')
    expect(button('record-consensus').disabled).toBe(true)
    await type('  結節影あり、一次読影を採用 ')
    expect(button('record-consensus').disabled).toBe(false)
    await act(async () => button('record-consensus').click())
    expect(h.onConsensus).toHaveBeenCalledWith({ overallJudgement: 'E', reason: '結節影あり、一次読影を採用' })
    await act(async () => button('send-to-committee').click())
    expect(h.onSendToCommittee).toHaveBeenCalledWith('結節影あり、一次読影を採用')
  })

  it('sends nothing while a decision is on its way, and says why the last one failed', async () => {
    const h = handlers()
    await render({ ...h })
    await choose('A')
    await type('理由')
    await render({ ...h, busy: true, failure: 'Only the comparison reader may do this.' })
    expect(button('record-consensus').disabled).toBe(true)
    expect(button('send-to-committee').disabled).toBe(true)
    await act(async () => button('record-consensus').click())
    expect(h.onConsensus).not.toHaveBeenCalled()
    expect(container.querySelector('[role="alert"]')?.textContent).toContain('Only the comparison reader may do this.')
  })

  it('at the committee records the committee’s decision, with the reads’ judgements when there is no master', async () => {
    const h = handlers()
    await render({ ...h, stage: 'committee', scale: null, fallbackJudgements: ['E', 'C'], committeeReason: '判定が割れたため' })
    expect(container.textContent).toContain('委員会へ送った理由: 判定が割れたため')
    expect(container.querySelector('[data-testid="record-consensus"]')).toBeNull()
    expect([...container.querySelectorAll('option')].map((o) => o.value)).toEqual(['', 'E', 'C'])
    await choose('C')
    await type('委員会で軽度と判断')
    await act(async () => button('record-committee-decision').click())
    expect(h.onCommitteeDecision).toHaveBeenCalledWith({ overallJudgement: 'C', reason: '委員会で軽度と判断' })
  })
})

const finalCase: ReadingCase = {
  id: 'case-1',
  studyInstanceUid: '1.2.3',
  facilityId: 'f',
  workflow: 'double',
  status: 'final',
  reads: [first, second, { assignmentId: 'a-cmp', readingType: 'comparison', readerId: 'u-checker', readerName: '確認 一郎', status: 'submitted', blinded: false }],
  final: { overallJudgement: 'E', requiresFurtherExamination: true, method: 'consensus', reason: '結節影あり', decidedBy: 'u-checker', decidedAt: '2026-11-02T02:00:00.000Z' },
  events: [
    { at: '2026-11-02T01:00:00.000Z', actorId: 'u-first', actorName: '読影 花子', event: 'read-submitted', fromStatus: 'first-read', toStatus: 'second-read', detail: 'first read submitted' },
    { at: '2026-11-02T01:30:00.000Z', actorId: 'u-second', actorName: '読影 太郎', event: 'read-submitted', fromStatus: 'second-read', toStatus: 'comparison', detail: 'second read submitted' },
    { at: '2026-11-02T02:00:00.000Z', actorId: 'u-checker', actorName: '確認 一郎', event: 'consensus', fromStatus: 'comparison', toStatus: 'final', detail: '結節影あり' },
  ],
}

describe('CaseFinalRecord', () => {
  it('shows the final judgement, how, why, by whom, and every transition', async () => {
    await act(async () => root.render(<CaseFinalRecord readingCase={finalCase} master={master} />))
    const record = container.querySelector<HTMLElement>('[data-testid="case-final-record"]')!
    expect(record.dataset.method).toBe('consensus')
    expect(container.querySelector('[data-testid="final-judgement"]')?.textContent).toBe('E 要精検 · 要精検')
    expect(container.querySelector('[data-testid="final-method"]')?.textContent).toBe('合議（コンセンサス）')
    expect(record.textContent).toContain('確認 一郎')
    expect(record.textContent).toContain('結節影あり')
    const events = [...container.querySelectorAll('[data-testid="case-events"] li')].map((li) => li.textContent)
    expect(events).toHaveLength(3)
    expect(events[2]).toContain('確認 一郎: コンセンサス (比較読影待ち → 確定) — 結節影あり')
  })
})

describe('case view rules', () => {
  const caseAt = (status: ReadingCase['status'], reads = finalCase.reads): ReadingCase => ({ ...finalCase, status, reads })

  it('compares only once the case is past both reads and both can be seen', () => {
    expect(comparedReads(caseAt('comparison'))?.first.readerName).toBe('読影 花子')
    expect(comparedReads(caseAt('second-read'))).toBeNull()
    const blinded = [{ ...first, blinded: true, latest: undefined }, second]
    expect(comparedReads(caseAt('comparison', blinded as ReadingCase['reads']))).toBeNull()
    expect(comparedReads({ ...caseAt('final'), workflow: 'check' })).toBeNull()
  })

  it('offers the comparison to its reader (or the second reader when none is assigned) and the committee to checkers', () => {
    expect(decisionStage(caseAt('comparison'), { id: 'u-checker', role: 'checker' })).toBe('comparison')
    expect(decisionStage(caseAt('comparison'), { id: 'u-second', role: 'reader' })).toBeNull()
    expect(decisionStage(caseAt('comparison', [first, second]), { id: 'u-second', role: 'reader' })).toBe('comparison')
    expect(decisionStage(caseAt('comparison', [first, second]), { id: 'u-first', role: 'reader' })).toBeNull()
    expect(decisionStage(caseAt('comparison'), { id: 'someone', role: 'admin' })).toBe('comparison')
    expect(decisionStage(caseAt('committee'), { id: 'other-checker', role: 'checker' })).toBe('committee')
    expect(decisionStage(caseAt('committee'), { id: 'u-second', role: 'reader' })).toBeNull()
    expect(decisionStage(caseAt('final'), { id: 'u-checker', role: 'checker' })).toBeNull()
    expect(decisionStage(caseAt('comparison'), null)).toBeNull()
  })
})
