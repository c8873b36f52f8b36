/**
 * Two independent reads of one study side by side: findings matched by body part and finding
 * code, each pair classified (agree, judgement differs, location differs, only in one read),
 * and the overall judgements compared. The server uses the overall comparison to decide
 * between agreement and a comparison step; the comparison view shows the rows.
 */
import type { ReportContent, ReportFinding } from './finding-master.ts'

export const FINDING_MATCHES = ['agree', 'judgement-differs', 'location-differs', 'only-first', 'only-second'] as const
export type FindingMatch = (typeof FINDING_MATCHES)[number]

export interface ComparedFinding {
  bodyPartCode: string
  findingCode: string
  match: FindingMatch
  first?: ReportFinding
  second?: ReportFinding
}

/** A read to compare: its content and the overall judgement it stated. */
export interface ComparableRead {
  content: ReportContent
  overallJudgement: string
  requiresFurtherExamination: boolean
}

export interface ReadComparison {
  findings: ComparedFinding[]
  /** The two reads reach the same overall judgement (and so the same further-examination decision). */
  overallAgrees: boolean
  disagreements: number
}

/** Two reads agree when they reach the same overall judgement and the same further-examination decision. */
export function overallJudgementsAgree(a: Omit<ComparableRead, 'content'>, b: Omit<ComparableRead, 'content'>): boolean {
  return a.overallJudgement === b.overallJudgement && a.requiresFurtherExamination === b.requiresFurtherExamination
}

const keyOf = (f: ReportFinding) => `${f.bodyPartCode}\u0000${f.findingCode}`

/** Where a finding is: laterality and the free-text location, compared without case or surrounding space. */
const placeOf = (f: ReportFinding) => `${f.laterality ?? ''}|${(f.location ?? '').trim().toLowerCase()}`

function classify(first: ReportFinding, second: ReportFinding): FindingMatch {
  if (first.judgement !== second.judgement) return 'judgement-differs'
  if (placeOf(first) !== placeOf(second)) return 'location-differs'
  return 'agree'
}

/**
 * Pairs findings with the same body part and finding code in the order each read lists them
 * (two nodules in the same lobe pair first with first); the rest are in one read only. Rows
 * follow the first read's order, then the second read's unmatched findings.
 */
export function compareReads(first: ComparableRead, second: ComparableRead): ReadComparison {
  const waiting = new Map<string, ReportFinding[]>()
  for (const f of second.content.findings) waiting.set(keyOf(f), [...(waiting.get(keyOf(f)) ?? []), f])
  const rows: ComparedFinding[] = []
  for (const f of first.content.findings) {
    const partner = waiting.get(keyOf(f))?.shift()
    rows.push(
      partner
        ? { bodyPartCode: f.bodyPartCode, findingCode: f.findingCode, match: classify(f, partner), first: f, second: partner }
        : { bodyPartCode: f.bodyPartCode, findingCode: f.findingCode, match: 'only-first', first: f },
    )
  }
  for (const f of second.content.findings) {
    if (waiting.get(keyOf(f))?.includes(f)) rows.push({ bodyPartCode: f.bodyPartCode, findingCode: f.findingCode, match: 'only-second', second: f })
  }
  const overallAgrees = overallJudgementsAgree(first, second)
  return { findings: rows, overallAgrees, disagreements: rows.filter((r) => r.match !== 'agree').length + (overallAgrees ? 0 : 1) }
}
