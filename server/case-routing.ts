/**
 * Which assignments a reading case may take. A case has at most one assignment of each reading
 * type, and no reader holds two of them: a second read, a comparison or a check by the first
 * reader would not be a second opinion. The workflow follows from the types: a second read or a
 * comparison makes it double reading, a check a report check; the two do not mix, and neither
 * can be added once a read has gone in.
 */
import type { CaseStatus, ReadingType, Workflow } from '../shared/domain.ts'

export interface CaseMembership {
  workflow: Workflow
  status: CaseStatus
  /** The case's assignments so far. */
  members: ReadonlyArray<{ readerUserId: string; readingType: ReadingType }>
}

export type JoinOutcome =
  | { ok: true; workflow: Workflow }
  | { ok: false; code: 'same-reader' | 'invalid-transition'; reason: string }

const WORKFLOW_OF_TYPE: Record<ReadingType, Workflow> = { first: 'single', second: 'double', comparison: 'double', check: 'check' }

export function joinCase(current: CaseMembership | undefined, readerUserId: string, readingType: ReadingType): JoinOutcome {
  if (!current) return { ok: true, workflow: WORKFLOW_OF_TYPE[readingType] }
  if (current.members.some((m) => m.readerUserId === readerUserId)) {
    return { ok: false, code: 'same-reader', reason: 'This reader already holds a reading of this case; a second read, comparison or check must go to someone else.' }
  }
  if (current.members.some((m) => m.readingType === readingType)) {
    return { ok: false, code: 'invalid-transition', reason: `This case already has a ${readingType} reading.` }
  }
  const wanted = WORKFLOW_OF_TYPE[readingType]
  if (wanted === 'single' || wanted === current.workflow) return { ok: true, workflow: current.workflow }
  if (current.workflow !== 'single') {
    return { ok: false, code: 'invalid-transition', reason: `A ${current.workflow === 'double' ? 'double-reading' : 'report-check'} case cannot take a ${readingType} reading.` }
  }
  if (current.status !== 'first-read') {
    return { ok: false, code: 'invalid-transition', reason: `The first read of this case is already in; a ${readingType} reading can no longer be added.` }
  }
  return { ok: true, workflow: wanted }
}

/**
 * The reader a second read, comparison or check goes to when the admin names none: among the
 * candidates not already in the case, the one with the fewest open assignments, then by name.
 */
export function pickReader(
  candidates: ReadonlyArray<{ userId: string; username: string; openAssignments: number }>,
  members: CaseMembership['members'],
): string | undefined {
  const taken = new Set(members.map((m) => m.readerUserId))
  return [...candidates]
    .filter((c) => !taken.has(c.userId))
    .sort((a, b) => a.openAssignments - b.openAssignments || a.username.localeCompare(b.username))[0]?.userId
}
