/**
 * How operation-log (audit trail) entries are coded, after DICOM PS3.15 Annex A.5 audit messages
 * (RFC 3881 AuditMessage): an EventID from DICOM's CID 150 says what kind of event it was, an
 * EventTypeCode narrows it, an EventActionCode says create/read/update/delete/execute and an
 * EventOutcomeIndicator whether it worked. Events DICOM has no type code for carry this
 * project's own codes in a private coding scheme ("99" prefix, PS3.16 §8.2).
 *
 * | kind                 | EventID (DCM)                      | EventTypeCode                             | action |
 * |----------------------|------------------------------------|-------------------------------------------|--------|
 * | login / login-failed | 110114 User Authentication         | 110122 Login (DCM)                        | E      |
 * | logout               | 110114 User Authentication         | 110123 Logout (DCM)                       | E      |
 * | study-opened         | 110103 DICOM Instances Accessed    | STUDY-OPEN (99TELERAD)                    | R      |
 * | study-closed         | 110103 DICOM Instances Accessed    | STUDY-CLOSE (99TELERAD), detail.durationMs | R     |
 * | images-viewed        | 110103 DICOM Instances Accessed    | IMAGES-VIEWED (99TELERAD), per series     | R      |
 * | study-retrieved      | 110104 DICOM Instances Transferred | DICOMWEB-RETRIEVE (99TELERAD)             | R      |
 * | query                | 110112 Query                       | —                                         | E      |
 * | export / print       | 110106 Export                      | EXPORT / PRINT (99TELERAD)                | R      |
 * | report-submitted     | 110110 Patient Record              | REPORT-SUBMIT (99TELERAD)                 | C      |
 * | report-amended       | 110110 Patient Record              | REPORT-AMEND (99TELERAD)                  | U      |
 * | reading-started      | 110110 Patient Record              | READING-START (99TELERAD)                 | U      |
 * | check-decision       | 110110 Patient Record              | CHECK-DECISION (99TELERAD)                | U      |
 * | case-consensus, case-committee, case-committee-decision | 110110 Patient Record | CASE-CONSENSUS / CASE-COMMITTEE / CASE-COMMITTEE-DECISION (99TELERAD) | U |
 * | settings-changed     | 110113 Security Alert              | 110131 Software Configuration (DCM)       | U      |
 * | audit-log-used       | 110101 Audit Log Used              | —                                         | R      |
 * | application-start    | 110100 Application Activity        | 110120 Application Start (DCM)            | E      |
 */

export const PRIVATE_CODING_SCHEME = '99TELERAD'

export interface AuditCode {
  code: string
  scheme: 'DCM' | typeof PRIVATE_CODING_SCHEME
  meaning: string
}

const dcm = (code: string, meaning: string): AuditCode => ({ code, scheme: 'DCM', meaning })
const own = (code: string, meaning: string): AuditCode => ({ code, scheme: PRIVATE_CODING_SCHEME, meaning })

export const AUDIT_EVENT_IDS = {
  applicationActivity: dcm('110100', 'Application Activity'),
  auditLogUsed: dcm('110101', 'Audit Log Used'),
  instancesAccessed: dcm('110103', 'DICOM Instances Accessed'),
  instancesTransferred: dcm('110104', 'DICOM Instances Transferred'),
  export: dcm('110106', 'Export'),
  patientRecord: dcm('110110', 'Patient Record'),
  query: dcm('110112', 'Query'),
  securityAlert: dcm('110113', 'Security Alert'),
  userAuthentication: dcm('110114', 'User Authentication'),
} as const

/** EventActionCode: Create, Read, Update, Delete, Execute. */
export type AuditAction = 'C' | 'R' | 'U' | 'D' | 'E'

export interface AuditKindCoding {
  eventId: AuditCode
  eventType?: AuditCode
  action: AuditAction
}

