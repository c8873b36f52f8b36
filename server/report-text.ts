/**
 * A submitted report's findings as sentences, for the exports (SR, FHIR): the master's names
 * and labels looked up by code, the template sentence filled in.
 */
import type { BodyPart, Finding, FindingMaster, JudgementValue, ReportContent, ReportFinding } from '../shared/finding-master.ts'
import { scaleOf } from '../shared/report-rules.ts'

export type Language = 'ja' | 'en'

const LATERALITY_WORDS: Record<Language, Record<NonNullable<ReportFinding['laterality']>, string>> = {
  ja: { R: '右', L: '左', B: '両側' },
  en: { R: 'right', L: 'left', B: 'bilateral' },
}

export interface DescribedFinding {
  entry: ReportFinding
  finding: Finding | undefined
  bodyPart: BodyPart | undefined
  judgement: JudgementValue | undefined
  /** 右肺野 / right lung field */
  site: Record<Language, string>
  /** The template sentence with the fields filled in (empty fields left out). */
  sentence: Record<Language, string>
}

/** Fills {{laterality}}, {{location}} and {{size}}; a field the report leaves empty becomes nothing. */
export function fillTemplate(template: string, entry: ReportFinding, language: Language): string {
  const values: Record<string, string> = {
    laterality: entry.laterality ? LATERALITY_WORDS[language][entry.laterality] : '',
    location: entry.location?.trim() ?? '',
    size: entry.size?.trim() ?? '',
  }
  return template
    .replace(/\{\{\s*([^}]*?)\s*\}\}/g, (_, field: string) => values[field] ?? '')
    .replace(/\s{2,}/g, ' ')
    .trim()
}

export function describeFindings(master: FindingMaster, content: ReportContent): DescribedFinding[] {
  const scale = scaleOf(master, content.scale)
  return content.findings.map((entry) => {
    const finding = master.findings.find((f) => f.code === entry.findingCode)
    const bodyPart = master.bodyParts.find((b) => b.code === entry.bodyPartCode)
    const judgement = scale?.values.find((v) => v.code === entry.judgement)
    const site = (language: Language) =>
      `${entry.laterality ? LATERALITY_WORDS[language][entry.laterality] + (language === 'en' ? ' ' : '') : ''}${bodyPart?.name[language] ?? entry.bodyPartCode}`
    const sentence = (language: Language) => (finding ? fillTemplate(finding.template[language], entry, language) : '')
    return {
      entry,
      finding,
      bodyPart,
      judgement,
      site: { ja: site('ja'), en: site('en') },
      sentence: { ja: sentence('ja'), en: sentence('en') },
    }
  })
}

/** One line per finding, as a person would read it: "右肺野 結節影 判定 E（肺癌の疑い）: 右上肺野に15mm大の結節影を認めます。" */
export function findingLine(d: DescribedFinding): string {
  const name = d.finding?.name.ja ?? d.entry.findingCode
  const judgement = d.judgement ? `${d.judgement.code}（${d.judgement.label.ja}）` : d.entry.judgement
  const details = [d.entry.location && `部位: ${d.entry.location}`, d.entry.size && `大きさ: ${d.entry.size}`].filter(Boolean).join('、')
  return `${d.site.ja} ${name} 判定 ${judgement}${details ? `、${details}` : ''}${d.sentence.ja ? `: ${d.sentence.ja}` : ''}`
}
