/**
 * The reading-case API: double reading (blinded second read, comparison, consensus or
 * committee), report checks (approve, amend with tracked changes, return), versions of a
 * submitted read (never edited: a correction is a new version with a reason), and reader
 * statistics. The state machines are reading-case-machine.ts.
 */
import { z } from 'zod'
import { API_PREFIX } from './api-contract.ts'
import { ASSIGNMENT_STATUSES, CASE_STATUSES, FINAL_METHODS, READING_TYPES, WORKFLOWS } from './domain.ts'
import { reportContentSchema } from './finding-master.ts'

export const casePaths = {
  /** GET: a case as the caller may see it (reads they are blinded to carry no report). */
  readingCase: (caseId: string) => `${API_PREFIX}/cases/${encodeURIComponent(caseId)}`,
  /** POST: the comparison's consensus: the final judgement and, when the reads disagreed, why. */
  consensus: (caseId: string) => `${API_PREFIX}/cases/${encodeURIComponent(caseId)}/consensus`,
  /** POST: send a disagreeing case to the reading committee, with the reason. */
  committee: (caseId: string) => `${API_PREFIX}/cases/${encodeURIComponent(caseId)}/committee`,
  /** POST (checker or admin): the committee's final judgement. */
  committeeDecision: (caseId: string) => `${API_PREFIX}/cases/${encodeURIComponent(caseId)}/committee-decision`,
  /** POST (the checker): approve, approve with an amendment, or return with a comment. */
  checkDecision: (caseId: string) => `${API_PREFIX}/cases/${encodeURIComponent(caseId)}/check-decision`,
  /** GET: every version of a submitted report; POST (its reader, Idempotency-Key): a correction. */
  reportVersions: (reportId: string) => `${API_PREFIX}/reports/${encodeURIComponent(reportId)}/versions`,
  /** POST: the reader opened the assignment (the start of its reading time; idempotent). */
  assignmentStart: (assignmentId: string) => `${API_PREFIX}/assignments/${encodeURIComponent(assignmentId)}/start`,
  /** GET: reader statistics for a period (`from`, `to` as dates; `format=csv` for CSV). */
  readerStatistics: `${API_PREFIX}/statistics/readers`,
} as const

export const REPORT_VERSION_KINDS = ['original', 'correction', 'amendment'] as const

export const reportVersionSchema = z
  .object({
    reportId: z.string().min(1),
    /** 1 is the report as first submitted. */
    version: z.number().int().positive(),
    kind: z.enum(REPORT_VERSION_KINDS),
    authorId: z.string().min(1),
    authorName: z.string(),
    /** Why this version was made (empty for the original). */
    reason: z.string(),
    content: reportContentSchema,
    overallJudgement: z.string(),
    requiresFurtherExamination: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'ReportVersion' })
export type ReportVersion = z.infer<typeof reportVersionSchema>

export const reportVersionListSchema = z.array(reportVersionSchema).meta({ id: 'ReportVersionList' })

export const correctionRequestSchema = z
  .strictObject({ content: reportContentSchema, reason: z.string().trim().min(1).max(1000) })
  .meta({ id: 'CorrectionRequest' })
export type CorrectionRequest = z.infer<typeof correctionRequestSchema>

export const caseReadSchema = z
  .object({
    assignmentId: z.string().min(1),
    readingType: z.enum(READING_TYPES),
    readerId: z.string().min(1),
    readerName: z.string(),
    status: z.enum(ASSIGNMENT_STATUSES),
    submittedAt: z.iso.datetime().optional(),
    /**
     * True when the caller may not see this read yet (double reading: until their own read is
     * in). A blinded read carries no report, no judgement and no version count.
     */
    blinded: z.boolean(),
    reportId: z.string().optional(),
    /** The latest version of the report (the original when never corrected or amended). */
    latest: reportVersionSchema.optional(),
    versionCount: z.number().int().nonnegative().optional(),
  })
  .meta({ id: 'CaseRead' })
export type CaseRead = z.infer<typeof caseReadSchema>