/** Every kind of entry the log holds, with its coding; the kind is what the API and the database name. */
export const AUDIT_KINDS = {
  login: { eventId: AUDIT_EVENT_IDS.userAuthentication, eventType: dcm('110122', 'Login'), action: 'E' },
  'login-failed': { eventId: AUDIT_EVENT_IDS.userAuthentication, eventType: dcm('110122', 'Login'), action: 'E' },
  logout: { eventId: AUDIT_EVENT_IDS.userAuthentication, eventType: dcm('110123', 'Logout'), action: 'E' },
  'study-opened': { eventId: AUDIT_EVENT_IDS.instancesAccessed, eventType: own('STUDY-OPEN', 'Study opened'), action: 'R' },
  'study-closed': { eventId: AUDIT_EVENT_IDS.instancesAccessed, eventType: own('STUDY-CLOSE', 'Study closed'), action: 'R' },
  'images-viewed': { eventId: AUDIT_EVENT_IDS.instancesAccessed, eventType: own('IMAGES-VIEWED', 'Images viewed'), action: 'R' },
  'study-retrieved': { eventId: AUDIT_EVENT_IDS.instancesTransferred, eventType: own('DICOMWEB-RETRIEVE', 'Study retrieved by DICOMweb'), action: 'R' },
  query: { eventId: AUDIT_EVENT_IDS.query, action: 'E' },
  export: { eventId: AUDIT_EVENT_IDS.export, eventType: own('EXPORT', 'Exported'), action: 'R' },
  print: { eventId: AUDIT_EVENT_IDS.export, eventType: own('PRINT', 'Printed'), action: 'R' },
  'report-submitted': { eventId: AUDIT_EVENT_IDS.patientRecord, eventType: own('REPORT-SUBMIT', 'Report submitted'), action: 'C' },
  'report-amended': { eventId: AUDIT_EVENT_IDS.patientRecord, eventType: own('REPORT-AMEND', 'Report amended'), action: 'U' },
  'reading-started': { eventId: AUDIT_EVENT_IDS.patientRecord, eventType: own('READING-START', 'Reading started'), action: 'U' },
  'check-decision': { eventId: AUDIT_EVENT_IDS.patientRecord, eventType: own('CHECK-DECISION', 'Check decision'), action: 'U' },
  'case-consensus': { eventId: AUDIT_EVENT_IDS.patientRecord, eventType: own('CASE-CONSENSUS', 'Consensus recorded'), action: 'U' },
  'case-committee': { eventId: AUDIT_EVENT_IDS.patientRecord, eventType: own('CASE-COMMITTEE', 'Sent to committee'), action: 'U' },
  'case-committee-decision': { eventId: AUDIT_EVENT_IDS.patientRecord, eventType: own('CASE-COMMITTEE-DECISION', 'Committee decision'), action: 'U' },
  'settings-changed': { eventId: AUDIT_EVENT_IDS.securityAlert, eventType: dcm('110131', 'Software Configuration'), action: 'U' },
  'audit-log-used': { eventId: AUDIT_EVENT_IDS.auditLogUsed, action: 'R' },
  'application-start': { eventId: AUDIT_EVENT_IDS.applicationActivity, eventType: dcm('110120', 'Application Start'), action: 'E' },
} as const satisfies Record<string, AuditKindCoding>

export type AuditKind = keyof typeof AUDIT_KINDS
export const AUDIT_KIND_NAMES = Object.keys(AUDIT_KINDS) as [AuditKind, ...AuditKind[]]

/** The kinds a workstation may send; the rest only the server records (it saw them happen). */
export const CLIENT_AUDIT_KINDS = [
  'login',
  'logout',
  'study-opened',
  'study-closed',
  'images-viewed',
  'export',
  'print',
  'report-submitted',
  'report-amended',
  'settings-changed',
] as const satisfies readonly AuditKind[]

/** EventOutcomeIndicator: 0 success, 4 minor failure, 8 serious failure, 12 major failure. */
export const AUDIT_OUTCOMES = [0, 4, 8, 12] as const
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number]
