/** Sends a batch of queued operation-log events to the reading server (POST /api/v1/audit/events). */
import { auditBatchResponseSchema, auditPaths, type ClientAuditEvent } from '../../../shared/audit-contract.ts'
import type { AuditQueueRecord } from './audit-queue-record.ts'

/** 'sent': recorded (now or by an earlier attempt); 'retry': try again later; 'rejected': the server refuses this batch as invalid. */
export type AuditPostResult = { kind: 'sent' } | { kind: 'retry'; reason: string } | { kind: 'rejected'; reason: string }

export type AuditPoster = (events: readonly AuditQueueRecord[]) => Promise<AuditPostResult>

function eventOf(record: AuditQueueRecord): ClientAuditEvent {
  return {
    id: record.id,
    kind: record.kind,
    outcome: record.outcome,
    clientTime: record.clientTime,
    ...(record.studyInstanceUid !== undefined ? { studyInstanceUid: record.studyInstanceUid } : {}),
    ...(record.assignmentId !== undefined ? { assignmentId: record.assignmentId } : {}),
    detail: record.detail,
  }
}

/** A poster for one server and the session's current token (read at each send, so a refreshed token is used). */
export function createAuditPoster(serverUrl: string, token: () => string | null, fetchImpl: typeof fetch = (...args) => globalThis.fetch(...args)): AuditPoster {
  return async (events) => {
    const current = token()
    if (!current) return { kind: 'retry', reason: 'not signed in' }
    let response: Response
    try {
      response = await fetchImpl(`${serverUrl}${auditPaths.events}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${current}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events: events.map(eventOf) }),
      })
    } catch (error) {
      return { kind: 'retry', reason: error instanceof Error ? error.message : String(error) }
    }
    const text = await response.text().catch(() => '')
    if (response.ok) {
      auditBatchResponseSchema.parse(JSON.parse(text))
      return { kind: 'sent' }
    }
    // 400 and 413 (too large: the sender splits it) will not change by resending; 401 (a token about to be refreshed), 429 and 5xx might
    if (response.status === 400 || response.status === 413) return { kind: 'rejected', reason: text.slice(0, 500) }
    return { kind: 'retry', reason: `HTTP ${response.status}` }
  }
}
