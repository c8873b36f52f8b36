import { describe, expect, it } from 'vitest'
import { joinCase, pickReader, type CaseMembership } from './case-routing.ts'

const single: CaseMembership = { workflow: 'single', status: 'first-read', members: [{ readerUserId: 'r1', readingType: 'first' }] }

describe('joinCase', () => {
  it('starts a case in the workflow of its first assignment', () => {
    expect(joinCase(undefined, 'r1', 'first')).toEqual({ ok: true, workflow: 'single' })
    expect(joinCase(undefined, 'r2', 'second')).toEqual({ ok: true, workflow: 'double' })
    expect(joinCase(undefined, 'c1', 'check')).toEqual({ ok: true, workflow: 'check' })
  })
  it('routes a second read, comparison or check to someone other than the first reader', () => {
    for (const type of ['second', 'comparison', 'check'] as const) {
      expect(joinCase(single, 'r1', type)).toMatchObject({ ok: false, code: 'same-reader' })
    }
    expect(joinCase(single, 'r2', 'second')).toEqual({ ok: true, workflow: 'double' })
    expect(joinCase(single, 'c1', 'check')).toEqual({ ok: true, workflow: 'check' })
    const double: CaseMembership = { ...single, workflow: 'double', members: [...single.members, { readerUserId: 'r2', readingType: 'second' }] }
    expect(joinCase(double, 'r2', 'comparison')).toMatchObject({ ok: false, code: 'same-reader' })
    expect(joinCase(double, 'c1', 'comparison')).toEqual({ ok: true, workflow: 'double' })
  })
  it('refuses a second assignment of one type, mixing workflows, and joining after the first read is in', () => {
    expect(joinCase(single, 'r2', 'first')).toMatchObject({ ok: false, code: 'invalid-transition' })
    const double: CaseMembership = { ...single, workflow: 'double', members: [...single.members, { readerUserId: 'r2', readingType: 'second' }] }
    expect(joinCase(double, 'c1', 'check')).toMatchObject({ ok: false, code: 'invalid-transition' })
    const check: CaseMembership = { ...single, workflow: 'check', members: [...single.members, { readerUserId: 'c1', readingType: 'check' }] }
    expect(joinCase(check, 'r2', 'second')).toMatchObject({ ok: false, code: 'invalid-transition' })
    expect(joinCase({ ...single, status: 'final' }, 'r2', 'second')).toMatchObject({ ok: false, code: 'invalid-transition' })
  })
})

describe('pickReader', () => {
  it('picks the least busy reader who is not in the case', () => {
    const candidates = [
      { userId: 'r1', username: 'reader1', openAssignments: 0 },
      { userId: 'r2', username: 'reader2', openAssignments: 5 },
      { userId: 'r3', username: 'reader3', openAssignments: 2 },
    ]
    expect(pickReader(candidates, single.members)).toBe('r3')
    expect(pickReader(candidates.slice(0, 1), single.members)).toBeUndefined()
  })
})
