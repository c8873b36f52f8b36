import { describe, expect, it } from 'vitest'
import type { ImageAttributes } from '../repositories/image-attributes.ts'
import { windowPresetsFor } from './window-presets.ts'

const image = (windows: Partial<ImageAttributes>): ImageAttributes => ({ rows: 10, columns: 10, photometricInterpretation: 'MONOCHROME1', ...windows })

describe('window presets', () => {
  it('offers the six CT windows in key order, in HU', () => {
    const presets = windowPresetsFor('CT')
    expect(presets.map((p) => [p.id, p.center, p.width])).toEqual([
      ['ct-brain', 40, 80],
      ['ct-subdural', 75, 215],
      ['ct-lung', -600, 1500],
      ['ct-mediastinum', 50, 350],
      ['ct-abdomen', 50, 400],
      ['ct-bone', 400, 1800],
    ])
    expect(presets[2]!.label).toEqual({ ja: '肺野', en: 'Lung' })
  })

  it('ignores the file windows of a CT and the case of the modality', () => {
    expect(windowPresetsFor('ct', image({ windowCenter: [1], windowWidth: [2] })).map((p) => p.id)[0]).toBe('ct-brain')
  })

  it('hands out copies, so that one caller cannot change what the next one gets', () => {
    windowPresetsFor('CT')[0]!.label.en = 'changed'
    expect(windowPresetsFor('CT')[0]!.label.en).toBe('Brain')
  })

  it('offers each window pair of a radiograph file, numbered', () => {
    const presets = windowPresetsFor('CR', image({ windowCenter: [550, 800, 550], windowWidth: [1024, 1600, 1024] }))
    expect(presets).toEqual([
      { id: 'file-1', label: { ja: 'ファイル 1', en: 'File 1' }, center: 550, width: 1024 },
      { id: 'file-2', label: { ja: 'ファイル 2', en: 'File 2' }, center: 800, width: 1600 },
    ])
    expect(windowPresetsFor('MG', image({ windowCenter: [2047, 100], windowWidth: [4095] })).map((p) => [p.center, p.width])).toEqual([[2047, 4095]])
    expect(windowPresetsFor('DX', image({ windowCenter: [10], windowWidth: [0] }))).toEqual([])
    expect(windowPresetsFor('RG', undefined)).toEqual([])
  })

  it('leaves MR, US and the rest to the automatic window', () => {
    expect(windowPresetsFor('MR', image({ windowCenter: [300], windowWidth: [600] }))).toEqual([])
    expect(windowPresetsFor('US')).toEqual([])
  })
})
