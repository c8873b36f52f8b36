// @vitest-environment jsdom
import { act } from 'react'
import { createRoot, type Root } from 'react-dom/client'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { findingMasterSchema, type ReportContent } from '../../../shared/finding-master.ts'
import { useLanguageStore } from '../i18n/language-store.ts'
import { TrackedChanges } from './tracked-changes.tsx'

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
        { code: 'N', label: bi('所見なし', 'No findings'), rank: 0, normal: true, requiresFurtherExamination: false },
        { code: 'F', label: bi('要フォロー', 'Follow-up'), rank: 2, normal: false, requiresFurtherExamination: false },
        { code: 'W', label: bi('要精査', 'Further work-up'), rank: 3, normal: false, requiresFurtherExamination: true },
      ],
    },
  ],
  bodyParts: [
    { code: 'head', name: bi('頭部', 'Head'), kana: 'とうぶ', lateralityApplies: false },
    { code: 'brain', name: bi('脳', 'Brain'), kana: 'のう', lateralityApplies: true },
  ],
  findings: [
    { code: 'none', name: bi('異常なし', 'No abnormality'), kana: 'いじょうなし', bodyParts: ['head'], modalities: ['CT'], scale: 'rc', allowedJudgements: ['N'], defaultJudgement: 'N', template: bi('{{location}}'), noAbnormality: true },
    { code: 'infarct', name: bi('脳梗塞', 'Infarct'), kana: 'のうこうそく', bodyParts: ['brain'], modalities: ['CT'], scale: 'rc', allowedJudgements: ['F', 'W'], defaultJudgement: 'W', template: bi('{{location}}') },
  ],
  rules: [],
})
const report = (over: Partial<ReportContent>): ReportContent => ({ masterVersion: 1, scale: 'rc', findings: [], impression: '', comments: '', keyImages: [], measurements: [], ...over })
const infarct = (judgement: string, location: string) => ({ findingCode: 'infarct', bodyPartCode: 'brain', laterality: 'L' as const, judgement, location, keyImages: [], measurements: [] })

let container: HTMLDivElement
let root: Root

beforeEach(() => {
  useLanguageStore.setState({ language: 'en' })
  container = document.createElement('div')
  document.body.append(container)
  root = createRoot(container)
})
afterEach(async () => {
  await act(async () => root.unmount())
  container.remove()
})

const render = (before: ReportContent, after: ReportContent, withMaster = true) => act(async () => root.render(<TrackedChanges before={before} after={after} master={withMaster ? master : null} />))
const q = (testId: string) => container.querySelector(`[data-testid="${testId}"]`)
const texts = (selector: string, within: Element | null = container) => [...(within?.querySelectorAll(selector) ?? [])].map((e) => e.textContent)

describe('TrackedChanges', () => {
  it('shows the impression as kept, deleted and inserted runs, in order', async () => {
    await render(report({ impression: '左中大脳動脈領域に陳旧性梗塞を認めます。' }), report({ impression: '左中大脳動脈領域に新鮮梗塞を認めます。' }))
    const impression = q('tracked-impression')!
    expect(texts('del', impression)).toEqual(['陳旧性'])
    expect(texts('ins', impression)).toEqual(['新鮮'])
    // kept text around the change, and the whole sentence reads before → after in document order
    expect(impression.textContent).toBe('左中大脳動脈領域に陳旧性新鮮梗塞を認めます。')
    expect(impression.firstElementChild?.tagName).toBe('SPAN')
    expect(q('tracked-changes')?.getAttribute('data-changed')).toBe('true')
  })

  it('lists findings added, removed and changed, with the fields that changed and their values', async () => {
    const noneFinding = { findingCode: 'none', bodyPartCode: 'head', judgement: 'N', keyImages: [], measurements: [] }
    await render(report({ findings: [noneFinding] }), report({ findings: [infarct('W', '左中大脳動脈領域')] }))
    const items = [...container.querySelectorAll('[data-testid="tracked-findings"] li')]
    expect(items.map((li) => li.getAttribute('data-change'))).toEqual(['removed', 'added'])
    expect(items[0]!.querySelector('del')?.textContent).toBe('No abnormality（Head） N No findings')
    expect(items[1]!.querySelector('ins')?.textContent).toBe('Infarct（Brain） W Further work-up 左中大脳動脈領域')

    await render(report({ findings: [infarct('F', '左中大脳動脈領域')] }), report({ findings: [infarct('W', '左被殻')] }))
    const changed = container.querySelector('[data-testid="tracked-findings"] li')!
    expect(changed.getAttribute('data-change')).toBe('changed')
    expect([...changed.querySelectorAll('[data-field]')].map((f) => f.getAttribute('data-field'))).toEqual(['judgement', 'location'])
    expect(texts('[data-field="judgement"] del', changed)).toEqual(['F Follow-up'])
    expect(texts('[data-field="judgement"] ins', changed)).toEqual(['W Further work-up'])
    expect(texts('[data-field="location"] del', changed)).toEqual(['左中大脳動脈領域'])
    expect(texts('[data-field="location"] ins', changed)).toEqual(['左被殻'])
  })

  it('shows the overall judgement the report states, changed by a finding or by an override', async () => {
    await render(report({ findings: [infarct('F', 'x')] }), report({ findings: [infarct('W', 'x')] }))
    expect(texts('[data-testid="tracked-overall"] del')).toEqual(['F Follow-up'])
    expect(texts('[data-testid="tracked-overall"] ins')).toEqual(['W Further work-up'])

    // without the master only an override's change is known
    await render(report({ findings: [infarct('F', 'x')] }), report({ findings: [infarct('F', 'x')], overallOverride: { judgement: 'W', reason: 'r' } }), false)
    expect(texts('[data-testid="tracked-overall"] del')).toEqual(['(none)'])
    expect(texts('[data-testid="tracked-overall"] ins')).toEqual(['W'])
  })

  it('says when nothing changed, with no insertions or deletions', async () => {
    const same = report({ findings: [infarct('F', 'x')], impression: '同じ' })
    await render(same, { ...same })
    expect(q('tracked-changes')?.getAttribute('data-changed')).toBe('false')
    expect(container.textContent).toContain('No changes.')
    expect(container.querySelectorAll('[data-testid="tracked-impression"], [data-testid="tracked-findings"], [data-testid="tracked-overall"]')).toHaveLength(0)
  })

  it('shows changed comments on their own, and speaks Japanese', async () => {
    useLanguageStore.setState({ language: 'ja' })
    await render(report({ comments: '特になし' }), report({ comments: '造影検査を推奨' }))
    expect(q('tracked-impression')).toBeNull()
    expect(texts('del', q('tracked-comments'))).toEqual(['特になし'])
    expect(texts('ins', q('tracked-comments'))).toEqual(['造影検査を推奨'])
    expect(container.textContent).toContain('修正箇所')
  })
})
