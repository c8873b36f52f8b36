import { describe, expect, it } from 'vitest'
import { formatBytes, formatDicomDate, formatDuration } from './format.ts'

describe('formatting', () => {
  it('formats durations at a glance', () => {
    expect(formatDuration(45_000)).toBe('45 s')
    expect(formatDuration(12 * 60_000)).toBe('12 min')
    expect(formatDuration(2 * 3_600_000 + 5 * 60_000)).toBe('2 h 05 min')
    expect(formatDuration(-(26 * 3_600_000))).toBe('1 d 2 h')
  })

  it('speaks Japanese units in Japanese', () => {
    expect(formatDuration(2 * 3_600_000 + 5 * 60_000, 'ja')).toBe('2時間 05分')
    expect(formatDuration(29 * 60_000, 'ja')).toBe('29分')
  })

  it('formats byte counts', () => {
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(14_894_000)).toBe('14.2 MB')
  })

  it('formats DICOM dates and leaves others alone', () => {
    expect(formatDicomDate('20240131')).toBe('2024-01-31')
    expect(formatDicomDate('')).toBe('')
    expect(formatDicomDate('2024')).toBe('2024')
  })
})
