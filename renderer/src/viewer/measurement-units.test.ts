import { describe, expect, it } from 'vitest'
import { isAreaUnit, lengthUnitOf } from './measurement-units.ts'

describe('measurement units', () => {
  it('keeps mm and px, and its notes (projection, ERMF) do not change the unit', () => {
    expect(lengthUnitOf('mm')).toEqual({ factor: 1, unit: 'mm' })
    expect(lengthUnitOf('mm PROJ')).toEqual({ factor: 1, unit: 'mm' })
    expect(lengthUnitOf('mm ERMF')).toEqual({ factor: 1, unit: 'mm' })
    expect(lengthUnitOf('px')).toEqual({ factor: 1, unit: 'px' })
  })

  it('converts ultrasound centimetres to millimetres, for lengths and areas alike', () => {
    expect(lengthUnitOf('cm US Region')).toEqual({ factor: 10, unit: 'mm' })
    expect(lengthUnitOf('cm²')).toEqual({ factor: 10, unit: 'mm' })
    expect(isAreaUnit('cm²')).toBe(true)
    expect(isAreaUnit('mm² PROJ')).toBe(true)
    expect(isAreaUnit('mm')).toBe(false)
  })

  it('refuses units that are not lengths', () => {
    expect(lengthUnitOf('%')).toBeUndefined()
    expect(lengthUnitOf('dB')).toBeUndefined()
    expect(lengthUnitOf('s')).toBeUndefined()
    expect(lengthUnitOf(undefined)).toBeUndefined()
  })
})
