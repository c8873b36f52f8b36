import { describe, expect, it } from 'vitest'
import type { DicomJsonDataset } from '../../../shared/dicom-json.ts'
import { imageAttributesFrom } from './image-attributes.ts'

describe('image attributes', () => {
  it('reads the geometry, calibration and VOI of a CT slice', () => {
    const ct: DicomJsonDataset = {
      '00280010': { vr: 'US', Value: [512] },
      '00280011': { vr: 'US', Value: [256] },
      '00280004': { vr: 'CS', Value: ['MONOCHROME2'] },
      '00200032': { vr: 'DS', Value: [-125.5, '-130', 42.25] },
      '00200037': { vr: 'DS', Value: [1, 0, 0, 0, 0.9961947, -0.0871557] },
      '00280030': { vr: 'DS', Value: [0.48828125, 0.5] },
      '00180050': { vr: 'DS', Value: ['5'] },
      '00201041': { vr: 'DS', Value: [42.25] },
      '00200052': { vr: 'UI', Value: ['1.2.3.4'] },
      '00181120': { vr: 'DS', Value: [-5] },
      '00180015': { vr: 'CS', Value: ['head'] },
      '00281050': { vr: 'DS', Value: [40, 400] },
      '00281051': { vr: 'DS', Value: [80, 2000] },
      '00281053': { vr: 'DS', Value: [1] },
      '00281052': { vr: 'DS', Value: [-1024] },
    }
    expect(imageAttributesFrom(ct)).toEqual({
      rows: 512,
      columns: 256,
      photometricInterpretation: 'MONOCHROME2',
      imagePositionPatient: [-125.5, -130, 42.25],
      imageOrientationPatient: [1, 0, 0, 0, 0.9961947, -0.0871557],
      pixelSpacing: [0.48828125, 0.5],
      sliceThickness: 5,
      sliceLocation: 42.25,
      frameOfReferenceUid: '1.2.3.4',
      gantryTilt: -5,
      bodyPartExamined: 'HEAD',
      windowCenter: [40, 400],
      windowWidth: [80, 2000],
      rescaleSlope: 1,
      rescaleIntercept: -1024,
    })
  })

  it('reads laterality, view and patient orientation of a mammogram (MG1 of the NEMA WG04 set)', () => {
    const mg: DicomJsonDataset = {
      '00280010': { vr: 'US', Value: [4664] },
      '00280011': { vr: 'US', Value: [3064] },
      '00280004': { vr: 'CS', Value: ['MONOCHROME2'] },
      '00180015': { vr: 'CS', Value: ['BREAST'] },
      '00185101': { vr: 'CS', Value: ['MLO'] },
      '00200020': { vr: 'CS', Value: ['A', 'F'] },
      '00200060': { vr: 'CS', Value: ['L'] },
      '00181164': { vr: 'DS', Value: [0.1, 0.1] },
    }
    const attributes = imageAttributesFrom(mg)
    expect(attributes).toMatchObject({ laterality: 'L', viewPosition: 'MLO', patientOrientation: ['A', 'F'], imagerPixelSpacing: [0.1, 0.1], bodyPartExamined: 'BREAST' })
    expect(attributes.pixelSpacing).toBeUndefined()
  })

  it('prefers ImageLaterality and refuses to guess when it says both or unpaired', () => {
    expect(imageAttributesFrom({ '00200062': { vr: 'CS', Value: ['R'] }, '00200060': { vr: 'CS', Value: ['L'] } }).laterality).toBe('R')
    expect(imageAttributesFrom({ '00200062': { vr: 'CS', Value: ['B'] }, '00200060': { vr: 'CS', Value: ['L'] } }).laterality).toBeUndefined()
    expect(imageAttributesFrom({ '00200060': { vr: 'CS', Value: ['r '] } }).laterality).toBe('R')
  })

  it('accepts a patient orientation sent as one backslash-joined value', () => {
    expect(imageAttributesFrom({ '00200020': { vr: 'CS', Value: ['P\\FL'] } }).patientOrientation).toEqual(['P', 'FL'])
    expect(imageAttributesFrom({ '00200020': { vr: 'CS', Value: ['P'] } }).patientOrientation).toBeUndefined()
    expect(imageAttributesFrom({ '00200020': { vr: 'CS', Value: ['X', 'F'] } }).patientOrientation).toBeUndefined()
  })

  it('leaves out what is absent or malformed instead of storing NaN or undefined keys', () => {
    const attributes = imageAttributesFrom({
      '00200032': { vr: 'DS', Value: [1, 2] },
      '00200037': { vr: 'DS', Value: [1, 0, 0, 0, 'x', 0] },
      '00281050': { vr: 'DS', Value: [''] },
      '00180050': { vr: 'DS' },
    })
    expect(attributes).toEqual({ rows: 0, columns: 0, photometricInterpretation: '', bodyPartExamined: '' })
    expect(Object.keys(attributes).sort()).toEqual(['bodyPartExamined', 'columns', 'photometricInterpretation', 'rows'])
  })
})
