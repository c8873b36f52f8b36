/**
 * The report API: the finding master an assignment is reported against, submitting a
 * report exactly once (an idempotency key per submission), reading it back, exporting it,
 * and importing masters (admin).
 */
import { z } from 'zod'
import { API_PREFIX } from './api-contract.ts'
import { findingMasterSchema, reportContentSchema } from './finding-master.ts'

export const reportPaths = {
  /** GET: the master version this assignment is reported against. */
  assignmentMaster: (assignmentId: string) => `${API_PREFIX}/assignments/${encodeURIComponent(assignmentId)}/master`,
  /** GET: the submitted report; POST (with Idempotency-Key): submit it. */
  assignmentReport: (assignmentId: string) => `${API_PREFIX}/assignments/${encodeURIComponent(assignmentId)}/report`,
  /** GET: DICOM SR (application/dicom) of a submitted report: Basic Text, or Enhanced SR when it has measurements. */
  reportSr: (reportId: string) => `${API_PREFIX}/reports/${encodeURIComponent(reportId)}/sr`,
  /** GET: FHIR R4 DiagnosticReport (application/fhir+json) of a submitted report. */
  reportFhir: (reportId: string) => `${API_PREFIX}/reports/${encodeURIComponent(reportId)}/fhir`,
  /** POST (admin): import a new master version for a facility, as JSON (FindingMaster without version/frozen) or CSV (text/csv). */
  adminFacilityMasters: (facilityId: string) => `${API_PREFIX}/admin/facilities/${encodeURIComponent(facilityId)}/masters`,
} as const

/** Header carrying the client's idempotency key (a UUID made when the reader pressed Submit). */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key'

/** What the server accepts as an idempotency key: 8 to 128 visible ASCII characters (a UUID fits). */
export const idempotencyKeySchema = z.string().regex(/^[\x21-\x7e]{8,128}$/, 'must be 8 to 128 visible ASCII characters')

/** Media types of the report exports. */
export const DICOM_SR_MEDIA_TYPE = 'application/dicom'
export const FHIR_JSON_MEDIA_TYPE = 'application/fhir+json'

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


/**
 * JSON body of a master import: a FindingMaster without version and frozen (the server assigns
 * the next version). facilityId may be left out; when given it must match the path.
 */
export const masterImportRequestSchema = findingMasterSchema
  .omit({ version: true, frozen: true })
  .extend({ facilityId: z.string().min(1).optional() })
  .meta({ id: 'MasterImportRequest' })
export type MasterImportRequest = z.infer<typeof masterImportRequestSchema>

/**
 * CSV master import (Content-Type text/csv, UTF-8 unless a charset parameter says otherwise,
 * e.g. `text/csv; charset=shift_jis` from Excel): one file, a header row naming the columns
 * (any order; unknown names are refused), then one row per item, its `kind` saying which.
 * Columns a kind does not use must be empty. Lists are separated by `|`; booleans are
 * true/false. Blank lines and lines starting with `#` are ignored.
 *
 * | kind       | columns used                                                                                          |
 * |------------|-------------------------------------------------------------------------------------------------------|
 * | master     | name_ja, name_en (exactly one row)                                                                    |
 * | scale      | code, name_ja, name_en                                                                                |
 * | judgement  | scale, code, name_ja, name_en, rank (integer, higher is worse), normal, further_examination           |
 * | body-part  | code, name_ja, name_en, kana, jj1017 (optional), laterality                                           |
 * | finding    | code, name_ja, name_en, kana, scale, body_parts, modalities, allowed_judgements, default_judgement, template_ja, template_en, no_abnormality (optional, default false) |
 * | rule       | code (the rule kind, e.g. location-required-above-normal), message_ja, message_en                     |
 */
export const MASTER_CSV_KINDS = ['master', 'scale', 'judgement', 'body-part', 'finding', 'rule'] as const
export type MasterCsvKind = (typeof MASTER_CSV_KINDS)[number]

export const MASTER_CSV_COLUMNS = [
  'kind',
  'code',
  'name_ja',
  'name_en',
  'kana',
  'scale',
  'rank',
  'normal',
  'further_examination',
  'jj1017',
  'laterality',
  'body_parts',
  'modalities',
  'allowed_judgements',
  'default_judgement',
  'template_ja',
  'template_en',
  'no_abnormality',
  'message_ja',
  'message_en',
] as const
export type MasterCsvColumn = (typeof MASTER_CSV_COLUMNS)[number]

/** The columns each kind of row uses; the ones marked optional may be left empty. */
export const MASTER_CSV_ROW_COLUMNS: Readonly<Record<MasterCsvKind, { required: readonly MasterCsvColumn[]; optional: readonly MasterCsvColumn[] }>> = {
  master: { required: ['name_ja', 'name_en'], optional: [] },
  scale: { required: ['code', 'name_ja', 'name_en'], optional: [] },
  judgement: { required: ['scale', 'code', 'name_ja', 'name_en', 'rank', 'normal', 'further_examination'], optional: [] },
  'body-part': { required: ['code', 'name_ja', 'name_en', 'kana', 'laterality'], optional: ['jj1017'] },
  finding: {
    required: ['code', 'name_ja', 'name_en', 'kana', 'scale', 'body_parts', 'modalities', 'allowed_judgements', 'default_judgement', 'template_ja', 'template_en'],
    optional: ['no_abnormality'],
  },
  rule: { required: ['code', 'message_ja', 'message_en'], optional: [] },
}
