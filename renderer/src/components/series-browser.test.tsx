// @vitest-environment jsdom
import { act } from 'react'
import { createRoot, type Root } from 'react-dom/client'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { CachedInstance } from '../cache/workstation-db.ts'
import { useLanguageStore } from '../i18n/language-store.ts'
import type { SeriesWithInstances } from '../repositories/study-repository.ts'
import type { InstanceVerdictState } from '../viewer/instance-verdicts.ts'

// the thumbnail draws with Cornerstone, which jsdom cannot run: it only says which image it would draw
vi.mock('../viewer/series-thumbnail.tsx', () => ({ SeriesThumbnail: ({ imageId }: { imageId: string }) => <canvas data-testid="thumbnail" data-image-id={imageId} /> }))
vi.mock('../viewer/viewport-grid.tsx', () => ({ SERIES_DRAG_TYPE: 'application/x-series' }))
const { SeriesBrowser } = await import('./series-browser.tsx')

;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

const CT = '1.2.840.10008.5.1.4.1.1.2'
const SR = '1.2.840.10008.5.1.4.1.1.88.22'
const instance = (uid: string, instanceNumber: number, sopClassUid = CT): CachedInstance => ({
  sopInstanceUid: uid,
  seriesInstanceUid: uid.split('.').slice(0, -1).join('.'),
  studyInstanceUid: '1',
  sopClassUid,
  instanceNumber,
  sortKey: instanceNumber,
  numberOfFrames: 1,
  byteLength: 1,
})
const series = (uid: string, modality: string, instances: CachedInstance[]): SeriesWithInstances => ({
  series: { seriesInstanceUid: uid, studyInstanceUid: '1', modality, seriesNumber: Number(uid.split('.').at(-1)), description: `${modality} series`, instanceCount: instances.length },
  instances,
})
const ct = series('1.2', 'CT', [instance('1.2.1', 1), instance('1.2.2', 2), instance('1.2.3', 3)])
const report = series('1.9', 'SR', [instance('1.9.1', 1, SR)])
const problems: InstanceVerdictState['problems'] = {
  '1.2.2': { kind: 'rejected', code: 'length-out-of-bounds', reason: '(7FE0,0010) declares 3,221,225,472 bytes at byte 1,234 but only 300,000 remain', skip: true },
}

let container: HTMLDivElement
let root: Root
const onChoose = vi.fn()

async function render(list: SeriesWithInstances[], found: InstanceVerdictState['problems']) {
  const studies = [{ studyInstanceUid: '1', role: 'current' as const, studyDate: '20240101', series: list }]
  await act(async () => root.render(<SeriesBrowser studies={studies} problems={found} readInstance={async () => new ArrayBuffer(0)} onChoose={onChoose} />))
}

beforeEach(() => {
  onChoose.mockReset()
  useLanguageStore.setState({ language: 'en' })
  container = document.createElement('div')
  document.body.append(container)
  root = createRoot(container)
})

afterEach(async () => {
  await act(async () => root.unmount())
  container.remove()
})

describe('SeriesBrowser', () => {
  it('marks an instance that cannot be shown with its reason, and counts and thumbnails only the readable ones', async () => {
    await render([ct], problems)
    const item = container.querySelector<HTMLButtonElement>('[data-testid="series-item"]')!
    expect(item.textContent).toContain('2 images')
    // the middle of the two readable images, not the refused one
    expect(container.querySelector('[data-testid="thumbnail"]')?.getAttribute('data-image-id')).toBe('wscache:1.2.3')
    const bad = container.querySelector('[data-testid="bad-instances"]')!
    expect(bad.textContent).toContain('1 image(s) cannot be shown')
    const entry = bad.querySelector('li')!
    expect(entry.textContent).toBe('Image 2: A length does not fit the file (cut short or corrupt)')
    expect(entry.getAttribute('data-code')).toBe('length-out-of-bounds')
    expect(entry.getAttribute('title')).toContain('declares 3,221,225,472 bytes')
  })

  it('gives the reason in Japanese too', async () => {
    useLanguageStore.setState({ language: 'ja' })
    await render([ct], problems)
    expect(container.querySelector('[data-testid="bad-instances"] li')?.textContent).toBe('画像 2: データの長さがファイルの大きさと合いません（途中で切れているか壊れています）')
  })

  it('lists a report series as non-image, without a thumbnail or an error, and it cannot be chosen', async () => {
    await render([ct, report], {})
    const nonImage = container.querySelector('[data-testid="non-image-series"]')!
    expect(nonImage.textContent).toContain('Not an image (SR)')
    expect(nonImage.querySelector('[data-testid="thumbnail"]')).toBeNull()
    expect(container.querySelectorAll('[data-testid="series-item"]')).toHaveLength(1)
    expect(container.querySelector('[data-testid="bad-instances"]')).toBeNull()
    await act(async () => (nonImage as HTMLElement).click())
    expect(onChoose).not.toHaveBeenCalled()
  })

  it('disables a series none of whose images can be shown', async () => {
    const allBad = Object.fromEntries(ct.instances.map((i) => [i.sopInstanceUid, problems['1.2.2']!]))
    await render([ct], allBad)
    const item = container.querySelector<HTMLButtonElement>('[data-testid="series-item"]')!
    expect(item.disabled).toBe(true)
    expect(item.textContent).toContain('No image can be shown')
    expect(container.querySelectorAll('[data-testid="bad-instances"] li')).toHaveLength(3)
  })
})
