import { describe, expect, it } from 'vitest'
import { reportContentSchema } from './finding-master.ts'
import {
  annotationIssues,
  formatMeasuredValue,
  keyImageRefSchema,
  measuredValues,
  measurementSchema,
  referencedSopInstanceUids,
  sameImage,
  ucumOf,
  type Measurement,
} from './report-annotations.ts'

const length: Measurement = {
  id: 'm-1',
  kind: 'length',
  sopInstanceUid: '1.2.3.4',
  seriesInstanceUid: '1.2.3',
  viewPlaneNormal: [0, 0, 1],
  viewUp: [0, -1, 0],
  points: [
    [0, 0, 0],
    [23.4, 0, 0],
  ],
  values: { length: 23.4 },
  lengthUnit: 'mm',
}
const roi: Measurement = {
  ...length,
  id: 'm-2',
  kind: 'ellipse',
  points: [
    [0, 0, 0],
    [10, 0, 0],
    [5, 5, 0],
    [5, -5, 0],
  ],
  values: { area: 78.5, mean: 41.24, stdDev: 3.1, min: 30, max: 52 },
  intensityUnit: 'HU',
}

describe('report annotation schemas', () => {
  it('accept a key image with or without a frame, and a measurement as the viewer sends it', () => {
    expect(keyImageRefSchema.parse({ sopInstanceUid: '1.2', seriesInstanceUid: '1' })).toEqual({ sopInstanceUid: '1.2', seriesInstanceUid: '1' })
    expect(keyImageRefSchema.parse({ sopInstanceUid: '1.2', seriesInstanceUid: '1', frame: 3 }).frame).toBe(3)
    expect(measurementSchema.parse(roi)).toEqual(roi)
  })

  it('refuse what a viewer bug could send: frame 0, an unknown kind, too many points, a non-finite value, a UID over 64 characters', () => {
    expect(keyImageRefSchema.safeParse({ sopInstanceUid: '1.2', seriesInstanceUid: '1', frame: 0 }).success).toBe(false)
    expect(keyImageRefSchema.safeParse({ sopInstanceUid: '1'.repeat(65), seriesInstanceUid: '1' }).success).toBe(false)
    expect(measurementSchema.safeParse({ ...length, kind: 'freehand' }).success).toBe(false)
    expect(measurementSchema.safeParse({ ...length, points: Array.from({ length: 9 }, () => [0, 0, 0]) }).success).toBe(false)
    expect(measurementSchema.safeParse({ ...length, points: [] }).success).toBe(false)
    expect(measurementSchema.safeParse({ ...length, values: { length: Number.NaN } }).success).toBe(false)
    expect(measurementSchema.safeParse({ ...length, values: { length: Number.POSITIVE_INFINITY } }).success).toBe(false)
    expect(measurementSchema.safeParse({ ...length, lengthUnit: 'cm' }).success).toBe(false)
  })

  it('a report content saved before key images and measurements existed reads with empty lists', () => {
    const old = { masterVersion: 1, scale: 's', findings: [{ findingCode: 'f', bodyPartCode: 'b', judgement: 'A' }], impression: '', comments: '' }
    const parsed = reportContentSchema.parse(old)
    expect(parsed.keyImages).toEqual([])
    expect(parsed.measurements).toEqual([])
    expect(parsed.findings[0]).toMatchObject({ keyImages: [], measurements: [] })
    expect(reportContentSchema.parse({ ...old, keyImages: [{ sopInstanceUid: '1.2', seriesInstanceUid: '1' }], measurements: [length] })).toMatchObject({
      keyImages: [{ sopInstanceUid: '1.2' }],
      measurements: [{ id: 'm-1' }],
    })
  })
})

describe('sameImage', () => {
  it('treats a single-frame image as its frame 1, and other frames as other images', () => {
    expect(sameImage({ sopInstanceUid: 'a' }, { sopInstanceUid: 'a', frame: 1 })).toBe(true)
    expect(sameImage({ sopInstanceUid: 'a', frame: 2 }, { sopInstanceUid: 'a', frame: 1 })).toBe(false)
    expect(sameImage({ sopInstanceUid: 'a' }, { sopInstanceUid: 'b' })).toBe(false)
  })
})

