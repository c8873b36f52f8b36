/**
 * The workstation's operation log: record() writes an event to the durable queue first and then
 * asks the sender to deliver it, so an event recorded offline (or just before a crash) reaches the
 * server once the workstation is back, exactly once (the server deduplicates by the event's id).
 */
import type { AuditOutcome } from '../../../shared/audit-codes.ts'
import type { AuditQueue } from './audit-queue.ts'
import type { AuditQueueRecord } from './audit-queue-record.ts'
import type { AuditSender } from './audit-sender.ts'

export interface AuditFields {
  outcome?: AuditOutcome
  studyInstanceUid?: string
  assignmentId?: string
  detail?: AuditQueueRecord['detail']
}

export interface WorkstationAudit {
  /** Queues one event of `owner` (auditOwner(serverUrl, username)) and starts sending it. */
  record(owner: string, kind: AuditQueueRecord['kind'], fields?: AuditFields): Promise<void>
}

/** The queue's owner key of a user on a server. */
export function auditOwner(serverUrl: string, username: string): string {
  return `${serverUrl} ${username}`
}

/** ISO 8601 in local time with its offset (2026-11-03T18:00:00.000+09:00): the reader's clock as they saw it. */
export function isoWithOffset(date: Date): string {
  const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0')
  const offset = -date.getTimezoneOffset()
  const sign = offset >= 0 ? '+' : '-'
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}` +
    `${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`
  )
}

export interface WorkstationAuditDeps {
  queue: AuditQueue
  sender: Pick<AuditSender, 'flush'>
  now?: () => Date
  newId?: () => string
  /** Where a failure to queue is reported (the disk may be full); recording never throws into the UI. */
  log?: (message: string, error: unknown) => void
}

export function createWorkstationAudit(deps: WorkstationAuditDeps): WorkstationAudit {
  const now = deps.now ?? (() => new Date())
  const newId = deps.newId ?? (() => crypto.randomUUID())
  const log = deps.log ?? ((message, error) => console.warn(message, error))
  // strictly increasing, so events of one millisecond are still sent in the order they happened
  let lastCreatedAt = 0
  return {
    async record(owner, kind, fields = {}) {
      const at = now()
      const createdAt = Math.max(at.getTime(), lastCreatedAt + 1)
      lastCreatedAt = createdAt
      try {
        await deps.queue.add({
          id: newId(),
          owner,
          kind,
          outcome: fields.outcome ?? 0,
          clientTime: isoWithOffset(at),
          ...(fields.studyInstanceUid !== undefined ? { studyInstanceUid: fields.studyInstanceUid } : {}),
          ...(fields.assignmentId !== undefined ? { assignmentId: fields.assignmentId } : {}),
          detail: fields.detail ?? {},
          createdAt,
        })
      } catch (error) {
        log(`operation log: could not queue ${kind}`, error)
        return
      }
      void deps.sender.flush().catch((error: unknown) => log('operation log: sending failed', error))
    },
  }
}
