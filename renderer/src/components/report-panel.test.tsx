// @vitest-environment jsdom
import { act } from 'react'
import { createRoot, type Root } from 'react-dom/client'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { create, type StoreApi } from 'zustand'
import type { Assignment } from '../../../shared/api-contract.ts'
import { findingMasterSchema } from '../../../shared/finding-master.ts'
import type { Measurement } from '../../../shared/report-annotations.ts'
import { useLanguageStore } from '../i18n/language-store.ts'
import { createReportStore } from '../stores/report-store.ts'
import { ReportPanel } from './report-panel.tsx'

;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

const t = (s: string) => ({ ja: s, en: s })
const master = findingMasterSchema.parse({
  facilityId: 'f', version: 1, name: t('m'), frozen: false,
  scales: [{ code: 'ae', name: t('ae'), values: [{ code: 'E', label: t('E'), rank: 5, normal: false, requiresFurtherExamination: true }] }],
  bodyParts: [{ code: 'RL', name: { ja: '右肺野', en: 'right lung field' }, kana: 'うはいや', lateralityApplies: false }],
  findings: [{ code: 'NOD', name: t('nodule'), kana: 'けっせつ', bodyParts: ['RL'], modalities: ['CT'], scale: 'ae', allowedJudgements: ['E'], defaultJudgement: 'E', template: t('{{location}}') }],
  rules: [],
})
const assignment = { id: 'a1', studyInstanceUid: 's1', modalities: ['CT'], status: 'assigned', priors: [{ studyInstanceUid: 'prior-1', studyDate: '20240105', modalities: ['CT'], studyDescription: '', instanceCount: 1 }] } as unknown as Assignment

// The panel reads the app's stores; here they are a report store on memory and a bare study store.
const stores = vi.hoisted(() => ({ report: null as unknown, study: null as unknown, viewer: null as unknown }))
vi.mock('../app-stores.ts', () => ({
  get useReportStore() {
    return stores.report
  },
  get useStudyStore() {
    return stores.study
  },
  get useViewerStore() {
    return stores.viewer
  },
}))

const measurement = (id: string, over: Partial<Measurement>): Measurement => ({
  id,
  kind: 'length',
  sopInstanceUid: '1.2.3',
  seriesInstanceUid: '1.2',
  viewPlaneNormal: [0, 0, 1],
  viewUp: [0, -1, 0],
  points: [[0, 0, 0]],
  values: { length: 23.4 },
  lengthUnit: 'mm',
  ...over,
})

let container: HTMLDivElement
let root: Root
let report: ReturnType<typeof createReportStore>

beforeEach(async () => {
  useLanguageStore.setState({ language: 'en' })
  report = createReportStore({
    loadMaster: async () => master,
    storage: { load: async () => null, save: async () => true, queue: async () => 'k', outboxState: async () => null },
    notifyOutbox: () => {},
    saveDelayMs: 1,
  })
  stores.report = report
  stores.study = create(() => ({ currentImageId: null, requestImage: () => {} }))
  stores.viewer = create(() => ({ cells: [] as unknown[] }))
  container = document.createElement('div')
  document.body.append(container)
  root = createRoot(container)
  await act(async () => root.render(<ReportPanel assignment={assignment} />))
  await act(async () => {
    report.getState().addFinding('NOD', 'RL')
    report.getState().upsertMeasurement(measurement('len', {}))
    report.getState().upsertMeasurement(measurement('roi', { kind: 'ellipse', values: { mean: 41.24, area: 80 }, intensityUnit: 'HU' }))
  })
})

afterEach(async () => {
  await act(async () => root.unmount())
  container.remove()
})

const picker = () => container.querySelector<HTMLSelectElement>('[data-testid="link-measurement"]')
const linked = () => [...container.querySelectorAll('[data-testid="linked-measurement"]')].map((e) => e.firstChild?.textContent)

async function pick(id: string) {
  await act(async () => {
    const select = picker()!
    select.value = id
    select.dispatchEvent(new Event('change', { bubbles: true }))
  })
}

