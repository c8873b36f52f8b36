/**
 * The finding master's rules applied to a report: the overall judgement (computed, or the
 * reader's override) and the problems that block submission. The same code runs in the
 * editor (inline messages, Submit disabled) and on the server (reject what breaks them).
 */
import type { FindingMaster, JudgementScale, JudgementValue, ReportContent, ReportIssue } from './finding-master.ts'

export function scaleOf(master: FindingMaster, code: string): JudgementScale | undefined {
  return master.scales.find((s) => s.code === code)
}

function valueOf(scale: JudgementScale | undefined, code: string | undefined): JudgementValue | undefined {
  return code === undefined ? undefined : scale?.values.find((v) => v.code === code)
}

/** The worst judgement among the findings (by the scale's rank), or the scale's best normal value when there are none. */
export function computedOverall(master: FindingMaster, report: ReportContent): JudgementValue | undefined {
  const scale = scaleOf(master, report.scale)
  if (!scale) return undefined
  const values = report.findings.map((f) => valueOf(scale, f.judgement)).filter((v): v is JudgementValue => v !== undefined)
  if (values.length === 0) return [...scale.values].filter((v) => v.normal).sort((a, b) => a.rank - b.rank)[0]
  return values.reduce((worst, v) => (v.rank > worst.rank ? v : worst))
}

/** The overall judgement that the report states: the override when there is one, else the computed one. */
export function overallJudgement(master: FindingMaster, report: ReportContent): JudgementValue | undefined {
  const scale = scaleOf(master, report.scale)
  return report.overallOverride ? valueOf(scale, report.overallOverride.judgement) : computedOverall(master, report)
}

/** Every problem that blocks submission; an empty list means the report may be submitted. */
export function validateReport(master: FindingMaster, report: ReportContent): ReportIssue[] {
  const issues: ReportIssue[] = []
  const scale = scaleOf(master, report.scale)
  if (!scale) return [{ rule: 'unknown-code', message: { ja: `判定区分 ${report.scale} はマスターにありません`, en: `judgement scale ${report.scale} is not in the master` } }]

  report.findings.forEach((entry, findingIndex) => {
    const finding = master.findings.find((f) => f.code === entry.findingCode)
    if (!finding) {
      issues.push({ rule: 'unknown-code', findingIndex, message: { ja: `所見コード ${entry.findingCode} はマスターにありません`, en: `finding ${entry.findingCode} is not in the master` } })
      return
    }
    if (!finding.bodyParts.includes(entry.bodyPartCode) || !master.bodyParts.some((b) => b.code === entry.bodyPartCode)) {
      issues.push({ rule: 'unknown-code', findingIndex, message: { ja: `部位 ${entry.bodyPartCode} はこの所見に使えません`, en: `body part ${entry.bodyPartCode} does not apply to this finding` } })
    }
    if (!finding.allowedJudgements.includes(entry.judgement) || !valueOf(scale, entry.judgement)) {
      issues.push({ rule: 'judgement-not-allowed', findingIndex, message: { ja: `判定 ${entry.judgement} はこの所見に使えません`, en: `judgement ${entry.judgement} is not allowed for this finding` } })
    }
  })

  for (const rule of master.rules) {
    switch (rule.kind) {
      case 'location-required-above-normal':
        report.findings.forEach((entry, findingIndex) => {
          // an unknown finding was reported above; one message about it is enough
          if (!master.findings.some((f) => f.code === entry.findingCode)) return
          const value = valueOf(scale, entry.judgement)
          if (value && !value.normal && !entry.location?.trim()) issues.push({ rule: rule.kind, findingIndex, message: rule.message })
        })
        break
      case 'no-abnormality-exclusive': {
        const noAbnormality = report.findings.findIndex((e) => master.findings.find((f) => f.code === e.findingCode)?.noAbnormality)
        if (noAbnormality !== -1 && report.findings.length > 1) issues.push({ rule: rule.kind, findingIndex: noAbnormality, message: rule.message })
        break
      }
      case 'overall-at-least-worst': {
        const computed = computedOverall(master, report)
        const stated = overallJudgement(master, report)
        if (report.overallOverride && !report.overallOverride.reason.trim()) {
          issues.push({ rule: 'override-invalid', message: { ja: '総合判定を変更する理由を入力してください', en: 'give the reason for changing the overall judgement' } })
        } else if (report.overallOverride && !stated) {
          issues.push({ rule: 'override-invalid', message: { ja: '総合判定がマスターにない値です', en: 'the overall judgement is not a value of the scale' } })
        } else if (computed && stated && stated.rank < computed.rank) {
          issues.push({ rule: rule.kind, message: rule.message })
        }
        break
      }
    }
  }
  return issues
}
