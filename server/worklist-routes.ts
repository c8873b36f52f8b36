/** GET worklist: the caller's assignments only. */
import type { FastifyInstance } from 'fastify'
import { apiPaths, worklistResponseSchema } from '../shared/api-contract.ts'
import { requireCaller } from './request-auth.ts'
import type { ServerContext } from './server-context.ts'
import { worklistFor } from './worklist-query.ts'

export function registerWorklistRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get(apiPaths.worklist, async (request, reply) => {
    const { user } = await requireCaller(ctx, request)
    const assignments = await worklistFor(ctx.db, user.id)
    return reply.send(worklistResponseSchema.parse({ assignments, serverTime: ctx.now().toISOString() }))
  })
}
