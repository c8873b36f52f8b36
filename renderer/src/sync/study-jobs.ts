/** Which studies to bring into the cache, in which order. */
import type { Assignment } from '../../../shared/api-contract.ts'
import { PRIORITIES, type Priority } from '../../../shared/domain.ts'

export interface StudyJob {
  studyInstanceUid: string
  /** The assignment that needs it: as its current study, or as one of its priors. */
  assignmentId: string
  role: 'current' | 'prior'
  priority: Priority
  dueAt: string
}

const rank = (p: Priority) => PRIORITIES.indexOf(p)

/** Most urgent first: priority (STAT, urgent, routine), then due time, then assignment id for a stable order. */
export function compareAssignments(a: Assignment, b: Assignment): number {
  return rank(a.priority) - rank(b.priority) || Date.parse(a.dueAt) - Date.parse(b.dueAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

/**
 * The download order: assignments most urgent first, each one's current study before its
 * priors; a study needed twice is fetched once, at its first place. Submitted assignments
 * need nothing. `head` (a study the reader just opened) goes first.
 */
export function orderStudyJobs(assignments: readonly Assignment[], head?: string): StudyJob[] {
  const jobs: StudyJob[] = []
  const seen = new Set<string>()
  const add = (job: StudyJob) => {
    if (seen.has(job.studyInstanceUid)) return
    seen.add(job.studyInstanceUid)
    jobs.push(job)
  }
  for (const a of [...assignments].filter((x) => x.status !== 'submitted').sort(compareAssignments)) {
    const base = { assignmentId: a.id, priority: a.priority, dueAt: a.dueAt }
    add({ ...base, studyInstanceUid: a.studyInstanceUid, role: 'current' })
    for (const prior of a.priors) add({ ...base, studyInstanceUid: prior.studyInstanceUid, role: 'prior' })
  }
  const headIndex = head === undefined ? -1 : jobs.findIndex((j) => j.studyInstanceUid === head)
  if (headIndex > 0) jobs.unshift(...jobs.splice(headIndex, 1))
  return jobs
}