export const caseFinalSchema = z
  .object({
    overallJudgement: z.string(),
    requiresFurtherExamination: z.boolean(),
    method: z.enum(FINAL_METHODS),
    /** The reason for a disagreement's resolution, or a check's comment. */
    reason: z.string(),
    decidedBy: z.string().optional(),
    decidedAt: z.iso.datetime(),
  })
  .meta({ id: 'CaseFinal' })

export const caseEventSchema = z
  .object({
    at: z.iso.datetime(),
    actorId: z.string().optional(),
    actorName: z.string(),
    event: z.string(),
    fromStatus: z.enum(CASE_STATUSES).optional(),
    toStatus: z.enum(CASE_STATUSES),
    detail: z.string(),
  })
  .meta({ id: 'CaseEvent' })

export const readingCaseSchema = z
  .object({
    id: z.string().min(1),
    studyInstanceUid: z.string().min(1),
    facilityId: z.string().min(1),
    workflow: z.enum(WORKFLOWS),
    status: z.enum(CASE_STATUSES),
    reads: z.array(caseReadSchema),
    /** Present once the case is final (agreement, consensus, committee, approved, amended, single). */
    final: caseFinalSchema.optional(),
    /** The checker's comment when the report was returned. */
    returnComment: z.string().optional(),
    /** Why the case went to the committee. */
    committeeReason: z.string().optional(),
    /** Every transition, oldest first: who, when, from and to. */
    events: z.array(caseEventSchema),
  })
  .meta({ id: 'ReadingCase' })
export type ReadingCase = z.infer<typeof readingCaseSchema>

/**
 * A final judgement: a code of the reads' judgement scale (whether it sends the examinee for
 * further examination follows from the master), and why it was chosen.
 */
export const consensusRequestSchema = z
  .strictObject({ overallJudgement: z.string().min(1).max(32), reason: z.string().trim().min(1).max(2000) })
  .meta({ id: 'ConsensusRequest' })
export type ConsensusRequest = z.infer<typeof consensusRequestSchema>

export const committeeRequestSchema = z.strictObject({ reason: z.string().trim().min(1).max(2000) }).meta({ id: 'CommitteeRequest' })

export const committeeDecisionRequestSchema = consensusRequestSchema.meta({ id: 'CommitteeDecisionRequest' })

export const checkDecisionRequestSchema = z
  .discriminatedUnion('decision', [
    z.strictObject({ decision: z.literal('approve'), comment: z.string().max(2000).default('') }),
    /** Approve the checker's amended version: stored as a new version of the first report. */
    z.strictObject({ decision: z.literal('amend'), content: reportContentSchema, reason: z.string().trim().min(1).max(2000) }),
    z.strictObject({ decision: z.literal('return'), comment: z.string().trim().min(1).max(2000) }),
  ])
  .meta({ id: 'CheckDecisionRequest' })
export type CheckDecisionRequest = z.infer<typeof checkDecisionRequestSchema>

export const facilityModalityRateSchema = z
  .object({
    facilityId: z.string(),
    modality: z.string(),
    reads: z.number().int().nonnegative(),
    furtherExaminations: z.number().int().nonnegative(),
    /** 要精検率: further examinations / reads; null with no reads. */
    furtherExaminationRate: z.number().min(0).max(1).nullable(),
  })
  .meta({ id: 'FacilityModalityRate' })

export const readerStatisticsRowSchema = z
  .object({
    readerId: z.string(),
    readerName: z.string(),
    casesRead: z.number().int().nonnegative(),
    /** From the first open (start) to submission, in seconds; null when no read has a start time. */
    medianReadingSeconds: z.number().nonnegative().nullable(),
    /** Double-read cases where both reads are in. */
    comparedCases: z.number().int().nonnegative(),
    agreements: z.number().int().nonnegative(),
    agreementRate: z.number().min(0).max(1).nullable(),
    byFacilityModality: z.array(facilityModalityRateSchema),
  })
  .meta({ id: 'ReaderStatisticsRow' })

export const readerStatisticsSchema = z
  .object({
    /** Inclusive first day and exclusive end of the period, as ISO instants. */
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    readers: z.array(readerStatisticsRowSchema),
  })
  .meta({ id: 'ReaderStatistics' })
export type ReaderStatistics = z.infer<typeof readerStatisticsSchema>
