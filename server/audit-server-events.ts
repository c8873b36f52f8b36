/**
 * The one function routes call to record what the server itself saw happen (a report submitted,
 * a case decided), so each event site is a single line. The study is looked up from the
 * assignment or case when the route does not have it at hand.
 */
import type { AuditKind, AuditOutcome } from '../shared/audit-codes.ts'
import { appendAuditEvents } from './audit-log.ts'
import type { ServerContext } from './server-context.ts'

export interface ServerAuditEvent {
  kind: AuditKind
  outcome?: AuditOutcome
  studyInstanceUid?: string
  assignmentId?: string
  /** A reading case id: its study is recorded, and the id goes into the detail. */
  caseId?: string
  /** A report id: its study and assignment are recorded, and the id goes into the detail. */
  reportId?: string
  detail?: Record<string, unknown>
}

/** Records one server event for `user` (null when nobody is signed in, e.g. an unknown user name). */
export async function auditServerEvent(
  ctx: Pick<ServerContext, 'db' | 'now'>,
  user: { id: string; username: string } | null,
  event: ServerAuditEvent,
): Promise<void> {
  let study = event.studyInstanceUid ?? null
  let assignmentId = event.assignmentId ?? null
  if (event.reportId !== undefined) {
    const { rows } = await ctx.db.query<{ study_instance_uid: string; assignment_id: string }>('select study_instance_uid, assignment_id from reports where id = $1', [event.reportId])
    study ??= rows[0]?.study_instance_uid ?? null
    assignmentId ??= rows[0]?.assignment_id ?? null
  }
  if (study === null && event.assignmentId !== undefined) {
    const { rows } = await ctx.db.query<{ study_instance_uid: string }>('select study_instance_uid from assignments where id = $1', [event.assignmentId])
    study = rows[0]?.study_instance_uid ?? null
  }
  if (study === null && event.caseId !== undefined) {
    const { rows } = await ctx.db.query<{ study_instance_uid: string }>('select study_instance_uid from reading_cases where id = $1', [event.caseId])
    study = rows[0]?.study_instance_uid ?? null
  }
  await appendAuditEvents(
    ctx.db,
    [
      {
        kind: event.kind,
        outcome: event.outcome ?? 0,
        source: 'server',
        userId: user?.id ?? null,
        username: user?.username ?? null,
        studyInstanceUid: study,
        assignmentId,
        detail: {
          ...(event.caseId !== undefined ? { caseId: event.caseId } : {}),
          ...(event.reportId !== undefined ? { reportId: event.reportId } : {}),
          ...event.detail,
        },
      },
    ],
    ctx.now(),
  )
}
