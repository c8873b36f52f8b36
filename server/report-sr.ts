/**
 * A stored report as a DICOM SR: the imaged study's patient and study, a new series and
 * instance (UIDs derived from the report id, so a second export is the same instance), and a
 * content tree in the shape of TID 2000: a "Diagnostic Imaging Report" container holding
 * Findings (TEXT, each INFERRED FROM its key images), Key Images (IMAGE), Imaging Measurements
 * (a group per measurement: its NUM values with UCUM units and the IMAGE it was made on),
 * Impressions and Conclusions (the overall judgement); text in UTF-8.
 *
 * A report without measurements is a Basic Text SR; NUM items need an Enhanced SR, so a report
 * with measurements is one. The referenced images are listed in the evidence sequences: the
 * study's own as current requested procedure evidence, the priors' as pertinent other evidence.
 */
import type { ReportContent } from '../shared/finding-master.ts'
import { measuredValues, ucumOf, type MeasuredQuantity, type MeasuredUnit, type Measurement } from '../shared/report-annotations.ts'
import { uidFromName } from './derived-uid.ts'
import { encodePart10, type DicomElement, type DicomItem } from './dicom-part10-writer.ts'
import type { ReportExportSource } from './report-export-source.ts'
import type { ReportImage } from './report-images.ts'
import { describeFindings, findingLine, measurementKindName } from './report-text.ts'

export const BASIC_TEXT_SR_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.88.11'
export const ENHANCED_SR_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.88.22'

/** The simplest SR IOD that holds the report: NUM items (measurements) need Enhanced SR. */
export function reportSrSopClass(content: ReportContent): string {
  return content.measurements.length > 0 ? ENHANCED_SR_SOP_CLASS : BASIC_TEXT_SR_SOP_CLASS
}
const IMPLEMENTATION = { implementationClassUid: uidFromName('reading-server/implementation-class/report-sr'), implementationVersionName: 'RW_REPORT_SR_1' }
/** Series number of report SRs, high enough not to mix with the modality's series. */
const SR_SERIES_NUMBER = '9001'

export function reportSrUids(reportId: string): { seriesInstanceUid: string; sopInstanceUid: string } {
  return {
    seriesInstanceUid: uidFromName(`reading-server/report/${reportId}/sr-series`),
    sopInstanceUid: uidFromName(`reading-server/report/${reportId}/sr-instance`),
  }
}

type Code = readonly [value: string, scheme: string, meaning: string]
const CODES = {
  report: ['18748-4', 'LN', 'Diagnostic Imaging Report'],
  findings: ['121070', 'DCM', 'Findings'],
  finding: ['121071', 'DCM', 'Finding'],
  impressions: ['121072', 'DCM', 'Impressions'],
  impression: ['121073', 'DCM', 'Impression'],
  conclusions: ['121076', 'DCM', 'Conclusions'],
  conclusion: ['121077', 'DCM', 'Conclusion'],
  comment: ['121106', 'DCM', 'Comment'],
  keyImages: ['121180', 'DCM', 'Key Images'],
  imagingMeasurements: ['126010', 'DCM', 'Imaging Measurements'],
  measurementGroup: ['125007', 'DCM', 'Measurement Group'],
  trackingIdentifier: ['112039', 'DCM', 'Tracking Identifier'],
  sourceOfMeasurement: ['121112', 'DCM', 'Source of Measurement'],
} as const satisfies Record<string, Code>

/** Concept names of the measured values; angle and point value have no standard code, so a private scheme names them. */
const QUANTITY_CODES: Record<MeasuredQuantity, Code> = {
  length: ['410668003', 'SCT', 'Length'],
  area: ['42798000', 'SCT', 'Area'],
  mean: ['373098007', 'SCT', 'Mean'],
  stdDev: ['386136009', 'SCT', 'Standard Deviation'],
  min: ['255605001', 'SCT', 'Minimum'],
  max: ['56851009', 'SCT', 'Maximum'],
  angle: ['angle', '99RWS', 'Angle'],
  value: ['point-value', '99RWS', 'Pixel value at point'],
}

