/**
 * Which report panel an open study shows in a report check: the checker's review for a 'check'
 * assignment; for the first reader, the returned/amended panel once the check sent the report
 * back or amended it (and still after they sent a correction from it, while the study is open);
 * otherwise whatever the study screen shows anyway (the report editor).
 */
import type { ReactNode } from 'react'
import type { Assignment } from '../../../shared/api-contract.ts'
import type { CaseStatus } from '../../../shared/domain.ts'
import { useReadingCaseStore } from '../app-stores.ts'
import { CheckReviewPanel } from './check-review-panel.tsx'
import { ReturnedReportPanel } from './returned-report-panel.tsx'

const CAME_BACK: ReadonlyArray<CaseStatus | undefined> = ['returned', 'amended']

export function ReportCheckSwitch({ assignment, children }: { assignment: Assignment; children: ReactNode }) {
  // the case as it is now (the worklist moves it on); the assignment is as it was when opened
  const liveStatus = useReadingCaseStore((s) => (s.assignment?.id === assignment.id ? s.readingCase?.status : undefined))
  if (assignment.readingType === 'check') return <CheckReviewPanel assignment={assignment} />
  const firstOfCheck = assignment.readingType === 'first' && assignment.readingCase?.workflow === 'check'
  if (firstOfCheck && (CAME_BACK.includes(liveStatus) || CAME_BACK.includes(assignment.readingCase?.status))) return <ReturnedReportPanel assignment={assignment} />
  return <>{children}</>
}
