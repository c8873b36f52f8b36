/**
 * GET reader statistics (reader-statistics.ts) for a period: admins see every reader or the one
 * they name; a reader or checker sees only themselves. `format=csv` answers CSV for a
 * spreadsheet; otherwise JSON (ReaderStatistics).
 */
import type { FastifyInstance } from 'fastify'
import { casePaths, readerStatisticsSchema } from '../shared/reading-case-contract.ts'
import { ApiHttpError, badRequest } from './api-error.ts'
import { readerStatistics, statisticsCsv, statisticsReads } from './reader-statistics.ts'
import { requireCaller } from './request-auth.ts'
import type { ServerContext } from './server-context.ts'

const DAY_MS = 86_400_000
/** Without `from`, the last 30 days. */
const DEFAULT_PERIOD_DAYS = 30

/** An ISO 8601 instant, or a date (YYYY-MM-DD, midnight UTC); `end` makes a date the end of that day. */
function instantOf(name: string, value: unknown, end: boolean): Date | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw badRequest(`${name} must be one date.`)
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value)
  const parsed = new Date(dateOnly ? `${value}T00:00:00.000Z` : value)
  if (Number.isNaN(parsed.getTime()) || !(dateOnly || /^\d{4}-\d{2}-\d{2}T/.test(value))) throw badRequest(`${name} must be a date (YYYY-MM-DD) or an ISO 8601 instant.`)
  return dateOnly && end ? new Date(parsed.getTime() + DAY_MS) : parsed
}

export function registerStatisticsRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get(casePaths.readerStatistics, async (request, reply) => {
    const { user } = await requireCaller(ctx, request)
    const query = (request.query ?? {}) as Record<string, unknown>
    const to = instantOf('to', query.to, true) ?? ctx.now()
    const from = instantOf('from', query.from, false) ?? new Date(to.getTime() - DEFAULT_PERIOD_DAYS * DAY_MS)
    if (from >= to) throw badRequest('from must be before to.')
    if (query.readerId !== undefined && typeof query.readerId !== 'string') throw badRequest('readerId must be one user id.')
    if (query.format !== undefined && query.format !== 'csv' && query.format !== 'json') throw badRequest('format must be csv or json.')
    let readerId = query.readerId as string | undefined
    if (user.role !== 'admin') {
      if (readerId !== undefined && readerId !== user.id) throw new ApiHttpError(403, 'forbidden', "Only an administrator may see another reader's statistics.")
      readerId = user.id
    }
    const stats = readerStatisticsSchema.parse({
      from: from.toISOString(),
      to: to.toISOString(),
      readers: readerStatistics(await statisticsReads(ctx.db, from, to, readerId)),
    })
    if (query.format === 'csv') {
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="reader-statistics-${from.toISOString().slice(0, 10)}-${to.toISOString().slice(0, 10)}.csv"`)
        .send(statisticsCsv(stats))
    }
    return reply.send(stats)
  })
}