/** The unit as a UCUM code (values are SH and LO: 16 and 64 characters). */
function unitCode(unit: MeasuredUnit): Code {
  const { code, meaning } = ucumOf(unit)
  return [code, 'UCUM', meaning.slice(0, 64)]
}

/** A number as a DS value (at most 16 characters). */
function decimalString(value: number): string {
  for (let digits = 10; digits > 1; digits--) {
    const text = String(Number(value.toPrecision(digits)))
    if (text.length <= 16) return text
  }
  return value.toExponential(6)
}

const codeItem = ([value, scheme, meaning]: Code): DicomItem => [
  { tag: '00080100', vr: 'SH', value },
  { tag: '00080102', vr: 'SH', value: scheme },
  { tag: '00080104', vr: 'LO', value: meaning },
]
const conceptName = (code: Code): DicomElement => ({ tag: '0040A043', vr: 'SQ', value: [codeItem(code)] })

const textItem = (code: Code, text: string, relationship: 'CONTAINS' | 'INFERRED FROM' = 'CONTAINS'): DicomItem => [
  { tag: '0040A010', vr: 'CS', value: relationship },
  { tag: '0040A040', vr: 'CS', value: 'TEXT' },
  conceptName(code),
  { tag: '0040A160', vr: 'UT', value: text },
]

const containerItem = (code: Code, children: readonly DicomItem[]): DicomItem => [
  { tag: '0040A010', vr: 'CS', value: 'CONTAINS' },
  { tag: '0040A040', vr: 'CS', value: 'CONTAINER' },
  conceptName(code),
  { tag: '0040A050', vr: 'CS', value: 'SEPARATE' },
  { tag: '0040A730', vr: 'SQ', value: children },
]

const numItem = (code: Code, value: number, unit: MeasuredUnit): DicomItem => [
  { tag: '0040A010', vr: 'CS', value: 'CONTAINS' },
  { tag: '0040A040', vr: 'CS', value: 'NUM' },
  conceptName(code),
  {
    tag: '0040A300',
    vr: 'SQ',
    value: [
      [
        { tag: '004008EA', vr: 'SQ', value: [codeItem(unitCode(unit))] },
        { tag: '0040A30A', vr: 'DS', value: decimalString(value) },
      ],
    ],
  },
]

/** An IMAGE item referencing the instance (and frame), or a TEXT item naming it when the server no longer has it. */
function imageItem(
  relationship: 'CONTAINS' | 'INFERRED FROM',
  ref: { sopInstanceUid: string; frame?: number | undefined },
  image: ReportImage | undefined,
  concept?: Code,
): DicomItem {
  if (!image) {
    const frame = ref.frame ? ` frame ${ref.frame}` : ''
    return textItem(concept ?? CODES.comment, `SOP Instance ${ref.sopInstanceUid}${frame} (not on the server)`, relationship)
  }
  return [
    { tag: '0040A010', vr: 'CS', value: relationship },
    { tag: '0040A040', vr: 'CS', value: 'IMAGE' },
    ...(concept ? [conceptName(concept)] : []),
    {
      tag: '00081199',
      vr: 'SQ',
      value: [
        [
          { tag: '00081150', vr: 'UI', value: image.sopClassUid },
          { tag: '00081155', vr: 'UI', value: image.sopInstanceUid },
          ...(ref.frame !== undefined ? [{ tag: '00081160', vr: 'IS', value: String(ref.frame) }] : []),
        ],
      ],
    },
  ]
}

function measurementGroup(m: Measurement, index: number, image: ReportImage | undefined): DicomItem {
  const name = `M${index + 1} ${measurementKindName(m.kind, 'ja')} / ${measurementKindName(m.kind, 'en')}${m.label?.trim() ? `: ${m.label.trim()}` : ''}`
  return containerItem(CODES.measurementGroup, [
    textItem(CODES.trackingIdentifier, name),
    ...measuredValues(m).map((v) => numItem(QUANTITY_CODES[v.quantity], v.value, v.unit)),
    imageItem('CONTAINS', m, image, CODES.sourceOfMeasurement),
  ])
}

/**
 * The referenced instances as a Hierarchical SOP Instance Reference per study (PS3.3 C.17.2.1),
 * split into the report's own study and the others (its priors).
 */
