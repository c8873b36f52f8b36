import { describe, expect, it } from 'vitest'
import { mayViewCase, mayViewRead, type ViewerInCase } from './case-visibility.ts'

const first = { assignmentId: 'a1', readingType: 'first' as const }
const second = { assignmentId: 'a2', readingType: 'second' as const }
const reader = (own: ViewerInCase['own']): ViewerInCase => ({ role: 'reader', own })

describe('double reading is blinded', () => {
  it('hides the first read from the second reader until their own read is submitted', () => {
    const before = reader([{ assignmentId: 'a2', readingType: 'second', submitted: false }])
    const after = reader([{ assignmentId: 'a2', readingType: 'second', submitted: true }])
    for (const status of ['first-read', 'second-read'] as const) expect(mayViewRead('double', status, before, first)).toBe(false)
    expect(mayViewRead('double', 'comparison', before, first)).toBe(false)
    expect(mayViewRead('double', 'first-read', after, first)).toBe(true)
    expect(mayViewRead('double', 'comparison', after, first)).toBe(true)
    expect(mayViewRead('double', 'first-read', before, second)).toBe(true)
  })
  it('hides the second read from the first reader the same way', () => {
    expect(mayViewRead('double', 'second-read', reader([{ assignmentId: 'a1', readingType: 'first', submitted: false }]), second)).toBe(false)
    expect(mayViewRead('double', 'comparison', reader([{ assignmentId: 'a1', readingType: 'first', submitted: true }]), second)).toBe(true)
  })
  it('shows both reads to the comparison reader only once both are in', () => {
    const comparer = reader([{ assignmentId: 'a3', readingType: 'comparison', submitted: false }])
    expect(mayViewRead('double', 'second-read', comparer, first)).toBe(false)
    expect(mayViewRead('double', 'comparison', comparer, first)).toBe(true)
    expect(mayViewRead('double', 'final', comparer, second)).toBe(true)
  })
  it('shows a committee case to checkers, nothing to other readers, everything to admins', () => {
    const checker: ViewerInCase = { role: 'checker', own: [] }
    expect(mayViewRead('double', 'comparison', checker, first)).toBe(false)
    expect(mayViewRead('double', 'committee', checker, first)).toBe(true)
    expect(mayViewCase('double', 'committee', checker)).toBe(true)
    expect(mayViewCase('double', 'comparison', checker)).toBe(false)
    expect(mayViewCase('double', 'comparison', reader([]))).toBe(false)
    expect(mayViewRead('double', 'first-read', reader([]), first)).toBe(false)
    expect(mayViewRead('double', 'first-read', { role: 'admin', own: [] }, first)).toBe(true)
  })
})

describe('report check', () => {
  it('shows the first read to its checker, and nothing to an unrelated reader', () => {
    const checker = reader([{ assignmentId: 'c', readingType: 'check', submitted: false }])
    expect(mayViewRead('check', 'check', checker, first)).toBe(true)
    expect(mayViewRead('check', 'check', reader([]), first)).toBe(false)
    expect(mayViewRead('single', 'final', reader([]), first)).toBe(false)
  })
})
