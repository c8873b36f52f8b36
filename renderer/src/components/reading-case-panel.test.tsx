// @vitest-environment jsdom
import { act } from 'react'
import { createRoot, type Root } from 'react-dom/client'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { create, type StoreApi } from 'zustand'
import type { Assignment, User } from '../../../shared/api-contract.ts'
import type { ReportContent } from '../../../shared/finding-master.ts'
import type { CaseRead, ReadingCase } from '../../../shared/reading-case-contract.ts'
import type { SeriesWithInstances } from '../repositories/study-repository.ts'
import { useLanguageStore } from '../i18n/language-store.ts'
import { createReadingCaseStore } from '../stores/reading-case-store.ts'
import { createStudyStore } from '../stores/study-store.ts'
import { createViewerStore } from '../stores/viewer-store.ts'
import { ReadingCasePanel } from './reading-case-panel.tsx'

;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

// The panel reads the app's stores: here they are the real stores on memory with a fake API behind the case
const stores = vi.hoisted(() => ({ readingCase: null as unknown, study: null as unknown, viewer: null as unknown, session: null as unknown }))
vi.mock('../app-stores.ts', () => ({
  get useReadingCaseStore() {
    return stores.readingCase
  },
  get useStudyStore() {
    return stores.study
  },
  get useViewerStore() {
    return stores.viewer
  },
  get useSessionStore() {
    return stores.session
  },
}))

const STUDY = '1.2.3'
const content = (judgement: 'A' | 'E', keyImages: string[] = []): ReportContent => ({
  masterVersion: 1,
  scale: 'lung-xray',
  findings: [judgement === 'E' ? { findingCode: 'cx-nodule', bodyPartCode: 'lung-field', laterality: 'R', judgement: 'E', location: '右上肺野', keyImages, measurements: [] } : { findingCode: 'cx-no-abnormality', bodyPartCode: 'chest', judgement: 'A', keyImages, measurements: [] }],
  impression: judgement === 'E' ? 'SECRET-FIRST-IMPRESSION' : '異常なし',
  comments: '',
  keyImages: [],
  measurements: [],
})
const read = (type: 'first' | 'second', c?: ReportContent): CaseRead => ({
  assignmentId: `a-${type}`,
  readingType: type,
  readerId: `u-${type}`,
  readerName: type === 'first' ? '読影 花子' : '読影 太郎',
  status: 'submitted',
  submittedAt: '2026-11-02T01:00:00.000Z',
  blinded: !c,
  ...(c ? { reportId: `r-${type}`, versionCount: 1, latest: { reportId: `r-${type}`, version: 1, kind: 'original' as const, authorId: `u-${type}`, authorName: '', reason: '', content: c, overallJudgement: c.findings[0]!.judgement, requiresFurtherExamination: c.findings[0]!.judgement === 'E', createdAt: '2026-11-02T01:00:00.000Z' } } : {}),
})
const comparisonRead: CaseRead = { assignmentId: 'a-cmp', readingType: 'comparison', readerId: 'u-checker', readerName: '確認 一郎', status: 'assigned', blinded: false }
const aCase = (status: ReadingCase['status'], reads: CaseRead[]): ReadingCase => ({ id: 'case-1', studyInstanceUid: STUDY, facilityId: 'f', workflow: 'double', status, reads, events: [] })
const assignment = (readingType: Assignment['readingType'], status: ReadingCase['status']): Assignment =>
  ({ id: `a-${readingType}`, studyInstanceUid: STUDY, readingType, status: 'in-progress', priors: [], readingCase: { id: 'case-1', workflow: 'double', status, waitingOnOthers: false } }) as unknown as Assignment

const series = (number: number, sops: string[]): SeriesWithInstances =>
  ({
    series: { seriesInstanceUid: `${STUDY}.${number}`, studyInstanceUid: STUDY, seriesNumber: number, modality: 'CR' },
    instances: sops.map((sop, i) => ({ sopInstanceUid: sop, seriesInstanceUid: `${STUDY}.${number}`, studyInstanceUid: STUDY, instanceNumber: i + 1, numberOfFrames: 1 })),
  }) as unknown as SeriesWithInstances

let container: HTMLDivElement
let root: Root
let caseNow: ReadingCase

async function show(user: Pick<User, 'id' | 'role'>, open: Assignment, readingCase: ReadingCase) {
  caseNow = readingCase
  ;(stores.session as StoreApi<{ user: unknown }>).setState({ user })
  ;(stores.study as ReturnType<typeof createStudyStore>).setState({ assignment: open, series: [series(1, ['sop-a']), series(2, ['sop-b1', 'sop-key'])] })
  await act(async () => {
    await (stores.readingCase as ReturnType<typeof createReadingCaseStore>).getState().open(open)
  })
  await act(async () => root.render(<ReadingCasePanel />))
}

