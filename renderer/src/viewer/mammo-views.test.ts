import { describe, expect, it } from 'vitest'
import type { CachedInstance } from '../cache/workstation-db.ts'
import type { ImageAttributes } from '../repositories/image-attributes.ts'
import { findMammoViews, mammoViewOf } from './mammo-views.ts'

function image(uid: string, attributes: Partial<ImageAttributes>, extra: Partial<CachedInstance> = {}): CachedInstance {
  return {
    sopInstanceUid: uid,
    seriesInstanceUid: 's',
    studyInstanceUid: 't',
    sopClassUid: '1.2.840.10008.5.1.4.1.1.1.2',
    instanceNumber: 1,
    sortKey: 1,
    numberOfFrames: 1,
    byteLength: 0,
    attributes: { rows: 10, columns: 10, photometricInterpretation: 'MONOCHROME2', ...attributes },
    ...extra,
  }
}

describe('mammography views', () => {
  it('names a view from laterality and view position, or from a side written into the view position', () => {
    expect(mammoViewOf(image('a', { laterality: 'R', viewPosition: 'CC' }))).toBe('RCC')
    expect(mammoViewOf(image('a', { laterality: 'L', viewPosition: 'MLO' }))).toBe('LMLO')
    expect(mammoViewOf(image('a', { viewPosition: 'LCC' }))).toBe('LCC')
    expect(mammoViewOf(image('a', { laterality: 'R', viewPosition: 'ML' }))).toBeUndefined()
    expect(mammoViewOf(image('a', { viewPosition: 'CC' }))).toBeUndefined()
    expect(mammoViewOf(image('a', {}, { attributes: undefined }))).toBeUndefined()
  })

  it('prefers a 2D view to a tomosynthesis stack of the same view', () => {
    const series = (instances: CachedInstance[]) => ({
      series: { seriesInstanceUid: 's', studyInstanceUid: 't', modality: 'MG', seriesNumber: 1, description: '', instanceCount: instances.length },
      instances,
    })
    const found = findMammoViews([
      series([image('2d', { laterality: 'R', viewPosition: 'CC' }), image('tomo', { laterality: 'R', viewPosition: 'CC' }, { numberOfFrames: 60, instanceNumber: 2 })]),
    ])
    expect(found.RCC?.instance.sopInstanceUid).toBe('2d')
    expect(Object.keys(found)).toEqual(['RCC'])
  })
})
