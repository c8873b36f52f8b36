/**
 * How a patient is shown to readers: the name, or for facilities that anonymise, a stable
 * label derived from the study so the same study always reads the same.
 */
import { createHash } from 'node:crypto'
import type { PatientDisplayPolicy } from '../shared/domain.ts'

/** A DICOM PN for people: its first non-empty component group, carets as spaces. */
export function formatPersonName(pn: string): string {
  const group = pn.split('=').find((g) => g.replace(/\^/g, '').trim() !== '') ?? ''
  return group.replace(/\^+/g, ' ').replace(/\s+/g, ' ').trim()
}

/** "<prefix>-<6 hex>" from a hash of the study UID: stable across sessions, not the patient's identity. */
export function anonymisedLabel(prefix: string, studyInstanceUid: string): string {
  const digest = createHash('sha256').update(studyInstanceUid, 'utf8').digest('hex').slice(0, 6).toUpperCase()
  return prefix ? `${prefix}-${digest}` : digest
}

/** The patient name as the facility lets readers see it, still as a DICOM PN (for QIDO and metadata). */
export function visiblePatientName(
  policy: PatientDisplayPolicy,
  prefix: string,
  patientName: string,
  studyInstanceUid: string,
): string {
  return policy === 'anonymised' ? anonymisedLabel(prefix, studyInstanceUid) : patientName
}

/** The worklist's patientDisplay: the name for people, or the anonymised label. */
export function patientDisplay(
  policy: PatientDisplayPolicy,
  prefix: string,
  patientName: string,
  studyInstanceUid: string,
): string {
  return policy === 'anonymised' ? anonymisedLabel(prefix, studyInstanceUid) : formatPersonName(patientName)
}
