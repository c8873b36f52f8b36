import { describe, expect, it } from 'vitest'
import { dueTimeView } from './due-time.ts'

const now = Date.parse('2026-11-21T12:00:00Z')

describe('due time in the worklist', () => {
  it('is red once overdue', () => {
    expect(dueTimeView('2026-11-21T11:30:00Z', now)).toEqual({ text: { key: 'due.overdue', time: '30 min' }, tone: 'overdue' })
  })
  it('is amber within the hour', () => {
    expect(dueTimeView('2026-11-21T12:45:00Z', now).tone).toBe('soon')
  })
  it('is plain beyond an hour', () => {
    expect(dueTimeView('2026-11-21T15:00:00Z', now)).toEqual({ text: { key: 'due.left', time: '3 h 00 min' }, tone: 'normal' })
  })
})
