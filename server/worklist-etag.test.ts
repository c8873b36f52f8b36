import { describe, expect, it } from 'vitest'
import type { Assignment } from '../shared/api-contract.ts'
import { etagOf, ifNoneMatchIncludes, worklistVersion } from './worklist-etag.ts'

const assignment: Assignment = {
  id: 'a1',
  studyInstanceUid: '1.2.3',
  facilityId: 'f',
  facilityName: 'F',
  patientDisplay: 'DOE J',
  patientDisplayPolicy: 'named',
  patientSex: 'M',
  patientAge: '040Y',
  modalities: ['CT'],
  bodyPart: 'HEAD',
  studyDescription: 'Head',
  studyDate: '20240101',
  seriesCount: 1,
  instanceCount: 10,
  priority: 'stat',
  readingType: 'first',
  status: 'assigned',
  dueAt: '2026-01-01T00:00:00.000Z',
  assignedAt: '2025-12-31T00:00:00.000Z',
  priors: [],
}

describe('worklist version', () => {
  it('is stable for equal content and changes with status, priority, due time, priors or policy', () => {
    const policy = { retentionDays: 7 }
    const base = worklistVersion([assignment], policy)
    expect(worklistVersion([{ ...assignment }], { retentionDays: 7 })).toBe(base)
    expect(base).toMatch(/^[A-Za-z0-9_-]{22}$/)
    const variants: Assignment[] = [
      { ...assignment, status: 'in-progress' },
      { ...assignment, priority: 'urgent' },
      { ...assignment, dueAt: '2026-01-01T00:00:01.000Z' },
      { ...assignment, priors: [{ studyInstanceUid: '1.2.2', studyDate: '', modalities: [], studyDescription: '', instanceCount: 1 }] },
    ]
    for (const variant of variants) expect(worklistVersion([variant], policy)).not.toBe(base)
    expect(worklistVersion([assignment], { retentionDays: 8 })).not.toBe(base)
    expect(worklistVersion([], policy)).not.toBe(base)
  })

  it('matches If-None-Match lists and weak tags, but not *', () => {
    expect(etagOf('abc')).toBe('"abc"')
    expect(ifNoneMatchIncludes('"abc"', 'abc')).toBe(true)
    expect(ifNoneMatchIncludes('"x", W/"abc"', 'abc')).toBe(true)
    expect(ifNoneMatchIncludes('*', 'abc')).toBe(false)
    expect(ifNoneMatchIncludes('abc', 'abc')).toBe(false)
    expect(ifNoneMatchIncludes('"abcd"', 'abc')).toBe(false)
    expect(ifNoneMatchIncludes(undefined, 'abc')).toBe(false)
  })
})
