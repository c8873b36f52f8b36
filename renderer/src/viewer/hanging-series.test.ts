import { describe, expect, it } from 'vitest'
import type { CachedInstance } from '../cache/workstation-db.ts'
import type { ImageAttributes } from '../repositories/image-attributes.ts'
import type { SeriesWithInstances } from '../repositories/study-repository.ts'
import { compatibleBodyParts, descriptionSimilarity, instanceOrientation, isImageSeries, isLocalizer, normaliseBodyPart, sliceCount } from './hanging-series.ts'

function instance(attributes?: Partial<ImageAttributes>, frames = 1): CachedInstance {
  return {
    sopInstanceUid: `i${Math.random()}`,
    seriesInstanceUid: 's',
    studyInstanceUid: 't',
    sopClassUid: '',
    instanceNumber: 1,
    sortKey: 1,
    numberOfFrames: frames,
    byteLength: 0,
    ...(attributes ? { attributes: { rows: 10, columns: 10, photometricInterpretation: '', ...attributes } } : {}),
  }
}

function series(modality: string, description: string, instances: CachedInstance[]): SeriesWithInstances {
  return { series: { seriesInstanceUid: 's', studyInstanceUid: 't', modality, seriesNumber: 1, description, instanceCount: instances.length }, instances }
}

describe('hanging series', () => {
  it('classifies the plane by the largest component of the normal, so a tilted gantry is still axial', () => {
    const tilt = (20 * Math.PI) / 180
    expect(instanceOrientation(instance({ imageOrientationPatient: [1, 0, 0, 0, Math.cos(tilt), -Math.sin(tilt)] }))).toBe('axial')
    expect(instanceOrientation(instance({ imageOrientationPatient: [1, 0, 0, 0, 0, -1] }))).toBe('coronal')
    expect(instanceOrientation(instance({ imageOrientationPatient: [0, 1, 0, 0, 0, -1] }))).toBe('sagittal')
    expect(instanceOrientation(instance({ imageOrientationPatient: [1, 0, 0, 1, 0, 0] }))).toBeUndefined()
    expect(instanceOrientation(instance())).toBeUndefined()
  })

  it('recognises localizers by name, in English and Japanese', () => {
    for (const name of ['SCOUT', 'Topogram 0.6 T20s', 'Survey', '3-pl Localizer', 'AAHead_Scout', '位置決め']) expect(isLocalizer(series('CT', name, [instance()])), name).toBe(true)
    expect(isLocalizer(series('CT', 'AX 5mm', [instance()]))).toBe(false)
  })

  it('knows series without pixels and counts frames as images', () => {
    expect(isImageSeries(series('SR', '', [instance()]))).toBe(false)
    expect(isImageSeries(series('OT', '', [instance({ rows: 0 })]))).toBe(false)
    expect(isImageSeries(series('CT', '', []))).toBe(false)
    expect(isImageSeries(series('CT', '', [instance()]))).toBe(true)
    expect(sliceCount(series('US', '', [instance(undefined, 12), instance()]))).toBe(13)
  })

  it('measures description likeness by shared words, full-width and Japanese included', () => {
    expect(descriptionSimilarity('AX 5mm STD', 'ax 5mm std')).toBe(1)
    expect(descriptionSimilarity('ＡＸ　５ｍｍ', 'AX 5mm')).toBe(1)
    expect(descriptionSimilarity('AX 5mm STD', 'AX 1mm BONE')).toBeCloseTo(1 / 5)
    expect(descriptionSimilarity('頭部 単純', '頭部 造影')).toBeCloseTo(2 / 6)
    expect(descriptionSimilarity('', 'AX')).toBe(0)
  })

  it('folds body part synonyms and treats unknown parts as compatible', () => {
    expect(normaliseBodyPart(' brain ')).toBe('HEAD')
    expect(normaliseBodyPart('胸部')).toBe('CHEST')
    expect(normaliseBodyPart('CHEST_ABDOMEN')).toBe('CHESTABDOMEN')
    expect(normaliseBodyPart(undefined)).toBe('')
    expect(compatibleBodyParts('CHEST', 'CHESTABDOMEN')).toBe(true)
    expect(compatibleBodyParts('HEAD', 'CHEST')).toBe(false)
    expect(compatibleBodyParts('', 'CHEST')).toBe(true)
  })
})
