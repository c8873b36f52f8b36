/**
 * The reading-case API (shared/reading-case-contract.ts): a case as the caller may see it, the
 * comparison's consensus or committee, the committee's decision, the checker's decision,
 * corrections (new versions) of a submitted report, and the start of a reading. Every change
 * wakes the worklists of everyone in the case.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import { IDEMPOTENCY_KEY_HEADER, idempotencyKeySchema, reportRejectedSchema } from '../shared/report-contract.ts'
import {
  casePaths,
  checkDecisionRequestSchema,
  committeeDecisionRequestSchema,
  committeeRequestSchema,
  consensusRequestSchema,
  correctionRequestSchema,
  reportVersionListSchema,
} from '../shared/reading-case-contract.ts'
import { badRequest, notFound } from './api-error.ts'
import { auditServerEvent } from './audit-server-events.ts'
import { caseReaderIds } from './reading-case-repository.ts'
import { recordCheckDecision, recordCommitteeDecision, recordConsensus, sendToCommittee, submitCorrection, type ContentOutcome } from './reading-case-service.ts'
import { readingCaseFor } from './reading-case-view.ts'
import { requireReportScope } from './report-access.ts'
import { reportById } from './report-repository.ts'
import { reportVersions } from './report-version-repository.ts'
import { requireCaller } from './request-auth.ts'
import { routePattern } from './route-pattern.ts'
import type { ServerContext } from './server-context.ts'

const pattern = (build: (id: string) => string) => routePattern(build, 'id')

function bodyOf<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw badRequest(issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'The request body is invalid.')
  }
  return parsed.data
}

function optionalKey(request: FastifyRequest): string | undefined {
  const raw = request.headers[IDEMPOTENCY_KEY_HEADER]
  if (raw === undefined) return undefined
  const parsed = idempotencyKeySchema.safeParse(raw)
  if (!parsed.success) throw badRequest('The Idempotency-Key header must be one value of 8 to 128 visible ASCII characters.')
  return parsed.data
}

export function registerReadingCaseRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const notifyCase = async (caseId: string) => ctx.worklistChanges.notify(await caseReaderIds(ctx.db, caseId))

  /** Answers with the case as the caller now sees it, or 422 with the content's problems. */
  const answer = async (reply: FastifyReply, caseId: string, request: FastifyRequest, outcome: ContentOutcome = { kind: 'done' }) => {
    if (outcome.kind === 'rejected') {
      return reply.code(422).send(reportRejectedSchema.parse({ error: 'report-invalid', message: outcome.issues.map((i) => i.message.en).join('; '), issues: outcome.issues }))
    }
    await notifyCase(caseId)
    const { user } = await requireCaller(ctx, request)
    return reply.send(await readingCaseFor(ctx.db, caseId, user))
  }

  app.get(pattern(casePaths.readingCase), async (request, reply) => {
    const { user } = await requireCaller(ctx, request)
    const { id } = request.params as { id: string }
    return reply.send(await readingCaseFor(ctx.db, id, user))
  })

  app.post(pattern(casePaths.consensus), async (request, reply) => {
    const { user } = await requireCaller(ctx, request)
    const { id } = request.params as { id: string }
    await recordConsensus(ctx.db, id, user, bodyOf(consensusRequestSchema, request.body), ctx.now())
    await auditServerEvent(ctx, user, { kind: 'case-consensus', caseId: id })
    return answer(reply, id, request)
  })

  app.post(pattern(casePaths.committee), async (request, reply) => {
    const { user } = await requireCaller(ctx, request)
    const { id } = request.params as { id: string }
    await sendToCommittee(ctx.db, id, user, bodyOf(committeeRequestSchema, request.body).reason, ctx.now())
    await auditServerEvent(ctx, user, { kind: 'case-committee', caseId: id })
    return answer(reply, id, request)
  })

  app.post(pattern(casePaths.committeeDecision), async (request, reply) => {
    const { user } = await requireCaller(ctx, request)
    const { id } = request.params as { id: string }
    await recordCommitteeDecision(ctx.db, id, user, bodyOf(committeeDecisionRequestSchema, request.body), ctx.now())
    await auditServerEvent(ctx, user, { kind: 'case-committee-decision', caseId: id })
    return answer(reply, id, request)
  })

  app.post(pattern(casePaths.checkDecision), async (request, reply) => {
    const { user } = await requireCaller(ctx, request)
    const { id } = request.params as { id: string }
    const outcome = await recordCheckDecision(ctx.db, id, user, bodyOf(checkDecisionRequestSchema, request.body), optionalKey(request), ctx.now())
    await auditServerEvent(ctx, user, { kind: 'check-decision', caseId: id, outcome: outcome.kind === 'rejected' ? 4 : 0, detail: { decision: String((request.body as { decision?: unknown }).decision) } })
    return answer(reply, id, request, outcome)
  })

  app.get(pattern(casePaths.reportVersions), async (request, reply) => {
    const { user } = await requireCaller(ctx, request)
    const { id } = request.params as { id: string }
    const stored = await reportById(ctx.db, id)
    if (!stored) throw notFound('Report')
    await requireReportScope(ctx.db, user, stored.report.assignmentId, 'read')
    return reply.send(reportVersionListSchema.parse(await reportVersions(ctx.db, id)))
  })

  app.post(pattern(casePaths.reportVersions), async (request, reply) => {
    const { user } = await requireCaller(ctx, request)
    const { id } = request.params as { id: string }
    const key = optionalKey(request)
    if (!key) throw badRequest('The Idempotency-Key header is required: a key made once per correction, sent again with every retry.')
    const body = bodyOf(correctionRequestSchema, request.body)
    const outcome = await submitCorrection(ctx.db, id, user, body.content, body.reason, key, ctx.now())
    if (outcome.kind === 'rejected') {
      return reply.code(422).send(reportRejectedSchema.parse({ error: 'report-invalid', message: outcome.issues.map((i) => i.message.en).join('; '), issues: outcome.issues }))
    }
    await auditServerEvent(ctx, user, { kind: 'report-amended', reportId: id })
    if (outcome.caseId) await notifyCase(outcome.caseId)
    return reply.code(201).send(reportVersionListSchema.parse(await reportVersions(ctx.db, id)))
  })

  app.post(pattern(casePaths.assignmentStart), async (request, reply) => {
    const { user } = await requireCaller(ctx, request)
    const { id } = request.params as { id: string }
    const scope = await requireReportScope(ctx.db, user, id, 'submit')
    // The first open counts; reopening a study later does not restart its reading time.
    const { rows } = await ctx.db.query<{ id: string }>(
      `update assignments set started_at = coalesce(started_at, $2), status = case when status = 'assigned' then 'in-progress' else status end
        where id = $1 returning id`,
      [scope.assignmentId, ctx.now()],
    )
    if (rows.length === 0) throw notFound('Assignment')
    await auditServerEvent(ctx, user, { kind: 'reading-started', studyInstanceUid: scope.studyInstanceUid, assignmentId: scope.assignmentId })
    ctx.worklistChanges.notify([scope.readerUserId])
    return reply.code(204).send()
  })
}
