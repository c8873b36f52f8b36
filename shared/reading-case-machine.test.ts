import { describe, expect, it } from 'vitest'
import { CASE_STATUSES, WORKFLOWS, type CaseStatus, type Workflow } from './domain.ts'
import { caseTransition, waitingOnOthers, type CaseEvent, type ReadsIn } from './reading-case-machine.ts'

const reads = (first: boolean, second: boolean, agree = true): ReadsIn => ({ first, second, agree })
const submitted = (readingType: 'first' | 'second', readsIn: ReadsIn): CaseEvent => ({ kind: 'read-submitted', readingType, readsIn })
const next = (workflow: Workflow, status: CaseStatus, event: CaseEvent) => {
  const t = caseTransition(workflow, status, event)
  return t.ok ? `${t.status}${t.method ? `/${t.method}` : ''}` : 'refused'
}

describe('double reading', () => {
  it('waits for both reads, in either order, then agrees or goes to comparison', () => {
    expect(next('double', 'first-read', submitted('first', reads(true, false)))).toBe('second-read')
    expect(next('double', 'first-read', submitted('second', reads(false, true)))).toBe('first-read')
    expect(next('double', 'second-read', submitted('second', reads(true, true, true)))).toBe('final/agreement')
    expect(next('double', 'second-read', submitted('second', reads(true, true, false)))).toBe('comparison')
    expect(next('double', 'first-read', submitted('first', reads(true, true, false)))).toBe('comparison')
  })
  it('goes from comparison to a consensus or to the committee, and from the committee to final', () => {
    expect(next('double', 'comparison', { kind: 'consensus' })).toBe('final/consensus')
    expect(next('double', 'comparison', { kind: 'committee' })).toBe('committee')
    expect(next('double', 'committee', { kind: 'committee-decision' })).toBe('final/committee')
  })
  it('allows a correction only while the other read is still out', () => {
    expect(next('double', 'second-read', { kind: 'correction', readingType: 'first', readsIn: reads(true, false) })).toBe('second-read')
    expect(next('double', 'first-read', { kind: 'correction', readingType: 'second', readsIn: reads(false, true) })).toBe('first-read')
    expect(next('double', 'comparison', { kind: 'correction', readingType: 'first', readsIn: reads(true, true) })).toBe('refused')
    expect(next('double', 'final', { kind: 'correction', readingType: 'second', readsIn: reads(true, true) })).toBe('refused')
  })
  it('refuses every other event in every status', () => {
    const legal = new Set(['comparison:consensus', 'comparison:committee', 'committee:committee-decision'])
    for (const status of CASE_STATUSES) {
      for (const kind of ['consensus', 'committee', 'committee-decision', 'approve', 'amend', 'return'] as const) {
        const outcome = next('double', status, { kind })
        if (legal.has(`${status}:${kind}`)) expect(outcome).not.toBe('refused')
        else expect(outcome, `${status}:${kind}`).toBe('refused')
      }
      if (status !== 'first-read' && status !== 'second-read') expect(next('double', status, submitted('first', reads(true, true)))).toBe('refused')
    }
  })
})

describe('report check', () => {
  it('runs first read → check → approved, amended or returned → check again', () => {
    expect(next('check', 'first-read', submitted('first', reads(true, false)))).toBe('check')
    expect(next('check', 'check', { kind: 'approve' })).toBe('approved/approved')
    expect(next('check', 'check', { kind: 'amend' })).toBe('amended/amended')
    expect(next('check', 'check', { kind: 'return' })).toBe('returned')
    expect(next('check', 'returned', { kind: 'correction', readingType: 'first', readsIn: reads(true, false) })).toBe('check')
  })
  it('refuses decisions outside the check, and any second read', () => {
    for (const status of ['first-read', 'returned', 'approved', 'amended'] as const) {
      for (const kind of ['approve', 'amend', 'return'] as const) expect(next('check', status, { kind })).toBe('refused')
    }
    expect(next('check', 'check', { kind: 'correction', readingType: 'first', readsIn: reads(true, false) })).toBe('refused')
    expect(next('check', 'first-read', submitted('second', reads(false, true)))).toBe('refused')
    expect(next('check', 'check', { kind: 'consensus' })).toBe('refused')
  })
})

describe('single reading', () => {
  it('is final with the read, and stays final after a correction', () => {
    expect(next('single', 'first-read', submitted('first', reads(true, false)))).toBe('final/single')
    expect(next('single', 'final', { kind: 'correction', readingType: 'first', readsIn: reads(true, false) })).toBe('final/single')
    expect(next('single', 'final', submitted('first', reads(true, false)))).toBe('refused')
  })
  it('every workflow names the status it refuses in', () => {
    for (const workflow of WORKFLOWS) {
      const t = caseTransition(workflow, 'approved', { kind: 'consensus' })
      expect(t.ok).toBe(false)
      if (!t.ok) expect(t.reason).toContain('approved')
    }
  })
})

describe('waitingOnOthers', () => {
  it('says who waits in a double-reading case', () => {
    expect(waitingOnOthers('double', 'second-read', 'first', 'submitted')).toBe(true)
    expect(waitingOnOthers('double', 'second-read', 'second', 'assigned')).toBe(false)
    expect(waitingOnOthers('double', 'first-read', 'comparison', 'assigned')).toBe(true)
    expect(waitingOnOthers('double', 'comparison', 'comparison', 'assigned')).toBe(false)
    expect(waitingOnOthers('double', 'comparison', 'first', 'submitted')).toBe(true)
    expect(waitingOnOthers('double', 'final', 'first', 'submitted')).toBe(false)
  })
  it('says who waits in a report check', () => {
    expect(waitingOnOthers('check', 'check', 'first', 'submitted')).toBe(true)
    expect(waitingOnOthers('check', 'returned', 'first', 'in-progress')).toBe(false)
    expect(waitingOnOthers('check', 'returned', 'check', 'in-progress')).toBe(true)
    expect(waitingOnOthers('check', 'check', 'check', 'assigned')).toBe(false)
    expect(waitingOnOthers('check', 'approved', 'first', 'submitted')).toBe(false)
  })
})
