/**
 * Who may see a read of a reading case: the blinding of double reading as one pure rule, used by
 * the case view, the report endpoints and the exports alike, so no path shows a read earlier
 * than another.
 *
 * - Everyone sees their own read; admins see everything.
 * - Double reading: a first or second reader sees the other read only once their own is
 *   submitted (their read is then locked); the comparison reader sees both once both are in;
 *   a checker (the reading committee) sees them while the case is at the committee or final.
 * - Report check: the checker sees the first read; the first reader sees the checker's amendments
 *   (versions of their own report).
 * - Nobody else sees anything.
 */
import type { CaseStatus, ReadingType, Role, Workflow } from '../shared/domain.ts'

export interface ViewerInCase {
  role: Role
  /** The viewer's own assignments in this case, and whether each has a submitted report. */
  own: ReadonlyArray<{ readingType: ReadingType; submitted: boolean; assignmentId: string }>
}

export interface ReadInCase {
  assignmentId: string
  readingType: ReadingType
}

const BOTH_READS_IN: readonly CaseStatus[] = ['comparison', 'committee', 'final']

export function mayViewRead(workflow: Workflow, status: CaseStatus, viewer: ViewerInCase, read: ReadInCase): boolean {
  if (viewer.role === 'admin') return true
  if (viewer.own.some((o) => o.assignmentId === read.assignmentId)) return true
  switch (workflow) {
    case 'single':
      return false
    case 'check':
      return read.readingType === 'first' && viewer.own.some((o) => o.readingType === 'check')
    case 'double': {
      if (read.readingType !== 'first' && read.readingType !== 'second') return false
      const other = read.readingType === 'first' ? 'second' : 'first'
      if (viewer.own.some((o) => o.readingType === other && o.submitted)) return true
      if (viewer.own.some((o) => o.readingType === 'comparison')) return BOTH_READS_IN.includes(status)
      return viewer.role === 'checker' && (status === 'committee' || status === 'final')
    }
  }
}

/** Whether the viewer may see the case at all: they are in it, an admin, or on the committee of a case there. */
export function mayViewCase(workflow: Workflow, status: CaseStatus, viewer: ViewerInCase): boolean {
  if (viewer.role === 'admin' || viewer.own.length > 0) return true
  return workflow === 'double' && viewer.role === 'checker' && (status === 'committee' || status === 'final')
}
