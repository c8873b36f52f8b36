/**
 * The facility's finding master (部位・所見マスター) as data: judgement scales, body parts,
 * findings and validation rules. The server stores and serves it per facility and version;
 * the report editor and the server both validate reports against it (report-rules.ts).
 */
import { z } from 'zod'
import { keyImageRefSchema, measurementSchema } from './report-annotations.ts'

const bilingual = z.object({ ja: z.string().min(1), en: z.string().min(1) })

export const judgementValueSchema = z.object({
  code: z.string().min(1).max(8),
  label: bilingual,
  /** Order of severity: higher is worse. */
  rank: z.number().int(),
  /** Within the normal range (no location needed, compatible with "no abnormal findings"). */
  normal: z.boolean(),
  /** This judgement sends the examinee for further examination (要精検). */
  requiresFurtherExamination: z.boolean(),
})
export type JudgementValue = z.infer<typeof judgementValueSchema>

export const judgementScaleSchema = z
  .object({
    code: z.string().min(1).max(32),
    name: bilingual,
    values: z.array(judgementValueSchema).min(1),
  })
  .meta({ id: 'JudgementScale' })
export type JudgementScale = z.infer<typeof judgementScaleSchema>

export const bodyPartSchema = z
  .object({
    code: z.string().min(1).max(32),
    name: bilingual,
    /** Kana reading for type-ahead search (よみ). */
    kana: z.string(),
    /** JJ1017 code where one exists. */
    jj1017: z.string().optional(),
    lateralityApplies: z.boolean(),
  })
  .meta({ id: 'BodyPart' })
export type BodyPart = z.infer<typeof bodyPartSchema>

export const findingSchema = z
  .object({
    code: z.string().min(1).max(32),
    name: bilingual,
    kana: z.string(),
    bodyParts: z.array(z.string()).min(1),
    modalities: z.array(z.string()).min(1),
    scale: z.string(),
    allowedJudgements: z.array(z.string()).min(1),
    defaultJudgement: z.string(),
    /** Template sentence; fill-in fields as {{location}}, {{size}}, {{laterality}}. */
    template: bilingual,
    /** The "no abnormal findings" entry (異常なし), exclusive of every other finding. */
    noAbnormality: z.boolean().default(false),
  })
  .meta({ id: 'Finding' })
export type Finding = z.infer<typeof findingSchema>

export const VALIDATION_RULE_KINDS = ['location-required-above-normal', 'no-abnormality-exclusive', 'overall-at-least-worst'] as const

export const validationRuleSchema = z
  .object({ kind: z.enum(VALIDATION_RULE_KINDS), message: bilingual })
  .meta({ id: 'ValidationRule' })
export type ValidationRule = z.infer<typeof validationRuleSchema>

export const findingMasterSchema = z
  .object({
    facilityId: z.string().min(1),
    version: z.number().int().positive(),
    name: bilingual,
    /** A version used by a submitted report never changes again. */
    frozen: z.boolean(),
    scales: z.array(judgementScaleSchema).min(1),
    bodyParts: z.array(bodyPartSchema).min(1),
    findings: z.array(findingSchema).min(1),
    rules: z.array(validationRuleSchema),
  })
  .meta({ id: 'FindingMaster' })
export type FindingMaster = z.infer<typeof findingMasterSchema>

export const LATERALITIES = ['R', 'L', 'B'] as const

export const reportFindingSchema = z.object({
  findingCode: z.string().min(1),
  bodyPartCode: z.string().min(1),
  laterality: z.enum(LATERALITIES).optional(),
  judgement: z.string().min(1),
  location: z.string().max(200).optional(),
  size: z.string().max(50).optional(),
  /** SOP Instance UIDs of key images linked to this finding. */
  keyImages: z.array(z.string()).default([]),
  /** IDs of measurements (from the viewer) linked to this finding. */
  measurements: z.array(z.string()).default([]),
})
export type ReportFinding = z.infer<typeof reportFindingSchema>

export const reportContentSchema = z
  .object({
    masterVersion: z.number().int().positive(),
    scale: z.string().min(1),
    findings: z.array(reportFindingSchema),
    /** The reader's overall judgement when it differs from the computed one, with the reason. */
    overallOverride: z.object({ judgement: z.string().min(1), reason: z.string().max(500) }).optional(),
    impression: z.string().max(20_000),
    comments: z.string().max(20_000),
    /** Images the reader marked as key images (K); drafts of an older version have none. */
    keyImages: z.array(keyImageRefSchema).max(200).default([]),
    /** Measurements made in the viewer, which findings link by id. */
    measurements: z.array(measurementSchema).max(500).default([]),
    /** Study Instance UIDs of the priors the reader compared with (kept in the case record). */
    priorsCompared: z.array(z.string().min(1).max(64)).max(50).optional(),
    /** The reader asks for comparison with priors (要比較読影) before a final judgement. */
    needsPriorComparison: z.boolean().optional(),
  })
  .meta({ id: 'ReportContent' })
export type ReportContent = z.infer<typeof reportContentSchema>

/** A problem the rules found, translated, and what it concerns (a finding's index, or the whole report). */
export interface ReportIssue {
  rule: (typeof VALIDATION_RULE_KINDS)[number] | 'unknown-code' | 'judgement-not-allowed' | 'override-invalid'
  findingIndex?: number
  message: { ja: string; en: string }
}
