/**
 * The reading server's HTTP API: one source of truth for both sides.
 * Every request and response body has a runtime schema; the server validates what it
 * receives and sends, the client validates what it gets back.
 */
import { z } from 'zod'
import { ASSIGNMENT_STATUSES, CASE_STATUSES, PATIENT_DISPLAY_POLICIES, PRIORITIES, READING_TYPES, ROLES, WORKFLOWS } from './domain.ts'

export const API_PREFIX = '/api/v1'

export const apiPaths = {
  login: `${API_PREFIX}/auth/login`,
  logout: `${API_PREFIX}/auth/logout`,
  me: `${API_PREFIX}/me`,
  worklist: `${API_PREFIX}/worklist`,
  health: `${API_PREFIX}/health`,
  /** Admin: create an assignment (used by reading-service staff and tests). */
  adminAssignments: `${API_PREFIX}/admin/assignments`,
  openapi: `${API_PREFIX}/openapi.json`,
} as const

export const userSchema = z
  .object({
    id: z.string().min(1),
    username: z.string().min(1),
    displayName: z.string(),
    role: z.enum(ROLES),
  })
  .meta({ id: 'User' })
export type User = z.infer<typeof userSchema>

export const loginRequestSchema = z
  .object({
    username: z.string().trim().min(1).max(64),
    password: z.string().min(1).max(256),
    /**
     * The authenticator's current 6-digit code, for a user with TOTP enrolled. Without it (and
     * without recoveryCode) such a user's correct password answers 401 "totp-required".
     */
    totpCode: z.string().regex(/^\d{6}$/).optional(),
    /** Instead of totpCode: one of the user's one-time recovery codes (used up by this login). */
    recoveryCode: z.string().trim().min(8).max(64).optional(),
  })
  .meta({ id: 'LoginRequest' })
export type LoginRequest = z.infer<typeof loginRequestSchema>

export const loginResponseSchema = z
  .object({
    accessToken: z.string().min(20),
    /** ISO 8601 instant after which the token is refused. */
    expiresAt: z.iso.datetime(),
    user: userSchema,
    /**
     * Exchanged at auth/refresh for a new access token (and a new refresh token: each is used
     * once). Optional only so older servers still parse; this server always sends it.
     */
    refreshToken: z.string().min(20).optional(),
    /** ISO 8601 instant after which the refresh token is refused and the user signs in again. */
    refreshExpiresAt: z.iso.datetime().optional(),
    /** The user has TOTP enrolled (otherwise the workstation offers enrolment). */
    totpEnabled: z.boolean().optional(),
  })
  .meta({ id: 'LoginResponse' })
export type LoginResponse = z.infer<typeof loginResponseSchema>

/**
 * Long-poll for worklist changes: GET worklist with `If-None-Match: "<version>"` and
 * `?waitSeconds=N` (at most this) answers 304 after up to N seconds when nothing changed,
 * or 200 with the new worklist as soon as it does.
 */
export const WORKLIST_MAX_WAIT_SECONDS = 30

/** Machine-readable error codes; the workstation maps each to a translated message. */
export const API_ERROR_CODES = [
  'invalid-credentials',
  'unauthenticated',
  'token-expired',
  'forbidden',
  'not-found',
  'bad-request',
  'internal',
  /** The assignment already has a report (submitted with another idempotency key). */
  'already-submitted',
  /** The report breaks the finding master's rules (body: ReportRejected). */
  'report-invalid',
  /** A master import has bad rows (body: MasterImportError). */
  'master-invalid',
  /** The reading case is not in a state that allows this (e.g. a consensus before both reads are in). */
  'invalid-transition',
  /** Routing refused: the same reader cannot hold two reads of one case. */
  'same-reader',
  // sec-auth (issue 7): log-in throttling, two-factor login, password policy
  /** Too many failed log-ins for this user name or from this address: locked until retryAfterSeconds pass (429). */
  'too-many-attempts',
  /** The password is right and the user has TOTP: send it again with totpCode or recoveryCode (401). */
  'totp-required',
  /** A new password breaks the password policy (400). */
  'password-policy',
  /** The request conflicts with the current state, e.g. TOTP enrolment for a user who has it (409). */
  'conflict',
] as const
export type ApiErrorCode = (typeof API_ERROR_CODES)[number]

export const apiErrorSchema = z
  .object({
    error: z.enum(API_ERROR_CODES),
    message: z.string(),
    /** With "too-many-attempts": seconds until a log-in may be tried again (also the Retry-After header). */
    retryAfterSeconds: z.number().int().positive().optional(),
  })
  .meta({ id: 'ApiError' })
