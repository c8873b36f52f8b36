/** One operation-log event waiting on this computer to be sent to the reading server (the IndexedDB table auditQueue). */
import type { AuditOutcome } from '../../../shared/audit-codes.ts'
import type { ClientAuditEvent } from '../../../shared/audit-contract.ts'

export interface AuditQueueRecord {
  /** The event's client id: the server records it once however often it is sent. */
  id: string
  /**
   * Whose event it is, as `<server URL> <user name>`: only that user's session on that server
   * sends it, so a log-out queued offline is never reported as the next user's.
   */
  owner: string
  kind: ClientAuditEvent['kind']
  outcome: AuditOutcome
  /** ISO 8601 with the workstation's offset. */
  clientTime: string
  studyInstanceUid?: string
  assignmentId?: string
  detail: Record<string, string | number | boolean | null>
  /** Milliseconds since the epoch, for sending oldest first. */
  createdAt: number
  /** The server refused it as invalid (it is kept, never resent). */
  rejected?: string
}