function evidence(source: ReportExportSource): { current: DicomItem[]; other: DicomItem[] } {
  const byStudy = new Map<string, Map<string, ReportImage[]>>()
  for (const image of source.images.values()) {
    const series = byStudy.get(image.studyInstanceUid) ?? new Map<string, ReportImage[]>()
    byStudy.set(image.studyInstanceUid, series)
    series.set(image.seriesInstanceUid, [...(series.get(image.seriesInstanceUid) ?? []), image])
  }
  const current: DicomItem[] = []
  const other: DicomItem[] = []
  for (const [studyUid, series] of [...byStudy].sort(([a], [b]) => a.localeCompare(b))) {
    const item: DicomItem = [
      { tag: '0020000D', vr: 'UI', value: studyUid },
      {
        tag: '00081115',
        vr: 'SQ',
        value: [...series].sort(([a], [b]) => a.localeCompare(b)).map(([seriesUid, images]): DicomItem => [
          { tag: '0020000E', vr: 'UI', value: seriesUid },
          {
            tag: '00081199',
            vr: 'SQ',
            value: images
              .sort((a, b) => a.sopInstanceUid.localeCompare(b.sopInstanceUid))
              .map((image): DicomItem => [
                { tag: '00081150', vr: 'UI', value: image.sopClassUid },
                { tag: '00081155', vr: 'UI', value: image.sopInstanceUid },
              ]),
          },
        ]),
      },
    ]
    ;(studyUid === source.report.studyInstanceUid ? current : other).push(item)
  }
  return { current, other }
}

const validDate = (da: string) => (/^\d{8}$/.test(da.trim()) ? da.trim() : '')
const validTime = (tm: string) => (/^\d{2,6}(\.\d{1,6})?$/.test(tm.trim()) ? tm.trim() : '')
const validSex = (cs: string) => (['M', 'F', 'O'].includes(cs.trim().toUpperCase()) ? cs.trim().toUpperCase() : '')

/** "読影 太郎" as a DICOM PN, "読影^太郎": the first space parts family and given names. */
function personName(displayName: string): string {
  return displayName.trim().replace(/\^/g, ' ').replace(/\s+/, '^')
}

