/**
 * How a patient is shown to readers: the name, or for facilities that anonymise, a stable
 * label derived from the study so the same study always reads the same.
 */
import { createHash } from 'node:crypto'
import type { PatientDisplayPolicy } from '../shared/domain.ts'

function spacedGroup(group: string): string {
  return group.replace(/\^+/g, ' ').replace(/\s+/g, ' ').trim()
}

/**
 * A DICOM PN for people, carets as spaces. A Japanese, Chinese or Korean name is shown by its
 * ideographic group, as the reader knows the patient, followed by the alphabetic (else the
 * phonetic) group in parentheses so the name can still be read back or matched; any other name
 * by its first non-empty group.
 */
export function formatPersonName(pn: string): string {
  const [alphabetic = '', ideographic = '', phonetic = ''] = pn.split('=').map(spacedGroup)
  if (!ideographic) return alphabetic || phonetic
  const reading = alphabetic || phonetic
  return reading ? `${ideographic} (${reading})` : ideographic
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
