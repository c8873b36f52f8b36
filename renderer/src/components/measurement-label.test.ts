import { describe, expect, it } from 'vitest'
import type { Measurement } from '../../../shared/report-annotations.ts'
import { translate, type MessageKey } from '../i18n/messages.ts'
import { measurementDetails, measurementLabel } from './measurement-label.ts'

const en = (key: MessageKey, params?: Record<string, string | number>) => translate('en', key, params)
const ja = (key: MessageKey, params?: Record<string, string | number>) => translate('ja', key, params)

const base: Measurement = {
  id: 'a',
  kind: 'length',
  sopInstanceUid: '1.2',
  seriesInstanceUid: '1',
  viewPlaneNormal: [0, 0, 1],
  viewUp: [0, -1, 0],
  points: [[0, 0, 0]],
  values: { length: 23.44 },
  lengthUnit: 'mm',
}

describe('measurementLabel', () => {
  it('names the kind and the value with its unit, in English and Japanese', () => {
    expect(measurementLabel(base, en)).toBe('Length 23.4 mm')
    expect(measurementLabel(base, ja)).toBe('長さ 23.4 mm')
    expect(measurementLabel({ ...base, kind: 'angle', values: { angle: 35 } }, en)).toBe('Angle 35.0°')
    expect(measurementLabel({ ...base, kind: 'probe', values: { value: -998 }, intensityUnit: 'HU' }, en)).toBe('Probe -998.0 HU')
    expect(measurementLabel({ ...base, lengthUnit: 'px', values: { length: 120 } }, en)).toBe('Length 120.0 px')
  })

  it('gives an ROI its mean, or its area when it has no mean', () => {
    const roi: Measurement = { ...base, kind: 'ellipse', values: { mean: 41.24, stdDev: 3.1, area: 78.5 }, intensityUnit: 'HU' }
    expect(measurementLabel(roi, en)).toBe('Ellipse ROI mean 41.2 HU')
    expect(measurementLabel(roi, ja)).toBe('楕円ROI 平均 41.2 HU')
    expect(measurementLabel({ ...roi, kind: 'rectangle', values: { area: 78.5 } }, en)).toBe('Rectangle ROI area 78.5 mm²')
    expect(measurementLabel({ ...roi, values: {} }, en)).toBe('Ellipse ROI (no value)')
  })

  it('lists every value, the label and a missing calibration in the details', () => {
    const roi: Measurement = { ...base, kind: 'ellipse', values: { mean: 41.24, stdDev: 3.1, min: 30, max: 52, area: 78.5 }, intensityUnit: 'HU', label: 'nodule' }
    expect(measurementDetails(roi, en)).toBe('mean 41.2 HU, SD 3.1 HU, min 30.0 HU, max 52.0 HU, area 78.5 mm², nodule')
    expect(measurementDetails({ ...base, lengthUnit: 'px' }, en)).toBe('23.4 px, uncalibrated (pixels)')
  })
})