describe('measuredValues', () => {
  it('gives each kind its values with units: mm, degrees, mm², HU; pixels for an uncalibrated image', () => {
    expect(measuredValues(length)).toEqual([{ quantity: 'length', value: 23.4, unit: 'mm' }])
    expect(measuredValues({ ...length, lengthUnit: 'px' })).toEqual([{ quantity: 'length', value: 23.4, unit: 'px' }])
    expect(measuredValues({ ...length, kind: 'angle', values: { angle: 35 } })).toEqual([{ quantity: 'angle', value: 35, unit: 'deg' }])
    expect(measuredValues(roi).map((v) => `${v.quantity}=${v.value}${v.unit}`)).toEqual(['mean=41.24HU', 'stdDev=3.1HU', 'min=30HU', 'max=52HU', 'area=78.5mm2'])
    expect(measuredValues({ ...roi, lengthUnit: 'px', intensityUnit: '' }).at(-1)).toEqual({ quantity: 'area', value: 78.5, unit: 'px2' })
    expect(measuredValues({ ...length, kind: 'probe', values: { value: -998 }, intensityUnit: 'HU' })).toEqual([{ quantity: 'value', value: -998, unit: 'HU' }])
    // values that do not belong to the kind are not reported
    expect(measuredValues({ ...length, values: { length: 5, mean: 3 } })).toHaveLength(1)
  })

  it('formats as a reader writes it', () => {
    expect(formatMeasuredValue({ quantity: 'length', value: 23.44, unit: 'mm' })).toBe('23.4 mm')
    expect(formatMeasuredValue({ quantity: 'angle', value: 35, unit: 'deg' })).toBe('35.0°')
    expect(formatMeasuredValue({ quantity: 'area', value: 120, unit: 'mm2' })).toBe('120.0 mm²')
    expect(formatMeasuredValue({ quantity: 'mean', value: 41.25, unit: 'HU' })).toBe('41.3 HU')
    expect(formatMeasuredValue({ quantity: 'length', value: 0.01234, unit: 'mm' })).toBe('0.0123 mm')
    expect(formatMeasuredValue({ quantity: 'value', value: 7, unit: '' })).toBe('7.0')
  })
})

describe('annotationIssues', () => {
  const content = (over: Partial<Parameters<typeof annotationIssues>[0]> = {}) => ({
    keyImages: [{ sopInstanceUid: 'a', seriesInstanceUid: 's' }],
    measurements: [length, roi],
    findings: [{ measurements: ['m-1'] }, { measurements: [] }],
    ...over,
  })

  it('finds nothing in a consistent report', () => {
    expect(annotationIssues(content())).toEqual([])
  })

  it('finds an image marked twice, a duplicated measurement id and a link to a measurement the report lacks', () => {
    const issues = annotationIssues(
      content({
        keyImages: [
          { sopInstanceUid: 'a', seriesInstanceUid: 's' },
          { sopInstanceUid: 'a', seriesInstanceUid: 's', frame: 1 },
        ],
        measurements: [length, length],
        findings: [{ measurements: ['m-1'] }, { measurements: ['gone'] }],
      }),
    )
    expect(issues.map((i) => i.rule)).toEqual(['duplicate-key-image', 'duplicate-measurement', 'unknown-measurement'])
    expect(issues[2]).toMatchObject({ findingIndex: 1 })
    expect(issues[2]?.message.en).toContain('gone')
  })
})

describe('referencedSopInstanceUids', () => {
  it('lists each image once, from key images, measurements and the findings’ key images', () => {
    expect(
      referencedSopInstanceUids({
        keyImages: [{ sopInstanceUid: 'k', seriesInstanceUid: 's' }],
        measurements: [length, { ...roi, sopInstanceUid: 'k' }],
        findings: [{ keyImages: ['f', 'k'] }],
      }).sort(),
    ).toEqual(['1.2.3.4', 'f', 'k'])
  })
})

describe('ucumOf', () => {
  it('names the units in UCUM, with annotations for pixels and for units it does not know', () => {
    expect(['mm', 'mm2', 'deg', 'HU', 'px', ''].map((u) => ucumOf(u).code)).toEqual(['mm', 'mm2', 'deg', "[hnsf'U]", '{px}', '1'])
    expect(ucumOf('SUV bw')).toEqual({ code: '{SUVbw}', meaning: 'SUV bw' })
    expect(ucumOf('a very long unit name indeed').code.length).toBeLessThanOrEqual(16)
  })
})
