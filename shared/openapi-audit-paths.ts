/** The operation-log (audit trail) API's paths in the OpenAPI document: workstation batches, admin search, verification and export. */
import { z } from 'zod'
import { AUDIT_KIND_NAMES } from './audit-codes.ts'
import {
  auditBatchRequestSchema,
  auditBatchResponseSchema,
  auditPaths,
  auditSearchResponseSchema,
  auditVerifyResponseSchema,
  MAX_AUDIT_BATCH,
} from './audit-contract.ts'
import { adminErrors, authErrors, errorResponse, jsonContent, queryParameter, type Json } from './openapi-parts.ts'

/** Inline JSON Schema of a request (input) or response (output) body. */
function inline(schema: z.ZodType, io: 'input' | 'output'): Json {
  const json = { ...(z.toJSONSchema(schema, { io }) as Json) }
  delete json.$schema
  return json
}

const filters = [
  queryParameter('user', 'A user id or user name.'),
  queryParameter('study', 'A Study Instance UID.'),
  queryParameter('kind', 'The kind of event (see shared/audit-codes.ts for its DICOM coding).', { type: 'string', enum: AUDIT_KIND_NAMES }),
  queryParameter('from', 'Server time from (inclusive), ISO 8601.', { type: 'string', format: 'date-time' }),
  queryParameter('to', 'Server time to (exclusive), ISO 8601.', { type: 'string', format: 'date-time' }),
]

export function auditPathItems(): Json {
  return {
    [auditPaths.events]: {
      post: {
        operationId: 'postAuditEvents',
        summary: "A batch of the workstation's operation-log events (study opened/closed, images viewed, report submitted, export/print, settings changed, log-in/out).",
        description: `At most ${MAX_AUDIT_BATCH} events. Recorded as the signed-in user, with the server's time beside the workstation's. Idempotent by event id: a retried batch records only the events not yet in the log, so a workstation resends until it gets a 200.`,
        requestBody: { required: true, content: jsonContent(inline(auditBatchRequestSchema, 'input')) },
        responses: {
          '200': { description: 'How many were recorded now and how many were already in the log.', content: jsonContent(inline(auditBatchResponseSchema, 'output')) },
          '400': errorResponse('The batch is invalid (a kind only the server records, a bad id, too many events).'),
          ...authErrors,
        },
      },
    },
    [auditPaths.search]: {
      get: {
        operationId: 'searchAuditEvents',
        summary: 'Admin: operation-log entries matching every given filter, newest first. Logged itself (110101 Audit Log Used).',
        parameters: [...filters, queryParameter('limit', 'Most entries returned (1 to 1000, default 200).', { type: 'integer', minimum: 1, maximum: 1000 })],
        responses: {
          '200': { description: 'The entries, each with its hash and its link to the previous one.', content: jsonContent(inline(auditSearchResponseSchema, 'output')) },
          '400': errorResponse('A filter is invalid.'),
          ...adminErrors,
        },
      },
    },
    [auditPaths.verify]: {
      get: {
        operationId: 'verifyAuditChain',
        summary: "Admin: walk the operation log's SHA-256 hash chain and name the first entry that was edited, removed or inserted.",
        responses: { '200': { description: 'Whether the chain holds; if not, the first broken entry and why.', content: jsonContent(inline(auditVerifyResponseSchema, 'output')) }, ...adminErrors },
      },
    },
    [auditPaths.export]: {
      get: {
        operationId: 'exportAuditMessages',
        summary: 'Admin: a period of the operation log as DICOM PS3.15 A.5 audit messages (RFC 3881 AuditMessage elements in an AuditMessages document), oldest first.',
        parameters: filters,
        responses: {
          '200': { description: 'The XML document.', content: { 'application/xml': { schema: { type: 'string' } } } },
          '400': errorResponse('A filter is invalid, or more than 10000 entries match.'),
          ...adminErrors,
        },
      },
    },
  }
}
