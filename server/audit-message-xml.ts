/**
 * Operation-log entries as DICOM PS3.15 Annex A.5 audit messages (the RFC 3881 AuditMessage
 * schema with DICOM's csd-code / codeSystemName / originalText code attributes), one
 * AuditMessage per entry inside an AuditMessages element, for hand-over to an audit repository.
 */
import { AUDIT_EVENT_IDS, AUDIT_KINDS, PRIVATE_CODING_SCHEME, type AuditCode } from '../shared/audit-codes.ts'
import type { AuditEntry } from '../shared/audit-contract.ts'

export const AUDIT_SOURCE_ID = 'teleradiology-reading-server'

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)
}

function attributes(values: Record<string, string | undefined>): string {
  return Object.entries(values)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('')
}

function codeElement(name: string, code: AuditCode): string {
  return `<${name}${attributes({ 'csd-code': code.code, codeSystemName: code.scheme, originalText: code.meaning })}/>`
}

function auditMessage(entry: AuditEntry): string {
  const coding = AUDIT_KINDS[entry.kind]
  const lines = [
    '<AuditMessage>',
    `  <EventIdentification${attributes({ EventActionCode: entry.action, EventDateTime: entry.serverTime, EventOutcomeIndicator: String(entry.outcome) })}>`,
    `    ${codeElement('EventID', coding.eventId)}`,
    ...('eventType' in coding ? [`    ${codeElement('EventTypeCode', coding.eventType)}`] : []),
    '  </EventIdentification>',
  ]
  if (entry.username !== null || entry.userId !== null) {
    lines.push(
      `  <ActiveParticipant${attributes({ UserID: entry.username ?? entry.userId ?? '', AlternativeUserID: entry.userId ?? undefined, UserIsRequestor: 'true' })}/>`,
    )
  }
  lines.push(
    `  <AuditSourceIdentification${attributes({ AuditSourceID: AUDIT_SOURCE_ID })}>`,
    // 4: application server process; a workstation's events were reported to it
    `    <AuditSourceTypeCode csd-code="${entry.source === 'server' ? '4' : '1'}"/>`,
    '  </AuditSourceIdentification>',
  )
  if (entry.studyInstanceUid !== null) {
    lines.push(
      // type 2 (system object), role 3 (report) per PS3.15's Study participant object
      `  <ParticipantObjectIdentification${attributes({ ParticipantObjectID: entry.studyInstanceUid, ParticipantObjectTypeCode: '2', ParticipantObjectTypeCodeRole: '3' })}>`,
      `    ${codeElement('ParticipantObjectIDTypeCode', { code: '110180', scheme: 'DCM', meaning: 'Study Instance UID' })}`,
      ...Object.entries(entry.detail)
        .filter(([, v]) => v !== null && typeof v !== 'object')
        .map(([k, v]) => `    <ParticipantObjectDetail${attributes({ type: k, value: Buffer.from(String(v), 'utf8').toString('base64') })}/>`),
      '  </ParticipantObjectIdentification>',
    )
  }
  if (entry.assignmentId !== null) {
    lines.push(
      `  <ParticipantObjectIdentification${attributes({ ParticipantObjectID: entry.assignmentId, ParticipantObjectTypeCode: '2' })}>`,
      `    ${codeElement('ParticipantObjectIDTypeCode', { code: 'ASSIGNMENT', scheme: PRIVATE_CODING_SCHEME, meaning: 'Reading assignment' })}`,
      '  </ParticipantObjectIdentification>',
    )
  }
  lines.push('</AuditMessage>')
  return lines.map((l) => `  ${l}`).join('\n')
}

/** The entries as one XML document; its comment names the chain span so the export can be checked against the log. */
export function auditMessagesXml(entries: readonly AuditEntry[]): string {
  const span = entries.length > 0 ? ` entries ${entries[0]!.seq}–${entries[entries.length - 1]!.seq}` : ' no entries'
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<!-- DICOM PS3.15 A.5 audit messages (${AUDIT_EVENT_IDS.auditLogUsed.meaning} export):${span} -->`,
    '<AuditMessages>',
    ...entries.map(auditMessage),
    '</AuditMessages>',
    '',
  ].join('\n')
}
