/**
 * The report API: the finding master an assignment is reported against, submitting a
 * report exactly once (an idempotency key per submission), reading it back, exporting it,
 * and importing masters (admin).
 */
import { z } from 'zod'
import { API_PREFIX } from './api-contract.ts'
import { reportContentSchema } from './finding-master.ts'

export const reportPaths = {
  /** GET: the master version this assignment is reported against. */
  assignmentMaster: (assignmentId: string) => `${API_PREFIX}/assignments/${encodeURIComponent(assignmentId)}/master`,
  /** GET: the submitted report; POST (with Idempotency-Key): submit it. */
  assignmentReport: (assignmentId: string) => `${API_PREFIX}/assignments/${encodeURIComponent(assignmentId)}/report`,
  /** GET: DICOM Basic Text SR (application/dicom) of a submitted report. */
  reportSr: (reportId: string) => `${API_PREFIX}/reports/${encodeURIComponent(reportId)}/sr`,
  /** GET: FHIR R4 DiagnosticReport (application/fhir+json) of a submitted report. */
  reportFhir: (reportId: string) => `${API_PREFIX}/reports/${encodeURIComponent(reportId)}/fhir`,
  /** POST (admin): import a new master version for a facility, as JSON (FindingMaster without version/frozen) or CSV (text/csv). */
  adminFacilityMasters: (facilityId: string) => `${API_PREFIX}/admin/facilities/${encodeURIComponent(facilityId)}/masters`,
} as const

/** Header carrying the client's idempotency key (a UUID made when the reader pressed Submit). */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key'

export const submitReportRequestSchema = z
  .object({ content: reportContentSchema })
  .meta({ id: 'SubmitReportRequest' })
export type SubmitReportRequest = z.infer<typeof submitReportRequestSchema>

export const storedReportSchema = z
  .object({
    id: z.string().min(1),
    assignmentId: z.string().min(1),
    studyInstanceUid: z.string().min(1),
    readerId: z.string().min(1),
    masterVersion: z.number().int().positive(),
    content: reportContentSchema,
    /** The overall judgement as stated (override or computed). */
    overallJudgement: z.string(),
    requiresFurtherExamination: z.boolean(),
    submittedAt: z.iso.datetime(),
  })
  .meta({ id: 'StoredReport' })
export type StoredReport = z.infer<typeof storedReportSchema>

/** 422: the report breaks the master's rules; the same issues the editor shows. */
export const reportRejectedSchema = z
  .object({
    error: z.literal('report-invalid'),
    message: z.string(),
    issues: z.array(z.object({ rule: z.string(), findingIndex: z.number().int().optional(), message: z.object({ ja: z.string(), en: z.string() }) })),
  })
  .meta({ id: 'ReportRejected' })

/** A master import that failed: one entry per bad row (CSV line, or JSON pointer). */
export const masterImportErrorSchema = z
  .object({
    error: z.literal('master-invalid'),
    message: z.string(),
    rows: z.array(z.object({ row: z.string(), message: z.string() })).min(1),
  })
  .meta({ id: 'MasterImportError' })

export const masterImportResultSchema = z.object({ facilityId: z.string(), version: z.number().int().positive() }).meta({ id: 'MasterImportResult' })

