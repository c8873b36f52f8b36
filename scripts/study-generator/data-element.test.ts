import { describe, expect, it } from 'vitest'
import { formatDecimalString, isValidUid, readNumbers, textElement } from './data-element.ts'

describe('formatDecimalString', () => {
  it('writes at most 16 characters, dropping precision before length', () => {
    expect(formatDecimalString(5)).toBe('5')
    expect(formatDecimalString(135 / 499)).toBe('0.270541')
    expect(formatDecimalString(696.21 + 499 * 0.270541)).toBe('831.209959')
    expect(formatDecimalString(-0.0000001)).toBe('0')
    expect(formatDecimalString(-123456789.123456)).toBe('-123456789.12346')
  })
})

describe('isValidUid', () => {
  it('accepts digits and dots without leading zeros, up to 64 characters', () => {
    expect(isValidUid('1.2.840.10008.1.2.1')).toBe(true)
    expect(isValidUid('2.25.0')).toBe(true)
    expect(isValidUid('1.02.3')).toBe(false)
    expect(isValidUid('1..2')).toBe(false)
    expect(isValidUid('1.2.')).toBe(false)
    expect(isValidUid('1.2a')).toBe(false)
    expect(isValidUid(`1.${'2'.repeat(62)}`)).toBe(true)
    expect(isValidUid(`1.${'2'.repeat(63)}`)).toBe(false)
  })
})

describe('textElement', () => {
  it('joins values with backslashes and refuses non-ASCII', () => {
    expect(readNumbers(textElement(0x00200032, 'DS', ['1', '-2.5', '3']))).toEqual([1, -2.5, 3])
    expect(() => textElement(0x00100010, 'PN', 'Müller')).toThrow(/ASCII/)
  })

  it('refuses values longer than their VR allows', () => {
    expect(textElement(0x00080050, 'SH', 'x'.repeat(16)).value.length).toBe(16)
    expect(() => textElement(0x00080050, 'SH', 'x'.repeat(17))).toThrow(/longer than 16/)
    expect(() => textElement(0x00100020, 'LO', ['short', 'y'.repeat(65)])).toThrow(/longer than 64/)
  })
})
