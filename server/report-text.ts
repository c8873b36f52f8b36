/**
 * A submitted report's findings and measurements as sentences, for the exports (SR, FHIR): the
 * master's names and labels looked up by code, the template sentence filled in, the linked
 * measurements with their values and units.
 */
import type { BodyPart, Finding, FindingMaster, JudgementValue, ReportContent, ReportFinding } from '../shared/finding-master.ts'
import { formatMeasuredValue, measuredValues, type MeasuredQuantity, type Measurement, type MeasurementKind } from '../shared/report-annotations.ts'
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
  /** The report's measurements this finding links, in the report's order. */
  measurements: Measurement[]
}

const KIND_WORDS: Record<Language, Record<MeasurementKind, string>> = {
  ja: { length: '長さ', angle: '角度', ellipse: '楕円ROI', rectangle: '矩形ROI', probe: 'プローブ' },
  en: { length: 'Length', angle: 'Angle', ellipse: 'Elliptical ROI', rectangle: 'Rectangular ROI', probe: 'Probe' },
}
const QUANTITY_WORDS: Record<Language, Record<MeasuredQuantity, string>> = {
  ja: { length: '長さ', angle: '角度', area: '面積', mean: '平均', stdDev: 'SD', min: '最小', max: '最大', value: '値' },
  en: { length: 'length', angle: 'angle', area: 'area', mean: 'mean', stdDev: 'SD', min: 'min', max: 'max', value: 'value' },
}

/** The name of a measurement's kind: 長さ / Length. */
export function measurementKindName(kind: MeasurementKind, language: Language): string {
  return KIND_WORDS[language][kind]
}

/** The name of a measured quantity: 平均 / mean. */
export function quantityName(quantity: MeasuredQuantity, language: Language): string {
  return QUANTITY_WORDS[language][quantity]
}

/**
 * A measurement in one line: "長さ 23.4 mm", "楕円ROI 平均 41.2 HU、SD 3.1 HU、…、面積 78.5 mm²";
 * the reader's label, when there is one, in quotes after it.
 */
export function measurementSummary(m: Measurement, language: Language): string {
  const values = measuredValues(m)
  const single = values.length === 1 && (m.kind === 'length' || m.kind === 'angle' || m.kind === 'probe')
  const parts = values.map((v) => (single ? formatMeasuredValue(v) : `${quantityName(v.quantity, language)} ${formatMeasuredValue(v)}`))
  const separator = language === 'ja' ? '、' : ', '
  const label = m.label?.trim() ? (language === 'ja' ? `「${m.label.trim()}」` : ` "${m.label.trim()}"`) : ''
  return `${measurementKindName(m.kind, language)}${parts.length ? ` ${parts.join(separator)}` : ''}${label}`
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
      measurements: content.measurements.filter((m) => entry.measurements.includes(m.id)),
    }
  })
}

/** One line per finding, as a person would read it: "右肺野 結節影 判定 E（肺癌の疑い）: 右上肺野に15mm大の結節影を認めます。" */
export function findingLine(d: DescribedFinding): string {
  const name = d.finding?.name.ja ?? d.entry.findingCode
  const judgement = d.judgement ? `${d.judgement.code}（${d.judgement.label.ja}）` : d.entry.judgement
  const details = [
    d.entry.location && `部位: ${d.entry.location}`,
    d.entry.size && `大きさ: ${d.entry.size}`,
    d.measurements.length > 0 && `計測: ${d.measurements.map((m) => measurementSummary(m, 'ja')).join('; ')}`,
  ]
    .filter(Boolean)
    .join('、')
  return `${d.site.ja} ${name} 判定 ${judgement}${details ? `、${details}` : ''}${d.sentence.ja ? `: ${d.sentence.ja}` : ''}`
}
