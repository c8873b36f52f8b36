/**
 * A stored report as a FHIR R4 DiagnosticReport: status final, the LOINC code of a diagnostic
 * imaging report, the findings as contained Observations (code from the facility's finding
 * master, body site, judgement as interpretation, derivedFrom the measurements they link),
 * the measurements as contained Observations (UCUM quantities, derivedFrom the imaging study
 * they were made on), the key images as contained Media named by their DICOM UIDs, and the
 * impression and overall judgement as conclusion and conclusionCode. Master codes use code
 * systems named after the facility and carry the master version, so a receiver can tell
 * versions apart.
 */
import { measuredValues, ucumOf, type MeasuredQuantity, type MeasuredValue, type Measurement } from '../shared/report-annotations.ts'
import { scaleOf } from '../shared/report-rules.ts'
import { patientDisplayName, type ReportExportSource } from './report-export-source.ts'
import { describeFindings, findingLine, measurementKindName, measurementSummary, quantityName } from './report-text.ts'

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

const SNOMED = 'http://snomed.info/sct'
const UCUM = 'http://unitsofmeasure.org'
/** SNOMED CT codes of the quantities that have one (as in DICOM CID 7464/7470/7472); the others are named in text. */
const QUANTITY_SNOMED: Partial<Record<MeasuredQuantity, [code: string, display: string]>> = {
  length: ['410668003', 'Length'],
  area: ['42798000', 'Area'],
  mean: ['373098007', 'Mean'],
  stdDev: ['386136009', 'Standard deviation'],
  min: ['255605001', 'Minimum'],
  max: ['56851009', 'Maximum'],
}

const quantityConcept = (quantity: MeasuredQuantity): Json => {
  const snomed = QUANTITY_SNOMED[quantity]
  return {
    ...(snomed ? { coding: [{ system: SNOMED, code: snomed[0], display: snomed[1] }] } : {}),
    text: `${quantityName(quantity, 'ja')} / ${quantityName(quantity, 'en')}`,
  }
}

const quantity = (v: MeasuredValue): Json => {
  const unit = ucumOf(v.unit)
  return { value: v.value, unit: unit.meaning, system: UCUM, code: unit.code }
}

/** A DICOM image in words: the series, instance and frame, for a note or a title. */
function imageWords(ref: { sopInstanceUid: string; seriesInstanceUid?: string; frame?: number | undefined }): string {
  return `SOP Instance UID ${ref.sopInstanceUid}${ref.frame ? `, frame ${ref.frame}` : ''}${ref.seriesInstanceUid ? ` (series ${ref.seriesInstanceUid})` : ''}`
}

/** A logical reference to the DICOM study (ImagingStudy has no server-side resource here). */
const imagingStudyReference = (studyInstanceUid: string, display?: string): Json => ({
  type: 'ImagingStudy',
  identifier: { system: 'urn:dicom:uid', value: `urn:oid:${studyInstanceUid}` },
  ...(display ? { display } : {}),
})

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
  const measurementId = (m: Measurement) => `measurement-${report.content.measurements.indexOf(m) + 1}`
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
    ...(d.measurements.length > 0 ? { derivedFrom: d.measurements.map((m) => ({ reference: `#${measurementId(m)}`, display: measurementSummary(m, 'ja') })) } : {}),
  }))

  const measurements = report.content.measurements.map((m): Json => {
    const values = measuredValues(m)
    const studyUid = source.images.get(m.sopInstanceUid)?.studyInstanceUid ?? report.studyInstanceUid
    return {
      resourceType: 'Observation',
      id: measurementId(m),
      status: 'final',
      category: [OBSERVATION_CATEGORY],
      code: { text: `${measurementKindName(m.kind, 'ja')} / ${measurementKindName(m.kind, 'en')}` },
      subject,
      ...(effective ? { effectiveDateTime: effective } : {}),
      issued: report.submittedAt,
      performer: [{ reference: `Practitioner/${fhirId(report.readerId)}`, display: source.reader.displayName }],
      // one value (a length, an angle, a point) is the observation's value; an ROI's statistics are its components
      ...(values.length === 1 && m.kind !== 'ellipse' && m.kind !== 'rectangle'
        ? { valueQuantity: quantity(values[0]!) }
        : values.length > 0
          ? { component: values.map((v) => ({ code: quantityConcept(v.quantity), valueQuantity: quantity(v) })) }
          : { dataAbsentReason: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code: 'error', display: 'Error' }] } }),
      derivedFrom: [imagingStudyReference(studyUid, studyUid === report.studyInstanceUid ? undefined : 'prior study')],
      note: [{ text: `${measurementSummary(m, 'ja')} — ${measurementSummary(m, 'en')}; ${imageWords(m)}` }],
    }
  })

  const keyImages = report.content.keyImages.map((k, index): Json => {
    const image = source.images.get(k.sopInstanceUid)
    return {
      resourceType: 'Media',
      id: `key-image-${index + 1}`,
      identifier: [{ system: 'urn:dicom:uid', value: `urn:oid:${k.sopInstanceUid}` }],
      status: 'completed',
      subject,
      content: {
        contentType: 'application/dicom',
        title: `キー画像 ${index + 1} / Key image ${index + 1}: ${imageWords(k)}${image && image.studyInstanceUid !== report.studyInstanceUid ? ', prior study' : ''}`,
      },
    }
  })

  const overallText = overall ? `総合判定 ${overall.code}（${overall.label.ja} / ${overall.label.en}）` : `総合判定 ${report.overallJudgement}`
  const conclusion = [report.content.impression.trim(), overallText, report.content.overallOverride ? `判定変更の理由: ${report.content.overallOverride.reason}` : '']
    .filter((t) => t !== '')
    .join('\n')

  return {
    resourceType: 'DiagnosticReport',
    id: fhirId(report.id),
    contained: [...observations, ...measurements, ...keyImages],
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
    result: [
      ...described.map((d, index) => ({ reference: `#finding-${index + 1}`, display: findingLine(d) })),
      ...report.content.measurements.map((m) => ({ reference: `#${measurementId(m)}`, display: measurementSummary(m, 'ja') })),
    ],
    ...(keyImages.length > 0
      ? { media: report.content.keyImages.map((k, index) => ({ comment: `キー画像 ${index + 1} / Key image ${index + 1}`, link: { reference: `#key-image-${index + 1}` } })) }
      : {}),
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
