import { describe, expect, it } from 'vitest'
import { ApiHttpError } from './api-error.ts'
import { dateRange, MAX_QIDO_RESULTS, matchValue, pagingOf, stringMatch, uidList } from './qido-parameters.ts'

describe('QIDO-RS parameters', () => {
  it('reads a matching key by keyword or by tag', () => {
    expect(matchValue({ PatientID: 'P1' }, 'PatientID', '00100020')).toBe('P1')
    expect(matchValue({ '00100020': 'P2' }, 'PatientID', '00100020')).toBe('P2')
    expect(matchValue({ PatientID: ['P3', 'P4'] }, 'PatientID', '00100020')).toBe('P3')
    expect(matchValue({ PatientID: '' }, 'PatientID', '00100020')).toBeUndefined()
  })

  it('splits UID lists and refuses anything that is not a UID', () => {
    expect(uidList('1.2.3,1.2.4')).toEqual(['1.2.3', '1.2.4'])
    expect(uidList('1.2.3\\1.2.4')).toEqual(['1.2.3', '1.2.4'])
    expect(() => uidList("1.2.3' or 1=1")).toThrow(ApiHttpError)
  })

  it('reads dates and date ranges', () => {
    expect(dateRange('20240101')).toEqual({ from: '20240101', to: '20240101' })
    expect(dateRange('20240101-20240131')).toEqual({ from: '20240101', to: '20240131' })
    expect(dateRange('-20240131')).toEqual({ to: '20240131' })
    expect(dateRange('20240101-')).toEqual({ from: '20240101' })
    expect(() => dateRange('2024-01-01')).toThrow(ApiHttpError)
    expect(() => dateRange('-')).toThrow(ApiHttpError)
  })

  it('turns DICOM wildcards into LIKE patterns, escaping LIKE metacharacters', () => {
    expect(stringMatch('P1')).toEqual({ op: '=', operand: 'P1' })
    expect(stringMatch('P*')).toEqual({ op: 'like', operand: 'P%' })
    expect(stringMatch('A_?%*')).toEqual({ op: 'like', operand: 'A\\__\\%%' })
  })

  it('pages with a capped limit', () => {
    expect(pagingOf({})).toEqual({ limit: MAX_QIDO_RESULTS, offset: 0 })
    expect(pagingOf({ limit: '5', offset: '10' })).toEqual({ limit: 5, offset: 10 })
    expect(pagingOf({ limit: '999999' }).limit).toBe(MAX_QIDO_RESULTS)
    expect(() => pagingOf({ limit: '-1' })).toThrow(ApiHttpError)
    expect(() => pagingOf({ offset: 'x' })).toThrow(ApiHttpError)
  })
})
