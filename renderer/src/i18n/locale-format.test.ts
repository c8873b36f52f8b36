import { describe, expect, it } from 'vitest'
import { formatCount, formatDateTime, formatRate, formatReadingTime } from './locale-format.ts'

describe('formatting per language', () => {
  it('groups thousands', () => {
    expect(formatCount(12345, 'ja')).toBe('12,345')
    expect(formatCount(12345, 'en')).toBe('12,345')
    expect(formatCount(7, 'en')).toBe('7')
  })

  it('writes rates as percentages with one decimal, a dash when there is none', () => {
    expect(formatRate(0.25, 'en')).toBe('25.0%')
    expect(formatRate(1 / 3, 'ja')).toBe('33.3%')
    expect(formatRate(0, 'en')).toBe('0.0%')
    expect(formatRate(null, 'ja')).toBe('—')
  })

  it('writes reading times to the second in each language', () => {
    expect(formatReadingTime(270, 'ja')).toBe('4分30秒')
    expect(formatReadingTime(270, 'en')).toBe('4 min 30 s')
    expect(formatReadingTime(45, 'en')).toBe('45 s')
    expect(formatReadingTime(3600 + 120, 'ja')).toBe('1時間2分0秒')
    expect(formatReadingTime(300.4, 'en')).toBe('5 min 0 s')
    expect(formatReadingTime(null, 'en')).toBe('—')
  })

  it('writes a moment in the order of the language, to the minute', () => {
    const iso = new Date(2026, 10, 2, 9, 5, 31).toISOString()
    expect(formatDateTime(iso, 'ja')).toBe('2026/11/02 09:05')
    expect(formatDateTime(iso, 'en')).toBe('11/02/2026, 09:05 AM')
  })
})
