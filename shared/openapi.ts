/**
 * The OpenAPI 3.1 description of the reading server: the JSON API and the DICOMweb subset.
 * Component schemas are generated from the zod schemas in the contract, so the document cannot
 * drift from what the server validates. scripts/write-openapi.ts writes it to shared/openapi.json.
 */
import { z } from 'zod'
import {
  apiErrorSchema,
  apiPaths,
  assignmentSchema,
  cachePolicySchema,
  createAssignmentRequestSchema,
  healthResponseSchema,
  loginRequestSchema,
  loginResponseSchema,
  priorStudySchema,
  updateAssignmentRequestSchema,
  userSchema,
  WORKLIST_MAX_WAIT_SECONDS,
  worklistResponseSchema,
} from './api-contract.ts'
import { dicomJsonDatasetSchema, dicomJsonListSchema } from './dicom-json.ts'
import {
  bodyPartSchema,
  findingMasterSchema,
  findingSchema,
  judgementScaleSchema,
  reportContentSchema,
  validationRuleSchema,
} from './finding-master.ts'
import { keyImageRefSchema, measurementSchema } from './report-annotations.ts'
import {
  masterImportErrorSchema,
  masterImportRequestSchema,
  masterImportResultSchema,
  reportRejectedSchema,
  storedReportSchema,
  submitReportRequestSchema,
} from './report-contract.ts'

/** Version of the API contract described here (not of the application). */
export const OPENAPI_API_VERSION = '1.5.0'

import { dicomwebPathItems } from './openapi-dicomweb-paths.ts'
import { adminErrors, authErrors, errorResponse, jsonContent, queryParameter, ref, type Json } from './openapi-parts.ts'
import { casePathItems } from './openapi-case-paths.ts'
import { authPathItems } from './openapi-auth-paths.ts'
import { auditPathItems } from './openapi-audit-paths.ts'
import {
  changePasswordRequestSchema,
  refreshRequestSchema,
  totpConfirmRequestSchema,
  totpConfirmResponseSchema,
  totpEnrolmentRequestSchema,
  totpEnrolmentSchema,
} from './auth-contract.ts'
import { reportPathItems } from './openapi-report-paths.ts'
import {
  caseEventSchema,
  caseFinalSchema,
  caseReadSchema,
  checkDecisionRequestSchema,
  committeeDecisionRequestSchema,
  committeeRequestSchema,
  consensusRequestSchema,
  correctionRequestSchema,
  facilityModalityRateSchema,
  readerStatisticsRowSchema,
  readerStatisticsSchema,
  readingCaseSchema,
  reportVersionListSchema,
  reportVersionSchema,
} from './reading-case-contract.ts'

function componentSchemas(): Record<string, Json> {
  // A registry of its own, so schemas registered elsewhere in the process never leak in.
  const registry = z.registry<{ id: string }>()
  const named: Array<[z.ZodType, string]> = [
    [userSchema, 'User'],
    [loginRequestSchema, 'LoginRequest'],
    [loginResponseSchema, 'LoginResponse'],
    [apiErrorSchema, 'ApiError'],
    [priorStudySchema, 'PriorStudy'],
    [assignmentSchema, 'Assignment'],
    [cachePolicySchema, 'CachePolicy'],
    [worklistResponseSchema, 'WorklistResponse'],
    [createAssignmentRequestSchema, 'CreateAssignmentRequest'],
    [updateAssignmentRequestSchema, 'UpdateAssignmentRequest'],
    [healthResponseSchema, 'Health'],
    [dicomJsonDatasetSchema, 'DicomJsonDataset'],
    [dicomJsonListSchema, 'DicomJsonList'],
    [judgementScaleSchema, 'JudgementScale'],
    [bodyPartSchema, 'BodyPart'],
    [findingSchema, 'Finding'],
    [validationRuleSchema, 'ValidationRule'],
    [findingMasterSchema, 'FindingMaster'],
    [keyImageRefSchema, 'KeyImageRef'],
    [measurementSchema, 'Measurement'],
    [reportContentSchema, 'ReportContent'],
    [submitReportRequestSchema, 'SubmitReportRequest'],
    [storedReportSchema, 'StoredReport'],
    [reportRejectedSchema, 'ReportRejected'],
    [masterImportRequestSchema, 'MasterImportRequest'],
    [masterImportErrorSchema, 'MasterImportError'],
    [masterImportResultSchema, 'MasterImportResult'],
    [reportVersionSchema, 'ReportVersion'],
    [reportVersionListSchema, 'ReportVersionList'],
    [correctionRequestSchema, 'CorrectionRequest'],
    [caseReadSchema, 'CaseRead'],
    [caseFinalSchema, 'CaseFinal'],
    [caseEventSchema, 'CaseEvent'],
    [readingCaseSchema, 'ReadingCase'],
    [consensusRequestSchema, 'ConsensusRequest'],
    [committeeRequestSchema, 'CommitteeRequest'],
    [committeeDecisionRequestSchema, 'CommitteeDecisionRequest'],
    [checkDecisionRequestSchema, 'CheckDecisionRequest'],
    [facilityModalityRateSchema, 'FacilityModalityRate'],
    [readerStatisticsRowSchema, 'ReaderStatisticsRow'],
    [readerStatisticsSchema, 'ReaderStatistics'],
    [refreshRequestSchema, 'RefreshRequest'],
    [totpEnrolmentRequestSchema, 'TotpEnrolmentRequest'],
    [totpEnrolmentSchema, 'TotpEnrolment'],
    [totpConfirmRequestSchema, 'TotpConfirmRequest'],
    [totpConfirmResponseSchema, 'TotpConfirmResponse'],
    [changePasswordRequestSchema, 'ChangePasswordRequest'],
  ]
  for (const [schema, id] of named) registry.add(schema, { id })
  const { schemas } = z.toJSONSchema(registry, { uri: (id) => `#/components/schemas/${id}` })
  const out: Record<string, Json> = {}
  for (const [name, schema] of Object.entries(schemas)) {
    // $schema and $id are noise inside an OpenAPI document, whose dialect is JSON Schema 2020-12 already.
    const copy: Json = { ...(schema as Json) }
    delete copy.$schema
    delete copy.$id
    out[name] = copy
  }
  return out
}

