/**
 * The report API: the master an assignment is reported against, submitting its report exactly
 * once (Idempotency-Key), reading it back, and exporting it as FHIR and DICOM SR. A submission
 * changes the assignment's status, so it wakes the reader's worklist long-polls.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { findingMasterSchema } from '../shared/finding-master.ts'
import {
  DICOM_SR_MEDIA_TYPE,
  FHIR_JSON_MEDIA_TYPE,
  IDEMPOTENCY_KEY_HEADER,
  idempotencyKeySchema,
  reportPaths,
  reportRejectedSchema,
  storedReportSchema,
  submitReportRequestSchema,
} from '../shared/report-contract.ts'
import { alreadySubmitted, badRequest, notFound } from './api-error.ts'
import { auditServerEvent } from './audit-server-events.ts'
import { latestMaster, masterVersion } from './finding-master-repository.ts'
import { buildFhirDiagnosticReport } from './fhir-diagnostic-report.ts'
import { caseIdOfAssignment, caseReadMasterVersion, caseReaderIds } from './reading-case-repository.ts'
import { invalidTransition } from './reading-case-service.ts'
import { requireReportScope } from './report-access.ts'
import { loadReportExportSource } from './report-export-source.ts'
import { reportByAssignment, reportById } from './report-repository.ts'
import { buildReportSr, reportSrUids } from './report-sr.ts'
import { submitReport } from './report-submission.ts'
import { requireCaller } from './request-auth.ts'
import { routePattern } from './route-pattern.ts'
import type { ServerContext } from './server-context.ts'
import { takeDroppedReportResponse } from './server-faults.ts'

const pattern = (build: (id: string) => string) => routePattern(build, 'id')

function idempotencyKeyOf(request: FastifyRequest): string {
  const raw = request.headers[IDEMPOTENCY_KEY_HEADER]
  if (raw === undefined) throw badRequest('The Idempotency-Key header is required: a key made once per report, sent again with every retry.')
  const parsed = idempotencyKeySchema.safeParse(raw)
  if (!parsed.success) throw badRequest('The Idempotency-Key header must be one value of 8 to 128 visible ASCII characters.')
  return parsed.data
}

export function registerReportRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get(pattern(reportPaths.assignmentMaster), async (request, reply) => {
    const { user } = await requireCaller(ctx, request)
    const { id } = request.params as { id: string }
    const scope = await requireReportScope(ctx.db, user, id, 'read')
    // A submitted report is shown with the master it was written against, never a newer one; a
    // check or comparison works on the reads of its case, so it gets the master they used.
    const report = await reportByAssignment(ctx.db, scope.assignmentId)
    const readVersion = report?.report.masterVersion ?? (scope.readingType === 'check' || scope.readingType === 'comparison' ? await caseReadMasterVersion(ctx.db, scope.assignmentId) : undefined)
    const master = readVersion !== undefined ? await masterVersion(ctx.db, scope.facilityId, readVersion) : await latestMaster(ctx.db, scope.facilityId)
    if (!master) throw notFound('Finding master of this facility')
    return reply.send(findingMasterSchema.parse(master))
  })

  app.get(pattern(reportPaths.assignmentReport), async (request, reply) => {
    const { user } = await requireCaller(ctx, request)
    const { id } = request.params as { id: string }
    const scope = await requireReportScope(ctx.db, user, id, 'read')
    const stored = await reportByAssignment(ctx.db, scope.assignmentId)
    if (!stored) throw notFound('Report')
    return reply.send(storedReportSchema.parse(stored.report))
  })

  app.post(pattern(reportPaths.assignmentReport), async (request, reply) => {
    const { user } = await requireCaller(ctx, request)
    const { id } = request.params as { id: string }
    const scope = await requireReportScope(ctx.db, user, id, 'submit')
    if (scope.readingType === 'comparison' || scope.readingType === 'check') {
      throw invalidTransition(`A ${scope.readingType} is recorded with its decision on the reading case, not submitted as a report.`)
    }
    const key = idempotencyKeyOf(request)
    const body = submitReportRequestSchema.safeParse(request.body)
    if (!body.success) {
      const issue = body.error.issues[0]
      throw badRequest(issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'The request body is invalid.')
    }
    const outcome = await submitReport(ctx.db, scope, body.data.content, key, ctx.now())
    switch (outcome.kind) {
      case 'rejected':
        return reply.code(422).send(
          reportRejectedSchema.parse({
            error: 'report-invalid',
            message: outcome.issues.map((i) => i.message.en).join('; '),
            issues: outcome.issues,
          }),
        )
      case 'already-submitted':
        throw alreadySubmitted()
      case 'key-reused':
        throw badRequest('This Idempotency-Key was already used for another assignment; make a new key per report.')
      case 'created':
      case 'replayed': {
        if (outcome.kind === 'created') {
          await auditServerEvent(ctx, user, { kind: 'report-submitted', studyInstanceUid: scope.studyInstanceUid, assignmentId: scope.assignmentId, detail: { reportId: outcome.report.id } })
          const caseId = await caseIdOfAssignment(ctx.db, scope.assignmentId)
          ctx.worklistChanges.notify(caseId ? await caseReaderIds(ctx.db, caseId) : [scope.readerUserId])
        }
        if (takeDroppedReportResponse(ctx.faults)) {
          // Test fault: the report is committed, the answer is lost; the client must retry.
          reply.hijack()
          reply.raw.destroy()
          return reply
        }
        return reply
          .code(outcome.kind === 'created' ? 201 : 200)
          .header('location', reportPaths.assignmentReport(scope.assignmentId))
          .send(storedReportSchema.parse(outcome.report))
      }
    }
  })

  /** The report by id, when the caller may read its assignment's report. */
  const readableReport = async (request: FastifyRequest) => {
    const { user } = await requireCaller(ctx, request)
    const { id } = request.params as { id: string }
    const stored = await reportById(ctx.db, id)
    if (!stored) throw notFound('Report')
    const scope = await requireReportScope(ctx.db, user, stored.report.assignmentId, 'read')
    return loadReportExportSource(ctx.db, stored.report, scope)
  }

  app.get(pattern(reportPaths.reportFhir), async (request, reply) => {
    const source = await readableReport(request)
    return reply.type(FHIR_JSON_MEDIA_TYPE).send(JSON.stringify(buildFhirDiagnosticReport(source)))
  })

  app.get(pattern(reportPaths.reportSr), async (request, reply) => {
    const source = await readableReport(request)
    const { sopInstanceUid } = reportSrUids(source.report.id)
    return reply
      .type(DICOM_SR_MEDIA_TYPE)
      .header('content-disposition', `attachment; filename="${sopInstanceUid}.dcm"`)
      .send(Buffer.from(buildReportSr(source)))
  })
}