describe('report panel: measurements linked to a finding', () => {
  it('offers the study’s measurements by kind and value, and links the one picked', async () => {
    expect([...picker()!.options].map((o) => o.textContent)).toEqual(['Link a measurement', 'M1 Length 23.4 mm', 'M2 Ellipse ROI mean 41.2 HU'])
    await pick('roi')
    expect(report.getState().content?.findings[0]?.measurements).toEqual(['roi'])
    expect(linked()).toEqual(['M2 Ellipse ROI mean 41.2 HU'])
    expect([...picker()!.options].map((o) => o.value)).toEqual(['', 'len'])
  })

  it('unlinks with the × of a linked measurement, and drops a measurement deleted in the viewer', async () => {
    await pick('len')
    await pick('roi')
    expect(linked()).toEqual(['M1 Length 23.4 mm', 'M2 Ellipse ROI mean 41.2 HU'])
    await act(async () => container.querySelector<HTMLButtonElement>('button[aria-label="Unlink M1 Length 23.4 mm"]')!.click())
    expect(report.getState().content?.findings[0]?.measurements).toEqual(['roi'])
    await act(async () => report.getState().removeMeasurement('roi'))
    expect(linked()).toEqual([])
    expect([...picker()!.options].map((o) => o.value)).toEqual(['', 'len'])
  })
})

describe('report panel: comparison with priors (要比較読影)', () => {
  const viewer = () => stores.viewer as StoreApi<{ cells: unknown[] }>

  it('sets "needs comparison with priors" in the draft with its checkbox', async () => {
    const box = container.querySelector<HTMLInputElement>('[data-testid="needs-prior-comparison"]')!
    expect(box.checked).toBe(false)
    expect(box.parentElement?.textContent).toContain('Needs comparison with priors')
    await act(async () => box.click())
    expect(report.getState().content?.needsPriorComparison).toBe(true)
    expect(container.querySelector<HTMLInputElement>('[data-testid="needs-prior-comparison"]')!.checked).toBe(true)
    await act(async () => container.querySelector<HTMLInputElement>('[data-testid="needs-prior-comparison"]')!.click())
    expect(report.getState().content?.needsPriorComparison).toBe(false)
  })

  it('records each prior the viewer showed as compared, once, and names it by its date', async () => {
    expect(container.querySelector('[data-testid="priors-compared"]')).toBeNull()
    const prior = { studyInstanceUid: 'prior-1', seriesInstanceUid: 'p-se', role: 'prior' }
    await act(async () => viewer().setState({ cells: [{ studyInstanceUid: 's1', seriesInstanceUid: 'se', role: 'current' }, prior] }))
    expect(report.getState().content?.priorsCompared).toEqual(['prior-1'])
    expect(container.querySelector('[data-testid="priors-compared"]')?.textContent).toBe('Priors compared: 2024-01-05')
    // hung again, or beside another prior, it is not listed twice
    await act(async () => viewer().setState({ cells: [prior, { studyInstanceUid: 'prior-2', seriesInstanceUid: 'q', role: 'prior' }, { empty: true, role: 'prior' }] }))
    expect(report.getState().content?.priorsCompared).toEqual(['prior-1', 'prior-2'])
    expect(container.querySelector('[data-testid="priors-compared"]')?.textContent).toBe('Priors compared: 2024-01-05, prior-2')
  })

  it('changes nothing once the report is submitted', async () => {
    await act(async () => report.setState({ status: 'sent' }))
    await act(async () => viewer().setState({ cells: [{ studyInstanceUid: 'prior-1', seriesInstanceUid: 'p', role: 'prior' }] }))
    expect(report.getState().content?.priorsCompared).toBeUndefined()
    expect(container.querySelector<HTMLInputElement>('[data-testid="needs-prior-comparison"]')!.disabled).toBe(true)
    report.getState().setPriorComparison({ needsPriorComparison: true })
    expect(report.getState().content?.needsPriorComparison).toBeUndefined()
  })
})
