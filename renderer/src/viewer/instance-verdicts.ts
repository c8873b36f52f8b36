/**
 * What the parse workers (and the decoders) found out about each cached instance: refused
 * (with its reason), not an image, or fine. The series browser marks refused instances, the
 * viewer leaves refused and non-image instances out of its stacks. A SOP Instance UID names
 * the same bytes for good, so what was found stays known for the session.
 */
import { create } from 'zustand'
import type { DicomSafetyCode } from '../../../shared/dicom-safety-error.ts'
import { isNonImageSopClass } from '../../../shared/dicom-safety-sop-class.ts'
import type { InstanceParseOutcome } from './instance-parse.ts'

export type InstanceProblem =
  | { kind: 'non-image' }
  /** `skip`: the check refused it, so the viewer leaves it out; a decode failure is only marked (the stack on screen stays as it is). */
  | { kind: 'rejected'; code: DicomSafetyCode; reason: string; skip: boolean }

export interface InstanceVerdictState {
  /** Instances with a problem, by SOP Instance UID (instances found fine are not listed). */
  problems: Readonly<Record<string, InstanceProblem>>
}

export const useInstanceVerdicts = create<InstanceVerdictState>(() => ({ problems: {} }))

/** What the series browser should know of a parse worker's answer (null: a readable image). */
export function problemOf(outcome: InstanceParseOutcome): InstanceProblem | null {
  if (outcome.kind === 'image') return null
  if (outcome.kind === 'non-image') return { kind: 'non-image' }
  return { kind: 'rejected', code: outcome.code, reason: outcome.reason, skip: true }
}

/** Every instance checked so far, fine or not (so background checks skip it). */
const checked = new Set<string>()
/** Problems found since the last flush: recorded together, so many at once cost one render. */
let pending: Record<string, InstanceProblem> = {}
let flushScheduled = false

function flush(): void {
  flushScheduled = false
  const batch = pending
  pending = {}
  useInstanceVerdicts.setState((state) => ({ problems: { ...state.problems, ...batch } }))
}

/** Records what was found about an instance; `null` means it is a readable image. */
export function recordVerdict(sopInstanceUid: string, problem: InstanceProblem | null): void {
  checked.add(sopInstanceUid)
  if (!problem) return
  const known = useInstanceVerdicts.getState().problems[sopInstanceUid] ?? pending[sopInstanceUid]
  // a refusal by the check is what the instance is; a later decode failure does not weaken it
  if (known?.kind === 'rejected' && known.skip && problem.kind === 'rejected' && !problem.skip) return
  pending[sopInstanceUid] = problem
  if (!flushScheduled) {
    flushScheduled = true
    queueMicrotask(flush)
  }
}

export function wasChecked(sopInstanceUid: string): boolean {
  return checked.has(sopInstanceUid)
}

/** True for an instance the viewer should leave out of its stacks (not an image, or refused by the check). */
export function isSkipped(instance: { sopInstanceUid: string; sopClassUid: string }, problems: InstanceVerdictState['problems']): boolean {
  if (isNonImageSopClass(instance.sopClassUid)) return true
  const problem = problems[instance.sopInstanceUid]
  return problem !== undefined && (problem.kind === 'non-image' || problem.skip)
}

/** Forgets everything (tests). */
export function resetVerdicts(): void {
  checked.clear()
  pending = {}
  useInstanceVerdicts.setState({ problems: {} })
}
