import { beforeEach, describe, expect, it } from 'vitest'
import type { Assignment } from '../../../shared/api-contract.ts'
import { caseBadge, filterAssignments, NO_FILTERS, useWorklistStore } from './worklist-store.ts'

type CaseOf = NonNullable<Assignment['readingCase']>
const row = (id: string, readingType: Assignment['readingType'], status: Assignment['status'], readingCase?: Partial<CaseOf>): Assignment =>
  ({
    id,
    readingType,
    status,
    ...(readingCase ? { readingCase: { id: `case-${id}`, workflow: 'double', status: 'first-read', waitingOnOthers: false, ...readingCase } } : {}),
  }) as Assignment

const list = [
  row('first-done', 'first', 'submitted', { status: 'second-read', waitingOnOthers: true }),
  row('second-todo', 'second', 'assigned', { status: 'second-read' }),
  row('comparison-waiting', 'comparison', 'assigned', { status: 'first-read', waitingOnOthers: true }),
  row('comparison-now', 'comparison', 'in-progress', { status: 'comparison' }),
  row('committee', 'second', 'submitted', { status: 'committee' }),
  row('final', 'first', 'submitted', { status: 'final' }),
  row('returned', 'first', 'in-progress', { workflow: 'check', status: 'returned' }),
  row('amended', 'first', 'submitted', { workflow: 'check', status: 'amended' }),
  row('check', 'check', 'assigned', { workflow: 'check', status: 'check' }),
  row('single-final', 'first', 'submitted', { workflow: 'single', status: 'final' }),
  row('no-case', 'first', 'assigned'),
]
const ids = (assignments: Assignment[]) => assignments.map((a) => a.id)

describe('worklist case badge', () => {
  it('names where each case stands, and says nothing where the assignment is simply to be read', () => {
    expect(Object.fromEntries(list.map((a) => [a.id, caseBadge(a)]))).toEqual({
      'first-done': 'waiting',
      'second-todo': null,
      'comparison-waiting': 'waiting',
      'comparison-now': 'comparison',
      committee: 'committee',
      final: 'final',
      returned: 'returned',
      amended: 'amended',
      check: 'check',
      'single-final': null,
      'no-case': null,
    })
  })
})

describe('worklist filters', () => {
  it('lets everything through unfiltered, as the same array', () => {
    expect(filterAssignments(list, NO_FILTERS)).toBe(list)
  })

  it('filters by reading type, status, case badge and waiting on others, together', () => {
    expect(ids(filterAssignments(list, { ...NO_FILTERS, readingType: 'comparison' }))).toEqual(['comparison-waiting', 'comparison-now'])
    expect(ids(filterAssignments(list, { ...NO_FILTERS, readingType: 'check' }))).toEqual(['check'])
    expect(ids(filterAssignments(list, { ...NO_FILTERS, status: 'in-progress' }))).toEqual(['comparison-now', 'returned'])
    expect(ids(filterAssignments(list, { ...NO_FILTERS, caseBadge: 'final' }))).toEqual(['final'])
    expect(ids(filterAssignments(list, { ...NO_FILTERS, waitingOnOthers: true }))).toEqual(['first-done', 'comparison-waiting'])
    expect(ids(filterAssignments(list, { ...NO_FILTERS, readingType: 'first', waitingOnOthers: true }))).toEqual(['first-done'])
    expect(ids(filterAssignments(list, { ...NO_FILTERS, readingType: 'first', status: 'submitted', caseBadge: 'amended' }))).toEqual(['amended'])
  })
})

describe('worklist store', () => {
  beforeEach(() => useWorklistStore.getState().clear())

  it('keeps its filters across new lists, and a new session starts unfiltered', () => {
    const store = useWorklistStore.getState()
    store.setFilters({ readingType: 'second' })
    store.setFilters({ waitingOnOthers: true })
    useWorklistStore.getState().setAssignments(list, false)
    expect(useWorklistStore.getState().filters).toEqual({ ...NO_FILTERS, readingType: 'second', waitingOnOthers: true })
    useWorklistStore.getState().clearFilters()
    expect(useWorklistStore.getState().filters).toEqual(NO_FILTERS)
    useWorklistStore.getState().setFilters({ status: 'submitted' })
    useWorklistStore.getState().clear()
    expect(useWorklistStore.getState()).toMatchObject({ filters: NO_FILTERS, assignments: [], loading: true })
  })
})
