/**
 * What a reader marks on the images for the report: key images (an image, or one frame of a
 * multi-frame image) and measurements made in the viewer. Both are kept in the report content
 * (so in the draft, and in the submitted report), referenced by SOP Instance UID and frame.
 */
import { z } from 'zod'

export const keyImageRefSchema = z
  .object({
    sopInstanceUid: z.string().min(1).max(64),
    /** 1-based frame number of a multi-frame image; absent for a single-frame image. */
    frame: z.number().int().positive().optional(),
    seriesInstanceUid: z.string().min(1).max(64),
  })
  .meta({ id: 'KeyImageRef' })
export type KeyImageRef = z.infer<typeof keyImageRefSchema>

export const MEASUREMENT_KINDS = ['length', 'angle', 'ellipse', 'rectangle', 'probe'] as const
export type MeasurementKind = (typeof MEASUREMENT_KINDS)[number]

const point = z.tuple([z.number(), z.number(), z.number()])

export const measurementSchema = z
  .object({
    /** The viewer's annotation UID: the same measurement keeps it while it is edited. */
    id: z.string().min(1).max(100),
    kind: z.enum(MEASUREMENT_KINDS),
    sopInstanceUid: z.string().min(1).max(64),
    frame: z.number().int().positive().optional(),
    seriesInstanceUid: z.string().min(1).max(64),
    frameOfReferenceUid: z.string().max(64).optional(),
    viewPlaneNormal: point,
    viewUp: point,
    /** Handles in world coordinates (mm), as Cornerstone keeps them. */
    points: z.array(point).min(1).max(8),
    values: z
      .object({ length: z.number(), angle: z.number(), area: z.number(), mean: z.number(), stdDev: z.number(), min: z.number(), max: z.number(), value: z.number() })
      .partial(),
    /** 'px' when the image has no calibration (no Pixel Spacing nor Imager Pixel Spacing). */
    lengthUnit: z.enum(['mm', 'px']).optional(),
    /** 'HU' for CT, '' when the pixel values have no unit. */
    intensityUnit: z.string().max(20).optional(),
    label: z.string().max(200).optional(),
  })
  .meta({ id: 'Measurement' })
export type Measurement = z.infer<typeof measurementSchema>

/** The same image for the report: same SOP instance and frame (a single-frame image's frame is 1). */
export function sameImage(a: { sopInstanceUid: string; frame?: number | undefined }, b: { sopInstanceUid: string; frame?: number | undefined }): boolean {
  return a.sopInstanceUid === b.sopInstanceUid && (a.frame ?? 1) === (b.frame ?? 1)
}

export type MeasuredQuantity = 'length' | 'angle' | 'area' | 'mean' | 'stdDev' | 'min' | 'max' | 'value'

/** Units as UCUM-like codes: `px` and `px2` for an uncalibrated image, '' for pixel values without a unit. */
export type MeasuredUnit = 'mm' | 'px' | 'deg' | 'mm2' | 'px2' | 'HU' | (string & {})

export interface MeasuredValue {
  quantity: MeasuredQuantity
  value: number
  unit: MeasuredUnit
}

/** Which values each kind reports, the first being the one a one-line summary shows. */
const QUANTITIES_OF: Record<MeasurementKind, readonly MeasuredQuantity[]> = {
  length: ['length'],
  angle: ['angle'],
  ellipse: ['mean', 'stdDev', 'min', 'max', 'area'],
  rectangle: ['mean', 'stdDev', 'min', 'max', 'area'],
  probe: ['value'],
}

/** The values a measurement holds for its kind, each with its unit, in the order a reader reads them. */
export function measuredValues(m: Measurement): MeasuredValue[] {
  const lengthUnit = m.lengthUnit ?? 'mm'
  const unitOf = (quantity: MeasuredQuantity): MeasuredUnit => {
    if (quantity === 'length') return lengthUnit
    if (quantity === 'area') return lengthUnit === 'px' ? 'px2' : 'mm2'
    if (quantity === 'angle') return 'deg'
    return m.intensityUnit ?? ''
  }
  return QUANTITIES_OF[m.kind].flatMap((quantity) => {
    const value = m.values[quantity]
    return value === undefined ? [] : [{ quantity, value, unit: unitOf(quantity) }]
  })
}

