/**
 * GET worklist: the caller's assignments only, with a version (also the ETag). With a matching
 * If-None-Match it answers 304 at once, or, given ?waitSeconds=N, holds the request until the
 * worklist changes (200) or the time is up (304): a long-poll, so workstations hear of new
 * assignments within a moment without polling every second.
 */
import type { FastifyInstance, FastifyReply } from 'fastify'
import { apiPaths, WORKLIST_MAX_WAIT_SECONDS, worklistResponseSchema, type WorklistResponse } from '../shared/api-contract.ts'
import { badRequest } from './api-error.ts'
import { requireCaller } from './request-auth.ts'
import type { ServerContext } from './server-context.ts'
import { etagOf, ifNoneMatchIncludes, worklistVersion } from './worklist-etag.ts'
import { worklistFor } from './worklist-query.ts'

/**
 * A waiting poll re-reads the worklist this often even without a notification, to catch changes
 * no route announced (another process writing the database). Notified changes answer at once.
 */
export const WORKLIST_RECHECK_MS = 5_000

function waitSecondsOf(query: unknown): number | undefined {
  const value = (query as Record<string, unknown> | undefined)?.waitSeconds
  if (value === undefined) return undefined
  const seconds = typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : NaN
  if (!(seconds >= 1 && seconds <= WORKLIST_MAX_WAIT_SECONDS)) {
    throw badRequest(`waitSeconds must be a whole number from 1 to ${WORKLIST_MAX_WAIT_SECONDS}.`)
  }
  return seconds
}

async function currentWorklist(ctx: ServerContext, userId: string): Promise<WorklistResponse> {
  const assignments = await worklistFor(ctx.db, userId)
  return worklistResponseSchema.parse({
    assignments,
    serverTime: ctx.now().toISOString(),
    version: worklistVersion(assignments, ctx.cachePolicy),
    cachePolicy: ctx.cachePolicy,
  })
}

function notModified(reply: FastifyReply, version: string): FastifyReply {
  return reply.code(304).header('etag', etagOf(version)).send()
}

export function registerWorklistRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get(apiPaths.worklist, async (request, reply) => {
    const { user } = await requireCaller(ctx, request)
    const waitSeconds = waitSecondsOf(request.query)
    const ifNoneMatch = request.headers['if-none-match']
    // Real time, not ctx.now(): tests move that clock to expire tokens, not to shorten waits.
    const deadline = Date.now() + (waitSeconds ?? 0) * 1000
    // Read before the worklist, so a change made while it is computed still wakes the wait below.
    let since = ctx.worklistChanges.generation(user.id)
    let worklist = await currentWorklist(ctx, user.id)
    if (!ifNoneMatchIncludes(ifNoneMatch, worklist.version)) return reply.header('etag', etagOf(worklist.version)).send(worklist)
    if (waitSeconds === undefined) return notModified(reply, worklist.version)

    // Stop waiting when the client goes away; 'close' after a finished response is not that.
    const clientGone = new AbortController()
    const onClose = () => {
      if (!reply.raw.writableFinished) clientGone.abort()
    }
    reply.raw.once('close', onClose)
    try {
      for (;;) {
        const remaining = deadline - Date.now()
        if (remaining <= 0) return notModified(reply, worklist.version)
        const outcome = await ctx.worklistChanges.wait(user.id, since, Math.min(remaining, WORKLIST_RECHECK_MS), clientGone.signal)
        // Closing server or departed client: answer "unchanged" without touching the database again.
        if (outcome === 'aborted' || outcome === 'closed') return notModified(reply, worklist.version)
        since = ctx.worklistChanges.generation(user.id)
        worklist = await currentWorklist(ctx, user.id)
        if (!ifNoneMatchIncludes(ifNoneMatch, worklist.version)) return reply.header('etag', etagOf(worklist.version)).send(worklist)
      }
    } finally {
      reply.raw.off('close', onClose)
    }
  })
}
