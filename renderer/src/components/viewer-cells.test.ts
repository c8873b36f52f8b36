import { describe, expect, it } from 'vitest'
import type { Assignment } from '../../../shared/api-contract.ts'
import type { CachedInstance } from '../cache/workstation-db.ts'
import type { SeriesWithInstances } from '../repositories/study-repository.ts'
import { cellContent, stackGeometry, type OpenStudyImages } from './viewer-cells.ts'

function instance(sop: string, z: number, frames = 1): CachedInstance {
  return {
    sopInstanceUid: sop,
    seriesInstanceUid: 'se',
    studyInstanceUid: 'st',
    sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
    instanceNumber: z,
    sortKey: z,
    numberOfFrames: frames,
    byteLength: 1,
    attributes: { rows: 2, columns: 2, photometricInterpretation: 'MONOCHROME2', imageOrientationPatient: [1, 0, 0, 0, 1, 0], imagePositionPatient: [0, 0, z], frameOfReferenceUid: 'for' },
  }
}
const series = (uid: string, instances: CachedInstance[]): SeriesWithInstances => ({
  series: { seriesInstanceUid: uid, studyInstanceUid: 'st', modality: 'CT', seriesNumber: 2, description: 'AXIAL', instanceCount: instances.length },
  instances,
})
const images: OpenStudyImages = {
  assignment: { studyInstanceUid: 'st', patientDisplay: 'YAMADA', patientSex: 'F', patientAge: '060Y', facilityName: 'Sakura', studyDate: '20250101', studyDescription: 'HEAD' } as Assignment,
  series: [series('se', [instance('a', 0), instance('b', 5)])],
  priors: [{ studyInstanceUid: 'old', studyDate: '20240101', modalities: ['CT'], studyDescription: 'HEAD', series: [series('se-old', [instance('c', 0)])] }],
}
const texts = { prior: (date: string) => `prior ${date}`, orientationUnchecked: 'unchecked' }

describe('viewer cells', () => {
  it('makes a stack of every image of a series, with its geometry and the corners', () => {
    const content = cellContent(images, { studyInstanceUid: 'st', seriesInstanceUid: 'se', role: 'current' }, texts)!
    expect(content.imageIds).toEqual(['wscache:a', 'wscache:b'])
    expect(content.geometry?.positions).toEqual([
      [0, 0, 0],
      [0, 0, 5],
    ])
    expect(content.corners.topLeft).toEqual(['YAMADA', 'F 060Y', 'Sakura'])
    expect(content.label).toBeUndefined()
  })

  it('labels a prior with its date, a view with its code, and an unchecked orientation', () => {
    const prior = cellContent(images, { studyInstanceUid: 'old', seriesInstanceUid: 'se-old', role: 'prior', label: 'RCC', orientationProblem: 'no-patient-orientation' }, texts)!
    expect(prior.label).toBe('RCC prior 2024-01-01 unchecked')
    expect(prior.corners.topRight[0]).toBe('prior 2024-01-01')
  })

  it('shows one image when the plan names it, and nothing for a series not in the cache or an empty cell', () => {
    expect(cellContent(images, { studyInstanceUid: 'st', seriesInstanceUid: 'se', sopInstanceUid: 'b', role: 'current' }, texts)?.imageIds).toEqual(['wscache:b'])
    expect(cellContent(images, { studyInstanceUid: 'st', seriesInstanceUid: 'missing', role: 'current' }, texts)).toBeNull()
    expect(cellContent(images, { empty: true, role: 'current', label: 'LMLO' }, texts)).toBeNull()
  })

  it('gives multi-frame images no slice geometry (they scroll by frame, not position)', () => {
    expect(stackGeometry([instance('m', 0, 8)])).toBeUndefined()
    expect(stackGeometry([instance('a', 0), instance('b', 5)])?.normal).toEqual([0, 0, 1])
  })
})