const etagHeader = {
  ETag: { description: 'The worklist version in quotes: `"<version>"`.', schema: { type: 'string' } },
}

const assignmentIdParam = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'Assignment id.',
  schema: { type: 'string', minLength: 1 },
}

/** The whole document; deterministic, so the committed JSON can be compared with it. */
export function buildOpenApiDocument(): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Reading server API',
      version: OPENAPI_API_VERSION,
      description:
        'JSON API of the teleradiology reading server (sign-in, worklist, assignment administration) and the DICOMweb subset (QIDO-RS, WADO-RS) the reading workstation uses. Every endpoint except login, health and this document needs a bearer token from login.',
    },
    security: [{ bearerAuth: [] }],
    paths: {
      ...authPathItems(),
      [apiPaths.worklist]: {
        get: {
          operationId: 'getWorklist',
          summary: "The caller's assignments: STAT, then urgent, then routine; earliest due first within each.",
          description:
            'Each assignment lists its priors (earlier studies of the same patient at the same facility, most recent first, at most 5), which the caller may retrieve too. The response carries a version, also sent as the ETag. With If-None-Match naming the current version the server answers 304 at once, or, given waitSeconds, holds the request until the worklist changes (200 with the new worklist) or the time is up (304): a long-poll.',
          parameters: [
            queryParameter('waitSeconds', `Long-poll: with a matching If-None-Match, wait up to this many seconds for a change (1 to ${WORKLIST_MAX_WAIT_SECONDS}).`, {
              type: 'integer',
              minimum: 1,
              maximum: WORKLIST_MAX_WAIT_SECONDS,
            }),
            {
              name: 'If-None-Match',
              in: 'header',
              required: false,
              description: 'The ETag of the worklist the caller has, e.g. `"<version>"`.',
              schema: { type: 'string' },
            },
          ],
          responses: {
            '200': { description: 'The worklist (changed, or no If-None-Match given).', headers: etagHeader, content: jsonContent(ref('WorklistResponse')) },
            '304': { description: 'Unchanged since the version in If-None-Match (at once, or when waitSeconds ran out). No body.', headers: etagHeader },
            '400': errorResponse(`waitSeconds is not a whole number from 1 to ${WORKLIST_MAX_WAIT_SECONDS}.`),
            ...authErrors,
          },
        },
      },
      [apiPaths.adminAssignments]: {
        post: {
          operationId: 'createAssignment',
          summary: 'Admin: assign a study to a reader or checker. Wakes their worklist long-polls.',
          requestBody: { required: true, content: jsonContent(ref('CreateAssignmentRequest')) },
          responses: {
            '201': {
              description: 'The created assignment, as the worklist shows it.',
              headers: { Location: { description: 'The assignment\'s path.', schema: { type: 'string' } } },
              content: jsonContent(ref('Assignment')),
            },
            '400': errorResponse('The body is invalid, the user is not a reader or checker, or they already have this reading of the study.'),
            ...adminErrors,
            '404': errorResponse('The study does not exist.'),
          },
        },
      },
      [`${apiPaths.adminAssignments}/{id}`]: {
        patch: {
          operationId: 'updateAssignment',
          summary: "Admin: change an assignment's status. Wakes the reader's worklist long-polls.",
          parameters: [assignmentIdParam],
          requestBody: { required: true, content: jsonContent(ref('UpdateAssignmentRequest')) },
          responses: {
            '200': { description: 'The changed assignment.', content: jsonContent(ref('Assignment')) },
            '400': errorResponse('The body is invalid.'),
            ...adminErrors,
            '404': errorResponse('No assignment has this id.'),
          },
        },
        delete: {
          operationId: 'deleteAssignment',
          summary: "Admin: remove an assignment; the study leaves the reader's worklist. Wakes their worklist long-polls.",
          parameters: [assignmentIdParam],
          responses: {
            '204': { description: 'Removed.' },
            ...adminErrors,
            '404': errorResponse('No assignment has this id.'),
          },
        },
      },
      ...reportPathItems(assignmentIdParam),
      ...casePathItems(),
      ...auditPathItems(),
      [apiPaths.health]: {
        get: {
          operationId: 'getHealth',
          summary: 'Liveness and version.',
          security: [],
          responses: { '200': { description: 'The server is up.', content: jsonContent(ref('Health')) } },
        },
      },
      [apiPaths.openapi]: {
        get: {
          operationId: 'getOpenApi',
          summary: 'This document.',
          security: [],
          responses: { '200': { description: 'OpenAPI 3.1 document.', content: jsonContent({ type: 'object' }) } },
        },
      },
      ...dicomwebPathItems(),
    },
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'Access token from login or refresh; expires after 15 minutes by default.' } },
      schemas: componentSchemas(),
    },
  }
}
