/**
 * Admin: import a facility's finding master as JSON or CSV. A valid import becomes the
 * facility's next version (201); an invalid one answers 400 listing every bad row, and stores
 * nothing. No import changes an existing version, so reports keep the master they used.
 */
import { TextDecoder } from 'node:util'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { masterImportErrorSchema, masterImportResultSchema, reportPaths } from '../shared/report-contract.ts'
import { badRequest, notFound } from './api-error.ts'
import { insertNextMasterVersion } from './finding-master-repository.ts'
import { parseMasterCsv } from './master-csv.ts'
import { jsonPointerRows, validateMasterCandidate, type MasterValidation } from './master-import.ts'
import { requireAdmin } from './request-auth.ts'
import { routePattern } from './route-pattern.ts'
import type { ServerContext } from './server-context.ts'

/** The CSV body as text, in the charset its Content-Type names (UTF-8 when it names none). */
function csvText(request: FastifyRequest): string {
  const body = request.body
  if (!Buffer.isBuffer(body)) throw badRequest('The CSV body is missing.')
  const charset = /charset\s*=\s*"?([^";\s]+)"?/i.exec(request.headers['content-type'] ?? '')?.[1] ?? 'utf-8'
  let decoder: TextDecoder
  try {
    decoder = new TextDecoder(charset, { fatal: true })
  } catch {
    throw badRequest(`The charset "${charset}" is not supported; send UTF-8 or Shift_JIS.`)
  }
  try {
    return decoder.decode(body)
  } catch {
    throw badRequest(`The CSV is not valid ${charset}; save it as UTF-8 or name its charset in the Content-Type (e.g. text/csv; charset=shift_jis).`)
  }
}

function isCsv(request: FastifyRequest): boolean {
  return /^text\/csv\b/i.test(request.headers['content-type'] ?? '')
}

export function registerMasterImportRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post(routePattern(reportPaths.adminFacilityMasters, 'facilityId'), async (request, reply) => {
    await requireAdmin(ctx, request)
    const { facilityId } = request.params as { facilityId: string }
    const facility = await ctx.db.query('select 1 from facilities where id = $1', [facilityId])
    if (facility.rows.length === 0) throw notFound('Facility')

    let validation: MasterValidation = isCsv(request) ? parseMasterCsv(csvText(request)) : validateMasterCandidate(request.body, jsonPointerRows)
    if (validation.ok && validation.facilityId !== undefined && validation.facilityId !== facilityId) {
      validation = { ok: false, rows: [{ row: '/facilityId', message: `The body is for facility "${validation.facilityId}" but the path names "${facilityId}"` }] }
    }
    if (!validation.ok) {
      const count = validation.rows.length
      return reply.code(400).send(
        masterImportErrorSchema.parse({
          error: 'master-invalid',
          message: `The master was not imported: ${count} ${count === 1 ? 'row has a problem' : 'rows have problems'}.`,
          rows: validation.rows,
        }),
      )
    }
    const { content } = validation
    const version = await ctx.db.transaction((tx) => insertNextMasterVersion(tx, facilityId, content))
    if (version === undefined) throw notFound('Facility')
    return reply.code(201).send(masterImportResultSchema.parse({ facilityId, version }))
  })
}
