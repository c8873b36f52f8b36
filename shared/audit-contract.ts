/**
 * The operation-log (audit trail) API: workstations send batches of their events, admins search
 * the log, verify its hash chain and export a period as DICOM PS3.15 audit messages. Codes are
 * audit-codes.ts.
 */
import { z } from 'zod'
import { API_PREFIX } from './api-contract.ts'
import { AUDIT_KIND_NAMES, AUDIT_OUTCOMES, CLIENT_AUDIT_KINDS } from './audit-codes.ts'

export const auditPaths = {
  /** POST: a batch of workstation events; idempotent by each event's client id. */
  events: `${API_PREFIX}/audit/events`,
  /** GET (admin): search by user, study, kind and period. */
  search: `${API_PREFIX}/admin/audit/events`,
  /** GET (admin): walk the hash chain; names the first broken entry. */
  verify: `${API_PREFIX}/admin/audit/verify`,
  /** GET (admin): a period as DICOM PS3.15 / RFC 3881 AuditMessage XML. */
  export: `${API_PREFIX}/admin/audit/export`,
} as const

/** Most events one batch may carry; a workstation with more sends several. */
export const MAX_AUDIT_BATCH = 200

const outcomeSchema = z.union(AUDIT_OUTCOMES.map((o) => z.literal(o)) as [z.ZodLiteral<0>, z.ZodLiteral<4>, z.ZodLiteral<8>, z.ZodLiteral<12>])
const detailSchema = z.record(z.string(), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]))

export const clientAuditEventSchema = z.object({
  /** Made once by the workstation (a UUID); a retried batch carries the same ids and is not recorded twice. */
  id: z.string().min(8).max(64).regex(/^[A-Za-z0-9_-]+$/),
  kind: z.enum(CLIENT_AUDIT_KINDS),
  outcome: outcomeSchema.default(0),
  /** The workstation's clock when it happened (ISO); the server stores its own time beside it. */
  clientTime: z.iso.datetime({ offset: true }),
  studyInstanceUid: z.string().max(64).optional(),
  assignmentId: z.string().max(128).optional(),
  detail: detailSchema.refine((d) => Object.keys(d).length <= 20, 'at most 20 detail fields').default({}),
})
export type ClientAuditEvent = z.input<typeof clientAuditEventSchema>

export const auditBatchRequestSchema = z.object({ events: z.array(clientAuditEventSchema).min(1).max(MAX_AUDIT_BATCH) })
export type AuditBatchRequest = z.input<typeof auditBatchRequestSchema>

export const auditBatchResponseSchema = z.object({
  /** Newly recorded. */
  recorded: z.number().int().nonnegative(),
  /** Already in the log from an earlier attempt. */
  duplicates: z.number().int().nonnegative(),
})
export type AuditBatchResponse = z.infer<typeof auditBatchResponseSchema>

export const auditEntrySchema = z.object({
  seq: z.number().int().positive(),
  kind: z.enum(AUDIT_KIND_NAMES),
  eventId: z.string(),
  eventType: z.string().nullable(),
  action: z.enum(['C', 'R', 'U', 'D', 'E']),
  outcome: outcomeSchema,
  source: z.enum(['server', 'workstation']),
  userId: z.string().nullable(),
  username: z.string().nullable(),
  studyInstanceUid: z.string().nullable(),
  assignmentId: z.string().nullable(),
  serverTime: z.iso.datetime(),
  clientTime: z.iso.datetime({ offset: true }).nullable(),
  clientEventId: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
})
export type AuditEntry = z.infer<typeof auditEntrySchema>

export const auditSearchResponseSchema = z.object({
  entries: z.array(auditEntrySchema),
  /** More entries matched than were returned (the newest `limit` are returned). */
  truncated: z.boolean(),
})
export type AuditSearchResponse = z.infer<typeof auditSearchResponseSchema>

export const auditVerifyResponseSchema = z.object({
  ok: z.boolean(),
  checked: z.number().int().nonnegative(),
  /** The first entry whose stored hash, link or sequence number does not hold, when not ok. */
  firstBroken: z.object({ seq: z.number().int(), reason: z.string() }).nullable(),
})
export type AuditVerifyResponse = z.infer<typeof auditVerifyResponseSchema>

/** Query parameters of search and export (all optional; from/to as ISO instants). */
export const auditQuerySchema = z.object({
  user: z.string().max(128).optional(),
  study: z.string().max(64).optional(),
  kind: z.enum(AUDIT_KIND_NAMES).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
})
export type AuditQuery = z.input<typeof auditQuerySchema>
