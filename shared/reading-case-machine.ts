/**
 * The state machines of a reading case, as one pure function: given the workflow, the status
 * and what happened, the next status (and how a final judgement was reached), or why that
 * cannot happen now. The server applies it inside the transaction that records the event; the
 * workstation uses it to know which actions to offer.
 *
 *   single: first-read ──read──▶ final
 *   double: first-read / second-read ──both reads in──▶ final (agreement) | comparison
 *           comparison ──consensus──▶ final;  comparison ──committee──▶ committee ──decision──▶ final
 *   check:  first-read ──read──▶ check ──approve──▶ approved | ──amend──▶ amended | ──return──▶ returned
 *           returned ──correction──▶ check
 */
import { FINAL_CASE_STATUSES, type AssignmentStatus, type CaseStatus, type FinalMethod, type ReadingType, type Workflow } from './domain.ts'

/** Which reads of a double-reading case are in, after the event, and whether their judgements agree. */
export interface ReadsIn {
  first: boolean
  second: boolean
  /** Meaningful only when both are in. */
  agree: boolean
}

export type CaseEvent =
  | { kind: 'read-submitted'; readingType: 'first' | 'second'; readsIn: ReadsIn }
  | { kind: 'consensus' }
  | { kind: 'committee' }
  | { kind: 'committee-decision' }
  | { kind: 'approve' }
  | { kind: 'amend' }
  | { kind: 'return' }
  /** A new version of a submitted read, by its own reader, with a reason. */
  | { kind: 'correction'; readingType: 'first' | 'second'; readsIn: ReadsIn }

export type CaseTransition =
  | { ok: true; status: CaseStatus; method?: FinalMethod }
  | { ok: false; reason: string }

const refuse = (event: CaseEvent, workflow: Workflow, status: CaseStatus): CaseTransition => ({
  ok: false,
  reason: `"${event.kind}" is not possible in a ${workflow} reading case that is ${status}.`,
})

/** The status of a double-reading case given which reads are in. */
function doubleStatusOf(readsIn: ReadsIn): CaseTransition {
  if (!readsIn.first) return { ok: true, status: 'first-read' }
  if (!readsIn.second) return { ok: true, status: 'second-read' }
  return readsIn.agree ? { ok: true, status: 'final', method: 'agreement' } : { ok: true, status: 'comparison' }
}

export function caseTransition(workflow: Workflow, status: CaseStatus, event: CaseEvent): CaseTransition {
  const no = () => refuse(event, workflow, status)
  switch (workflow) {
    case 'single':
      if (event.kind === 'read-submitted' && event.readingType === 'first' && status === 'first-read') return { ok: true, status: 'final', method: 'single' }
      // A correction of a single read keeps it final: there is no one else's read to protect.
      if (event.kind === 'correction' && event.readingType === 'first' && status === 'final') return { ok: true, status, method: 'single' }
      return no()
    case 'double':
      switch (event.kind) {
        case 'read-submitted': {
          if (status !== 'first-read' && status !== 'second-read') return no()
          return doubleStatusOf(event.readsIn)
        }
        case 'correction':
          // Only while the other read is still out: after both are in, a correction could follow
          // what the comparison showed, which would defeat independent reading.
          if (status !== 'first-read' && status !== 'second-read') return no()
          return (event.readingType === 'first' ? event.readsIn.second : event.readsIn.first) ? no() : { ok: true, status }
        case 'consensus':
          return status === 'comparison' ? { ok: true, status: 'final', method: 'consensus' } : no()
        case 'committee':
          return status === 'comparison' ? { ok: true, status: 'committee' } : no()
        case 'committee-decision':
          return status === 'committee' ? { ok: true, status: 'final', method: 'committee' } : no()
        default:
          return no()
      }
    case 'check':
      switch (event.kind) {
        case 'read-submitted':
          return event.readingType === 'first' && status === 'first-read' ? { ok: true, status: 'check' } : no()
        case 'approve':
          return status === 'check' ? { ok: true, status: 'approved', method: 'approved' } : no()
        case 'amend':
          return status === 'check' ? { ok: true, status: 'amended', method: 'amended' } : no()
        case 'return':
          return status === 'check' ? { ok: true, status: 'returned' } : no()
        case 'correction':
          return event.readingType === 'first' && status === 'returned' ? { ok: true, status: 'check' } : no()
        default:
          return no()
      }
  }
}

export const isFinalCaseStatus = (status: CaseStatus): boolean => FINAL_CASE_STATUSES.includes(status)

/** The status a new case of this workflow starts in. */
export const INITIAL_CASE_STATUS: CaseStatus = 'first-read'

/**
 * Whether an assignment's part of its case is done for now and the case waits on someone else:
 * a submitted read waiting for the other read, the comparison or the check; a comparison
 * waiting for the reads; a check waiting for the first report or its correction.
 */
export function waitingOnOthers(workflow: Workflow, status: CaseStatus, readingType: ReadingType, assignmentStatus: AssignmentStatus): boolean {
  if (isFinalCaseStatus(status)) return false
  switch (readingType) {
    case 'first':
      return workflow === 'check' ? status === 'check' : assignmentStatus === 'submitted'
    case 'second':
      return assignmentStatus === 'submitted'
    case 'comparison':
      return status === 'first-read' || status === 'second-read'
    case 'check':
      return status === 'first-read' || status === 'returned'
  }
}