/** UTC date, time and date-time of an ISO instant, for DA, TM and DT values with offset +0000. */
function utcParts(iso: string): { date: string; time: string; dateTime: string } {
  const d = new Date(iso)
  const pad = (n: number, width = 2) => String(n).padStart(width, '0')
  const date = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`
  const time = `${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`
  return { date, time, dateTime: `${date}${time}+0000` }
}

function contentTree(source: ReportExportSource): DicomItem[] {
  const { report, master } = source
  const content = report.content
  const sections: DicomItem[] = []
  const findings = describeFindings(master, content).map((d): DicomItem => {
    const item = textItem(CODES.finding, findingLine(d))
    const images = d.entry.keyImages.map((sop) => imageItem('INFERRED FROM', { sopInstanceUid: sop }, source.images.get(sop)))
    return images.length > 0 ? [...item, { tag: '0040A730', vr: 'SQ', value: images }] : item
  })
  if (findings.length > 0) sections.push(containerItem(CODES.findings, findings))
  if (content.keyImages.length > 0) {
    sections.push(containerItem(CODES.keyImages, content.keyImages.map((k) => imageItem('CONTAINS', k, source.images.get(k.sopInstanceUid)))))
  }
  if (content.measurements.length > 0) {
    const groups = content.measurements.map((m, i) => measurementGroup(m, i, source.images.get(m.sopInstanceUid)))
    sections.push(containerItem(CODES.imagingMeasurements, groups))
  }
  if (content.impression.trim() !== '') sections.push(containerItem(CODES.impressions, [textItem(CODES.impression, content.impression.trim())]))
  const scale = master.scales.find((s) => s.code === content.scale)
  const overall = scale?.values.find((v) => v.code === report.overallJudgement)
  const conclusion = [
    `総合判定 ${report.overallJudgement}${overall ? `（${overall.label.ja} / ${overall.label.en}）` : ''}${report.requiresFurtherExamination ? ' 要精検' : ''}`,
    content.overallOverride ? `判定変更の理由: ${content.overallOverride.reason}` : '',
  ]
    .filter((t) => t !== '')
    .join('\n')
  sections.push(containerItem(CODES.conclusions, [textItem(CODES.conclusion, conclusion)]))
  if (content.comments.trim() !== '') sections.push(textItem(CODES.comment, content.comments.trim()))
  return sections
}

/** The SR as a Part-10 file (Explicit VR Little Endian). */
export function buildReportSr(source: ReportExportSource): Uint8Array {
  const { report, study } = source
  const { seriesInstanceUid, sopInstanceUid } = reportSrUids(report.id)
  const submitted = utcParts(report.submittedAt)
  const sopClassUid = reportSrSopClass(report.content)
  const { current, other } = evidence(source)
  const dataset: DicomElement[] = [
    // SOP Common
    { tag: '00080005', vr: 'CS', value: 'ISO_IR 192' },
    { tag: '00080012', vr: 'DA', value: submitted.date },
    { tag: '00080013', vr: 'TM', value: submitted.time },
    { tag: '00080016', vr: 'UI', value: sopClassUid },
    { tag: '00080018', vr: 'UI', value: sopInstanceUid },
    { tag: '00080201', vr: 'SH', value: '+0000' },
    // Patient
    { tag: '00100010', vr: 'PN', value: study.patientName },
    { tag: '00100020', vr: 'LO', value: study.patientId },
    { tag: '00100030', vr: 'DA', value: validDate(study.patientBirthDate) },
    { tag: '00100040', vr: 'CS', value: validSex(study.patientSex) },
    // General Study
    { tag: '0020000D', vr: 'UI', value: study.studyInstanceUid },
    { tag: '00080020', vr: 'DA', value: validDate(study.studyDate) },
    { tag: '00080030', vr: 'TM', value: validTime(study.studyTime) },
    { tag: '00080090', vr: 'PN', value: '' },
    { tag: '00200010', vr: 'SH', value: '' },
    { tag: '00080050', vr: 'SH', value: study.accessionNumber },
    ...(study.studyDescription ? [{ tag: '00081030', vr: 'LO', value: study.studyDescription }] : []),
    // SR Document Series
    { tag: '00080060', vr: 'CS', value: 'SR' },
    { tag: '0020000E', vr: 'UI', value: seriesInstanceUid },
    { tag: '00200011', vr: 'IS', value: SR_SERIES_NUMBER },
    { tag: '0008103E', vr: 'LO', value: '読影レポート / Reading report' },
    { tag: '00081111', vr: 'SQ', value: [] },
    // General Equipment
    { tag: '00080070', vr: 'LO', value: 'Reading Workstation reference server' },
    // SR Document General
    { tag: '00200013', vr: 'IS', value: '1' },
    { tag: '00080023', vr: 'DA', value: submitted.date },
    { tag: '00080033', vr: 'TM', value: submitted.time },
    { tag: '0040A491', vr: 'CS', value: 'COMPLETE' },
    { tag: '0040A493', vr: 'CS', value: 'VERIFIED' },
    {
      tag: '0040A073',
      vr: 'SQ',
      value: [
        [
          { tag: '0040A075', vr: 'PN', value: personName(source.reader.displayName) },
          { tag: '0040A088', vr: 'SQ', value: [] },
          { tag: '0040A027', vr: 'LO', value: 'Reading service / 遠隔読影' },
          { tag: '0040A030', vr: 'DT', value: submitted.dateTime },
        ],
      ],
    },
    { tag: '0040A372', vr: 'SQ', value: [] },
    ...(current.length > 0 ? [{ tag: '0040A375', vr: 'SQ', value: current }] : []),
    ...(other.length > 0 ? [{ tag: '0040A385', vr: 'SQ', value: other }] : []),
    // SR Document Content: the root container
    { tag: '0040A040', vr: 'CS', value: 'CONTAINER' },
    conceptName(CODES.report),
    { tag: '0040A050', vr: 'CS', value: 'SEPARATE' },
    { tag: '0040A730', vr: 'SQ', value: contentTree(source) },
  ]
  return encodePart10(dataset, IMPLEMENTATION)
}
