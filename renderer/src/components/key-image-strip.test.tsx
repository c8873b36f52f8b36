// @vitest-environment jsdom
import { act } from 'react'
import { createRoot, type Root } from 'react-dom/client'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { KeyImageRef } from '../../../shared/report-annotations.ts'
import { useLanguageStore } from '../i18n/language-store.ts'
import { KeyImageStrip } from './key-image-strip.tsx'

;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

const images: KeyImageRef[] = [
  { sopInstanceUid: '1.2.3.14', seriesInstanceUid: '1.2.3' },
  { sopInstanceUid: '1.2.4.1', seriesInstanceUid: '1.2.4', frame: 7 },
]
const describeRef = (ref: KeyImageRef) => `Se ${ref.seriesInstanceUid.split('.').at(-1)} · Im ${ref.sopInstanceUid.split('.').at(-1)}${ref.frame ? ` · Fr ${ref.frame}` : ''}`

let container: HTMLDivElement
let root: Root
const onShow = vi.fn()
const onRemove = vi.fn()

async function render(keyImages: readonly KeyImageRef[]) {
  await act(async () => root.render(<KeyImageStrip keyImages={keyImages} describe={describeRef} onShow={onShow} onRemove={onRemove} />))
}

beforeEach(() => {
  onShow.mockReset()
  onRemove.mockReset()
  useLanguageStore.setState({ language: 'en' })
  container = document.createElement('div')
  document.body.append(container)
  root = createRoot(container)
})

afterEach(async () => {
  await act(async () => root.unmount())
  container.remove()
})

const items = () => [...container.querySelectorAll<HTMLButtonElement>('[data-testid="key-image-item"]')]

describe('KeyImageStrip', () => {
  it('lists each key image by the caller’s description, in order', async () => {
    await render(images)
    expect(container.querySelector('[data-testid="key-image-strip"]')).not.toBeNull()
    expect(items().map((i) => i.textContent)).toEqual(['Se 3 · Im 14', 'Se 4 · Im 1 · Fr 7'])
    expect(container.textContent).toContain('Key images (2)')
  })

  it('shows an image on a click on it, and removes it with its × button only', async () => {
    await render(images)
    await act(async () => items()[1]!.click())
    expect(onShow).toHaveBeenCalledWith(images[1])
    expect(onRemove).not.toHaveBeenCalled()
    const remove = container.querySelector<HTMLButtonElement>('button[aria-label="Remove Se 3 · Im 14 from the key images"]')!
    expect(remove.textContent).toBe('×')
    await act(async () => remove.click())
    expect(onRemove).toHaveBeenCalledWith(images[0])
    expect(onShow).toHaveBeenCalledTimes(1)
  })

  it('says how to add one when there are none, in Japanese too', async () => {
    useLanguageStore.setState({ language: 'ja' })
    await render([])
    expect(items()).toEqual([])
    expect(container.textContent).toContain('キー画像なし（K で表示中の画像を追加）')
  })
})
