/**
 * The units Cornerstone's measurement tools report, brought to the report's: lengths in mm
 * (or px when the image has no calibration), areas in mm² (or px²). Cornerstone names a unit
 * with a note ('mm PROJ', 'cm US Region', 'mm²'); anything that is not a length unit we know
 * (%, dB, an unknown region unit) yields no value rather than a wrong one.
 */

export type LengthUnit = 'mm' | 'px'

export interface Converted {
  /** Multiply a length by this to get it in `unit`. */
  factor: number
  unit: LengthUnit
}

/** The report's unit for a length unit Cornerstone reported, and the factor to it; undefined for anything else. */
export function lengthUnitOf(reported: string | undefined): Converted | undefined {
  if (!reported) return undefined
  const base = reported.trim().split(/\s+/)[0]!.replace(/[²2]$/, '')
  if (base === 'px') return { factor: 1, unit: 'px' }
  if (base === 'mm') return { factor: 1, unit: 'mm' }
  if (base === 'cm') return { factor: 10, unit: 'mm' }
  return undefined
}

/** Whether Cornerstone's unit names an area (mm², px², cm²). */
export function isAreaUnit(reported: string | undefined): boolean {
  return !!reported && /^(mm|cm|px)(²|2)(\s|$)/.test(reported.trim())
}
