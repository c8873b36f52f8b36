// @vitest-environment jsdom
import { act } from 'react'
import { createRoot } from 'react-dom/client'
import { afterEach, describe, expect, it } from 'vitest'
import type { CachedInstance } from '../cache/workstation-db.ts'
import { mprLabels } from '../components/mpr-labels.ts'
import type { SeriesWithInstances } from '../repositories/study-repository.ts'
import { MprViewer } from './mpr-viewer.tsx'

;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

/** The CT scout study: one localizer image. */
function scoutSeries(): SeriesWithInstances {
  const instance: CachedInstance = {
    sopInstanceUid: '1.2.3.1',
    seriesInstanceUid: '1.2.3',
    studyInstanceUid: '1.2',
    sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
    instanceNumber: 1,
    sortKey: 1,
    numberOfFrames: 1,
    byteLength: 1000,
    attributes: { rows: 512, columns: 512, photometricInterpretation: 'MONOCHROME2', imagePositionPatient: [0, -124.8, 916.5], imageOrientationPatient: [0, 1, 0, 0, 0, -1], pixelSpacing: [0.5, 0.5] },
  }
  return { series: { seriesInstanceUid: '1.2.3', studyInstanceUid: '1.2', modality: 'CT', seriesNumber: 1, description: 'scout', instanceCount: 1 }, instances: [instance] }
}

let container: HTMLDivElement | undefined
afterEach(() => container?.remove())

describe('MprViewer', () => {
  it('refuses a series that is not a volume with the translated reason and the numbers, and makes no viewport', async () => {
    container = document.createElement('div')
    document.body.append(container)
    const root = createRoot(container)
    const readInstance = () => Promise.reject(new Error('a refused series must not be read'))
    await act(async () => root.render(<MprViewer series={scoutSeries()} readInstance={readInstance} labels={mprLabels('en')} />))

    const alert = container.querySelector('[role="alert"][data-testid="mpr-refused"]')
    expect(alert?.getAttribute('data-reason')).toBe('too-few-slices')
    expect(alert?.textContent).toContain('This series cannot be shown as MPR')
    expect(alert?.textContent).toContain('It has fewer than 3 slices, too few for a volume.')
    expect(alert?.textContent).toContain('The series has 1 image; a volume needs at least 3 slices.')
    expect(container.querySelector('[data-testid="mpr-viewport"]')).toBeNull()
    expect(container.querySelector('canvas')).toBeNull()

    await act(async () => root.render(<MprViewer series={scoutSeries()} readInstance={readInstance} labels={mprLabels('ja')} />))
    expect(container.textContent).toContain('このシリーズは MPR で表示できません')
    expect(container.textContent).toContain('スライスが 3 枚未満')
    await act(async () => root.unmount())
  })
})