export type ApiError = z.infer<typeof apiErrorSchema>

/** An earlier study of the same patient that the reader should compare with (a prior). */
export const priorStudySchema = z
  .object({
    studyInstanceUid: z.string().min(1),
    /** DICOM DA (YYYYMMDD); empty when unknown. */
    studyDate: z.string(),
    modalities: z.array(z.string()),
    studyDescription: z.string(),
    instanceCount: z.number().int().nonnegative(),
  })
  .meta({ id: 'PriorStudy' })
export type PriorStudy = z.infer<typeof priorStudySchema>

export const assignmentSchema = z
  .object({
    id: z.string().min(1),
    studyInstanceUid: z.string().min(1),
    facilityId: z.string().min(1),
    facilityName: z.string(),
    /** The patient's name, or the facility's anonymised label when its policy says so. */
    patientDisplay: z.string(),
    patientDisplayPolicy: z.enum(PATIENT_DISPLAY_POLICIES),
    patientSex: z.string(),
    patientAge: z.string(),
    modalities: z.array(z.string()),
    bodyPart: z.string(),
    studyDescription: z.string(),
    /** DICOM DA (YYYYMMDD) as stored in the study; empty when the study has none. */
    studyDate: z.string(),
    seriesCount: z.number().int().nonnegative(),
    instanceCount: z.number().int().nonnegative(),
    priority: z.enum(PRIORITIES),
    readingType: z.enum(READING_TYPES),
    status: z.enum(ASSIGNMENT_STATUSES),
    dueAt: z.iso.datetime(),
    assignedAt: z.iso.datetime(),
    /** Relevant priors of the same patient, most recent first; the reader may retrieve them too. */
    priors: z.array(priorStudySchema),
    /** The reading case this assignment is part of: its workflow and where it stands. */
    readingCase: z
      .object({
        id: z.string().min(1),
        workflow: z.enum(WORKFLOWS),
        status: z.enum(CASE_STATUSES),
        /** This reader's part is done and the case waits on another reader (or the comparison). */
        waitingOnOthers: z.boolean(),
      })
      .optional(),
  })
  .meta({ id: 'Assignment' })
export type Assignment = z.infer<typeof assignmentSchema>

/** What the server wants of the workstations' local caches. */
export const cachePolicySchema = z
  .object({
    /** Days a submitted study may stay in a workstation's cache. */
    retentionDays: z.number().int().min(0).max(365),
  })
  .meta({ id: 'CachePolicy' })
export type CachePolicy = z.infer<typeof cachePolicySchema>

export const worklistResponseSchema = z
  .object({
    assignments: z.array(assignmentSchema),
    serverTime: z.iso.datetime(),
    /** Changes whenever the caller's worklist changes; also sent as the ETag header. */
    version: z.string().min(1),
    cachePolicy: cachePolicySchema,
  })
  .meta({ id: 'WorklistResponse' })
export type WorklistResponse = z.infer<typeof worklistResponseSchema>

export const createAssignmentRequestSchema = z
  .object({
    studyInstanceUid: z.string().min(1),
    /**
     * The reader or checker. Left out for a second read, comparison or check, the server routes it:
     * to the least busy user not already in the study's reading case (checkers first for a
     * comparison or check). A first read must name its reader.
     */
    username: z.string().min(1).optional(),
    readingType: z.enum(READING_TYPES),
    priority: z.enum(PRIORITIES),
    dueAt: z.iso.datetime(),
  })
  .meta({ id: 'CreateAssignmentRequest' })
export type CreateAssignmentRequest = z.infer<typeof createAssignmentRequestSchema>

/**
 * Admin: PATCH an assignment (path `${apiPaths.adminAssignments}/{id}`). Only the status can
 * change; unknown fields are refused rather than ignored, so a client never believes it
 * changed something it did not.
 */
export const updateAssignmentRequestSchema = z
  .strictObject({
    status: z.enum(ASSIGNMENT_STATUSES),
  })
  .meta({ id: 'UpdateAssignmentRequest' })
export type UpdateAssignmentRequest = z.infer<typeof updateAssignmentRequestSchema>

export const healthResponseSchema = z
  .object({ status: z.literal('ok'), version: z.string() })
  .meta({ id: 'Health' })
export type HealthResponse = z.infer<typeof healthResponseSchema>
