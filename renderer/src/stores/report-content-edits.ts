/**
 * Edits of a submitted report's content outside the report editor's own store: the checker's
 * amendment and the first reader's correction. Pure, each returning new content; they follow
 * the report editor's conventions (a new finding's location is its side and body part).
 */
import type { FindingMaster, ReportContent, ReportFinding } from '../../../shared/finding-master.ts'

const SIDE_JA = { R: '右', L: '左', B: '両側' } as const

/** The content with the finding added, or null when the master has no such finding or body part. */
export function withFindingAdded(master: FindingMaster, content: ReportContent, findingCode: string, bodyPartCode: string, laterality?: 'R' | 'L' | 'B'): ReportContent | null {
  const finding = master.findings.find((f) => f.code === findingCode)
  const bodyPart = master.bodyParts.find((b) => b.code === bodyPartCode)
  if (!finding || !bodyPart || !finding.bodyParts.includes(bodyPartCode)) return null
  const entry: ReportFinding = {
    findingCode,
    bodyPartCode,
    judgement: finding.defaultJudgement,
    location: (laterality ? SIDE_JA[laterality] : '') + bodyPart.name.ja,
    keyImages: [],
    measurements: [],
    ...(laterality ? { laterality } : {}),
  }
  return { ...content, findings: [...content.findings, entry] }
}

export function withFindingUpdated(content: ReportContent, index: number, changes: Partial<ReportFinding>): ReportContent {
  if (!content.findings[index]) return content
  return { ...content, findings: content.findings.map((f, i) => (i === index ? { ...f, ...changes } : f)) }
}

export function withFindingRemoved(content: ReportContent, index: number): ReportContent {
  if (!content.findings[index]) return content
  return { ...content, findings: content.findings.filter((_, i) => i !== index) }
}

/** The content with the overall judgement overridden (with its reason), or back to the computed one. */
export function withOverride(content: ReportContent, override: ReportContent['overallOverride'] | undefined): ReportContent {
  const { overallOverride: _dropped, ...rest } = content
  return override ? { ...rest, overallOverride: override } : rest
}