/** A measured number as people write it: one decimal, or three significant digits for small values. */
export function formatMeasuredNumber(value: number): string {
  if (value !== 0 && Math.abs(value) < 1) return String(Number(value.toPrecision(3)))
  return value.toFixed(1)
}

/** The unit as printed after a number ("23.4 mm", "35.0°", "120.0 mm²"). */
export function unitSymbol(unit: MeasuredUnit): string {
  const symbols: Record<string, string> = { deg: '°', mm2: ' mm²', px2: ' px²' }
  return symbols[unit] ?? (unit === '' ? '' : ` ${unit}`)
}

/** "23.4 mm" */
export function formatMeasuredValue(v: MeasuredValue): string {
  return `${formatMeasuredNumber(v.value)}${unitSymbol(v.unit)}`
}

/**
 * The unit as UCUM (code and meaning), as DICOM SR and FHIR write it; `{px}` is a UCUM
 * annotation (dimensionless) for lengths on an uncalibrated image.
 */
export function ucumOf(unit: MeasuredUnit): { code: string; meaning: string } {
  const known: Record<string, { code: string; meaning: string }> = {
    mm: { code: 'mm', meaning: 'millimeter' },
    mm2: { code: 'mm2', meaning: 'square millimeter' },
    deg: { code: 'deg', meaning: 'degree' },
    px: { code: '{px}', meaning: 'pixels' },
    px2: { code: '{px2}', meaning: 'square pixels' },
    HU: { code: "[hnsf'U]", meaning: 'Hounsfield unit' },
    '': { code: '1', meaning: 'no units' },
  }
  // another unit the viewer reported (e.g. a PET unit) as an annotation, short enough for a DICOM code value (16)
  return known[unit] ?? { code: `{${unit.replace(/[{}\s]/g, '').slice(0, 14)}}`, meaning: unit }
}

/** Every SOP Instance UID a report content refers to: report key images, measurements, findings' key images. */
export function referencedSopInstanceUids(content: {
  keyImages: readonly KeyImageRef[]
  measurements: readonly Measurement[]
  findings: ReadonlyArray<{ keyImages: readonly string[] }>
}): string[] {
  const uids = new Set<string>()
  for (const k of content.keyImages) uids.add(k.sopInstanceUid)
  for (const m of content.measurements) uids.add(m.sopInstanceUid)
  for (const f of content.findings) for (const sop of f.keyImages) uids.add(sop)
  return [...uids]
}

export type AnnotationIssueRule = 'duplicate-key-image' | 'duplicate-measurement' | 'unknown-measurement'

export interface AnnotationIssue {
  rule: AnnotationIssueRule
  findingIndex?: number
  message: { ja: string; en: string }
}

/**
 * Problems in how the key images and measurements hang together (independent of the images
 * themselves): an image marked twice, two measurements with one id, a finding linking a
 * measurement the report does not have. The report store never makes these; the server refuses them.
 */
export function annotationIssues(content: {
  keyImages: readonly KeyImageRef[]
  measurements: readonly Measurement[]
  findings: ReadonlyArray<{ measurements: readonly string[] }>
}): AnnotationIssue[] {
  const issues: AnnotationIssue[] = []
  content.keyImages.forEach((k, i) => {
    if (content.keyImages.findIndex((other) => sameImage(other, k)) !== i) {
      issues.push({
        rule: 'duplicate-key-image',
        message: { ja: `キー画像 ${k.sopInstanceUid} が重複しています`, en: `key image ${k.sopInstanceUid}${k.frame ? ` frame ${k.frame}` : ''} is listed twice` },
      })
    }
  })
  const ids = new Set<string>()
  for (const m of content.measurements) {
    if (ids.has(m.id)) issues.push({ rule: 'duplicate-measurement', message: { ja: `計測 ${m.id} が重複しています`, en: `measurement ${m.id} is listed twice` } })
    ids.add(m.id)
  }
  content.findings.forEach((f, findingIndex) => {
    for (const id of f.measurements) {
      if (!ids.has(id)) {
        issues.push({
          rule: 'unknown-measurement',
          findingIndex,
          message: { ja: `所見 ${findingIndex + 1} の計測 ${id} がレポートにありません`, en: `finding ${findingIndex + 1} links measurement ${id}, which the report does not have` },
        })
      }
    }
  })
  return issues
}
