/**
 * A stored report as a FHIR R4 DiagnosticReport: status final, the LOINC code of a diagnostic
 * imaging report, the findings as contained Observations (code from the facility's finding
 * master, body site, judgement as interpretation), the impression and overall judgement as
 * conclusion and conclusionCode. Master codes use code systems named after the facility and
 * carry the master version, so a receiver can tell versions apart.
 */
import { scaleOf } from '../shared/report-rules.ts'
import { patientDisplayName, type ReportExportSource } from './report-export-source.ts'
import { describeFindings, findingLine } from './report-text.ts'

type Json = Record<string, unknown>

/** Base of the code systems of a facility's master (findings, body parts, one per scale). */
export function masterCodeSystem(facilityId: string, part: string): string {
  return `urn:reading-server:finding-master:${encodeURIComponent(facilityId)}:${part}`
}

/** DICOM DA (and TM) as a FHIR date; a time is left out because the study does not say its time zone. */
function fhirDate(da: string): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(da.trim())
  return m ? `${m[1]}-${m[2]}-${m[3]}` : undefined
}

/** A FHIR id ([A-Za-z0-9\-.]{1,64}) made from any text. */
function fhirId(text: string): string {
  return text.replace(/[^A-Za-z0-9\-.]/g, '-').slice(0, 64) || 'unknown'
}

const IMAGING_CATEGORY = {
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'RAD', display: 'Radiology' }],
}
const OBSERVATION_CATEGORY = {
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'imaging', display: 'Imaging' }],
}

export function buildFhirDiagnosticReport(source: ReportExportSource): Json {
  const { report, master, facilityId, study } = source
  const version = String(master.version)
  const scale = scaleOf(master, report.content.scale)
  const overall = scale?.values.find((v) => v.code === report.overallJudgement)
  const scaleSystem = masterCodeSystem(facilityId, `scale:${report.content.scale}`)
  const subject: Json =
    study.patientId !== ''
      ? {
          identifier: { system: masterCodeSystem(facilityId, 'patient-id'), value: study.patientId },
          display: patientDisplayName(source),
        }
      : { display: patientDisplayName(source) }
  const effective = fhirDate(study.studyDate)

  const described = describeFindings(master, report.content)
  const observations = described.map((d, index): Json => ({
    resourceType: 'Observation',
    id: `finding-${index + 1}`,
    status: 'final',
    category: [OBSERVATION_CATEGORY],
    code: {
      coding: [{ system: masterCodeSystem(facilityId, 'findings'), version, code: d.entry.findingCode, display: d.finding?.name.ja ?? d.entry.findingCode }],
      text: d.finding ? `${d.finding.name.ja} / ${d.finding.name.en}` : d.entry.findingCode,
    },
    subject,
    ...(effective ? { effectiveDateTime: effective } : {}),
    issued: report.submittedAt,
    performer: [{ reference: `Practitioner/${fhirId(report.readerId)}`, display: source.reader.displayName }],
    ...(d.sentence.ja ? { valueString: d.sentence.ja } : {}),
    interpretation: [
      {
        coding: [{ system: scaleSystem, version, code: d.entry.judgement, display: d.judgement?.label.ja ?? d.entry.judgement }],
        text: d.judgement ? `${d.judgement.code}: ${d.judgement.label.ja} / ${d.judgement.label.en}` : d.entry.judgement,
      },
    ],
    bodySite: {
      coding: [{ system: masterCodeSystem(facilityId, 'body-parts'), version, code: d.entry.bodyPartCode, display: d.bodyPart?.name.ja ?? d.entry.bodyPartCode }],
      text: `${d.site.ja} / ${d.site.en}${d.entry.location ? ` (${d.entry.location})` : ''}`,
    },
    ...(d.entry.size || d.entry.location
      ? { note: [{ text: [d.entry.location && `部位 location: ${d.entry.location}`, d.entry.size && `大きさ size: ${d.entry.size}`].filter(Boolean).join('; ') }] }
      : {}),
  }))

  const overallText = overall ? `総合判定 ${overall.code}（${overall.label.ja} / ${overall.label.en}）` : `総合判定 ${report.overallJudgement}`
  const conclusion = [report.content.impression.trim(), overallText, report.content.overallOverride ? `判定変更の理由: ${report.content.overallOverride.reason}` : '']
    .filter((t) => t !== '')
    .join('\n')

  return {
    resourceType: 'DiagnosticReport',
    id: fhirId(report.id),
    contained: observations,
    identifier: [{ system: 'urn:ietf:rfc:3986', value: `urn:uuid:${report.id}` }],
    status: 'final',
    category: [IMAGING_CATEGORY],
    code: {
      coding: [{ system: 'http://loinc.org', code: '18748-4', display: 'Diagnostic imaging study' }],
      text: master.name.ja,
    },
    subject,
    ...(effective ? { effectiveDateTime: effective } : {}),
    issued: report.submittedAt,
    performer: [{ reference: `Practitioner/${fhirId(report.readerId)}`, display: source.reader.displayName }],
    // Contained resources must be referenced from the container (FHIR dom-3).
    result: described.map((d, index) => ({ reference: `#finding-${index + 1}`, display: findingLine(d) })),
    imagingStudy: [
      {
        identifier: { system: 'urn:dicom:uid', value: `urn:oid:${study.studyInstanceUid}` },
        ...(study.studyDescription ? { display: study.studyDescription } : {}),
      },
    ],
    conclusion,
    conclusionCode: [
      {
        coding: [{ system: scaleSystem, version, code: report.overallJudgement, display: overall?.label.ja ?? report.overallJudgement }],
        text: overall ? `${overall.code}: ${overall.label.en}${report.requiresFurtherExamination ? ' (further examination required / 要精検)' : ''}` : report.overallJudgement,
      },
    ],
  }
}
