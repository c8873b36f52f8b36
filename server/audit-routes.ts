/**
 * The operation-log API (shared/audit-contract.ts): workstations send batches of their events
 * (idempotent by client id), admins search, verify and export. Every admin use of the log is
 * itself logged (110101 Audit Log Used).
 */
import type { FastifyInstance } from 'fastify'
import {
  auditBatchRequestSchema,
  auditBatchResponseSchema,
  auditPaths,
  auditQuerySchema,
  auditSearchResponseSchema,
  auditVerifyResponseSchema,
} from '../shared/audit-contract.ts'
import { badRequest } from './api-error.ts'
import { appendAuditEvents, searchAuditEvents, verifyAuditChain, type AuditSearch } from './audit-log.ts'
import { auditMessagesXml } from './audit-message-xml.ts'
import { auditServerEvent } from './audit-server-events.ts'
import { registerAuditObservers } from './audit-observers.ts'
import { requireAdmin, requireCaller } from './request-auth.ts'
import type { ServerContext } from './server-context.ts'

/** Most entries one export returns; a longer period is exported in parts. */
const MAX_EXPORT = 10_000

function searchOf(query: unknown, limit?: number): AuditSearch {
  const parsed = auditQuerySchema.safeParse(query ?? {})
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw badRequest(issue ? `${issue.path.join('.') || 'query'}: ${issue.message}` : 'The query is invalid.')
  }
  const q = parsed.data
  return {
    ...(q.user !== undefined ? { user: q.user } : {}),
    ...(q.study !== undefined ? { study: q.study } : {}),
    ...(q.kind !== undefined ? { kind: q.kind } : {}),
    ...(q.from !== undefined ? { from: new Date(q.from) } : {}),
    ...(q.to !== undefined ? { to: new Date(q.to) } : {}),
    limit: limit ?? q.limit,
  }
}

export function registerAuditRoutes(app: FastifyInstance, ctx: ServerContext): void {
  registerAuditObservers(app, ctx)

  app.post(auditPaths.events, async (request, reply) => {
    const { user } = await requireCaller(ctx, request)
    const parsed = auditBatchRequestSchema.safeParse(request.body)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      throw badRequest(issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'The request body is invalid.')
    }
    // The signed-in user is who did it, whatever the batch says: a workstation reports only its own user's events.
    const result = await appendAuditEvents(
      ctx.db,
      parsed.data.events.map((e) => ({
        kind: e.kind,
        outcome: e.outcome,
        source: 'workstation' as const,
        userId: user.id,
        username: user.username,
        studyInstanceUid: e.studyInstanceUid ?? null,
        assignmentId: e.assignmentId ?? null,
        clientTime: e.clientTime,
        clientEventId: e.id,
        detail: e.detail,
      })),
      ctx.now(),
    )
    return reply.send(auditBatchResponseSchema.parse(result))
  })

  app.get(auditPaths.search, async (request, reply) => {
    const { user } = await requireAdmin(ctx, request)
    const search = searchOf(request.query)
    const found = await searchAuditEvents(ctx.db, search)
    await auditServerEvent(ctx, user, { kind: 'audit-log-used', detail: { use: 'search', query: JSON.stringify(request.query ?? {}) } })
    return reply.send(auditSearchResponseSchema.parse(found))
  })

  app.get(auditPaths.verify, async (request, reply) => {
    const { user } = await requireAdmin(ctx, request)
    const result = await verifyAuditChain(ctx.db)
    await auditServerEvent(ctx, user, { kind: 'audit-log-used', outcome: result.ok ? 0 : 8, detail: { use: 'verify', checked: result.checked, firstBroken: result.firstBroken?.seq ?? null } })
    return reply.send(auditVerifyResponseSchema.parse(result))
  })

  app.get(auditPaths.export, async (request, reply) => {
    const { user } = await requireAdmin(ctx, request)
    const found = await searchAuditEvents(ctx.db, { ...searchOf(request.query, MAX_EXPORT), ascending: true })
    if (found.truncated) throw badRequest(`More than ${MAX_EXPORT} entries match: export a shorter period.`)
    await auditServerEvent(ctx, user, { kind: 'audit-log-used', detail: { use: 'export', entries: found.entries.length } })
    return reply
      .type('application/xml; charset=utf-8')
      .header('content-disposition', 'attachment; filename="audit-messages.xml"')
      .send(auditMessagesXml(found.entries))
  })
}