beforeEach(() => {
  useLanguageStore.setState({ language: 'en' })
  stores.session = create(() => ({ user: null }))
  stores.study = createStudyStore({ listSeries: async () => [], prioritize: () => {}, touch: async () => {} })
  stores.viewer = createViewerStore()
  stores.readingCase = createReadingCaseStore({
    client: () =>
      ({
        readingCase: async () => caseNow,
        start: async () => {},
      }) as never,
    loadMaster: async () => Promise.reject(new Error('no master in this test')),
    log: () => {},
  })
  container = document.createElement('div')
  document.body.append(container)
  root = createRoot(container)
})

afterEach(async () => {
  await act(async () => root.unmount())
  container.remove()
})

const panel = () => container.querySelector<HTMLElement>('[data-testid="reading-case-panel"]')

describe('ReadingCasePanel', () => {
  it('shows a second reader nothing while the first read is blinded', async () => {
    await show({ id: 'u-second', role: 'reader' }, assignment('second', 'second-read'), aCase('second-read', [read('first'), comparisonRead]))
    expect(panel()).toBeNull()
    expect(container.textContent).toBe('')
  })

  it('shows the comparison reader which reads are in, and nothing of them, until both are', async () => {
    await show({ id: 'u-checker', role: 'checker' }, assignment('comparison', 'second-read'), aCase('second-read', [read('first'), comparisonRead]))
    expect(panel()?.dataset.caseStatus).toBe('second-read')
    expect(container.querySelector('[data-testid="reading-case-reads"]')?.textContent).toContain('読影 花子')
    expect(container.textContent).toContain('content hidden')
    expect(container.textContent).toContain('The comparison opens once both reads are in.')
    expect(container.querySelector('[data-testid="comparison-view"]')).toBeNull()
    expect(container.querySelector('[data-testid="case-decision-form"]')).toBeNull()
  })

  it('gives the comparison reader both reads and the decision; the first reader only the comparison', async () => {
    const compared = aCase('comparison', [read('first', content('E', ['sop-key'])), read('second', content('A')), comparisonRead])
    await show({ id: 'u-checker', role: 'checker' }, assignment('comparison', 'comparison'), compared)
    expect(container.querySelectorAll('[data-testid="comparison-row"]')).toHaveLength(2)
    expect(container.querySelector('[data-testid="case-decision-form"]')).not.toBeNull()
    // no master: the reads' judgements are offered
    expect([...container.querySelectorAll<HTMLOptionElement>('[data-testid="decision-judgement"] option')].map((o) => o.value)).toEqual(['', 'E', 'A'])

    await act(async () => root.render(<></>))
    await show({ id: 'u-first', role: 'reader' }, assignment('first', 'comparison'), compared)
    expect(container.querySelectorAll('[data-testid="comparison-row"]')).toHaveLength(2)
    expect(container.querySelector('[data-testid="case-decision-form"]')).toBeNull()
  })

  it('hangs a key image’s series in the active viewport and asks for the image, again once the new stack shows', async () => {
    await show({ id: 'u-first', role: 'reader' }, assignment('first', 'comparison'), aCase('comparison', [read('first', content('E', ['sop-key', 'elsewhere'])), read('second', content('A'))]))
    const viewer = stores.viewer as ReturnType<typeof createViewerStore>
    const study = stores.study as ReturnType<typeof createStudyStore>
    viewer.setState({ cells: [{ studyInstanceUid: STUDY, seriesInstanceUid: `${STUDY}.1`, role: 'current' }], activeCell: 0 })
    const button = container.querySelector<HTMLButtonElement>('[data-testid="comparison-key-image"]')!
    expect(button.textContent).toBe('Se 2 · Im 2')
    expect(container.querySelector('[data-testid="comparison-key-image-elsewhere"]')?.textContent).toContain('elsewhere')
    await act(async () => button.click())
    expect(viewer.getState().cells[0]).toEqual({ studyInstanceUid: STUDY, seriesInstanceUid: `${STUDY}.2`, role: 'current' })
    const firstRequest = study.getState().requestedImage
    expect(firstRequest).toEqual({ imageId: 'wscache:sop-key' })
    // the new stack showed its first image: the key image is asked for once more, then no longer
    study.getState().showImage('wscache:sop-b1')
    expect(study.getState().requestedImage).not.toBe(firstRequest)
    expect(study.getState().requestedImage).toEqual({ imageId: 'wscache:sop-key' })
    const second = study.getState().requestedImage
    study.getState().showImage('wscache:sop-key')
    expect(study.getState().requestedImage).toBe(second)

    // already hung: the image is asked for, the cell stays as it is
    const cellsBefore = viewer.getState().cells
    await act(async () => button.click())
    expect(viewer.getState().cells).toBe(cellsBefore)
    expect(study.getState().requestedImage).not.toBe(second)
  })
})
