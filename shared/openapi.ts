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
import { DICOM_JSON_MEDIA_TYPE, DICOM_PART10_MEDIA_TYPE, DICOMWEB_ROOT } from './dicomweb-paths.ts'
import {
  bodyPartSchema,
  findingMasterSchema,
  findingSchema,
  judgementScaleSchema,
  reportContentSchema,
  validationRuleSchema,
} from './finding-master.ts'
import {
  DICOM_SR_MEDIA_TYPE,
  FHIR_JSON_MEDIA_TYPE,
  IDEMPOTENCY_KEY_HEADER,
  MASTER_CSV_COLUMNS,
  MASTER_CSV_ROW_COLUMNS,
  masterImportErrorSchema,
  masterImportRequestSchema,
  masterImportResultSchema,
  reportPaths,
  reportRejectedSchema,
  storedReportSchema,
  submitReportRequestSchema,
} from './report-contract.ts'

/** Version of the API contract described here (not of the application). */
export const OPENAPI_API_VERSION = '1.2.0'

type Json = Record<string, unknown>

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` })

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
    [reportContentSchema, 'ReportContent'],
    [submitReportRequestSchema, 'SubmitReportRequest'],
    [storedReportSchema, 'StoredReport'],
    [reportRejectedSchema, 'ReportRejected'],
    [masterImportRequestSchema, 'MasterImportRequest'],
    [masterImportErrorSchema, 'MasterImportError'],
    [masterImportResultSchema, 'MasterImportResult'],
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

const jsonContent = (schema: Json) => ({ 'application/json': { schema } })

const errorResponse = (description: string) => ({ description, content: jsonContent(ref('ApiError')) })

const authErrors = {
  '401': errorResponse('Missing, unknown, revoked (error "unauthenticated") or expired ("token-expired") bearer token.'),
}

const adminErrors = {
  ...authErrors,
  '403': errorResponse('The caller is not an admin (error "forbidden").'),
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

const studyErrors = {
  ...authErrors,
  '400': errorResponse('A path parameter is not a DICOM UID, or a query parameter is malformed.'),
  '403': errorResponse('The study is neither assigned to the caller nor a listed prior of one of their assignments.'),
  '404': errorResponse('The study, series or instance does not exist.'),
}

const uidParameter = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string', pattern: '^[0-9.]{1,64}$' },
})

const studyParam = uidParameter('study', 'Study Instance UID')
const seriesParam = uidParameter('series', 'Series Instance UID')
const sopParam = uidParameter('sop', 'SOP Instance UID')

const queryParameter = (name: string, description: string, schema: Json = { type: 'string' }) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
})

const pagingParameters = [
  queryParameter('limit', 'Maximum number of results (at most 1000).', { type: 'integer', minimum: 0 }),
  queryParameter('offset', 'Number of results to skip.', { type: 'integer', minimum: 0 }),
]

const dicomJsonResponse = (description: string) => ({
  '200': { description, content: { [DICOM_JSON_MEDIA_TYPE]: { schema: ref('DicomJsonList') } } },
  ...studyErrors,
})

/** An OpenAPI path template ("/assignments/{id}/report") from one of the contract's path builders, which encode their argument. */
export function pathTemplate(build: (value: string) => string, parameter: string): string {
  return build('PATH-PARAMETER').replace('PATH-PARAMETER', `{${parameter}}`)
}

const reportAssignmentErrors = {
  ...authErrors,
  '403': errorResponse('The assignment is not the caller\'s (readers and checkers see their own; a checker also sees the reports of studies they check; admins see all).'),
  '404': errorResponse('No assignment has this id.'),
}

const reportIdParam = { name: 'id', in: 'path', required: true, description: 'Report id.', schema: { type: 'string', minLength: 1 } }

const reportExportErrors = {
  ...authErrors,
  '403': errorResponse("The caller may not read this report (not their assignment's, nor a study they check)."),
  '404': errorResponse('No report has this id.'),
}

const csvFormatDescription = [
  'CSV import (Content-Type `text/csv`, UTF-8 unless a charset parameter names another, e.g. `text/csv; charset=shift_jis`): one file, a header row naming the columns (any order; unknown names are refused), then one row per item; its `kind` column says what the row defines. Columns a kind does not use must be empty; lists are separated by `|`; booleans are `true`/`false`; blank lines and lines starting with `#` are ignored.',
  `Columns: ${MASTER_CSV_COLUMNS.join(', ')}.`,
  ...Object.entries(MASTER_CSV_ROW_COLUMNS).map(
    ([kind, { required, optional }]) => `- \`${kind}\`: ${required.join(', ')}${optional.length > 0 ? ` (optional: ${optional.join(', ')})` : ''}`,
  ),
  'A `master` row (exactly one) gives the name; `judgement` rows name their scale in `scale`; a `rule` row gives the rule kind in `code`. Errors name the line (`line 7`), or `file` for the file as a whole.',
].join('\n')

/** The whole document; deterministic, so the committed JSON can be compared with it. */
export function buildOpenApiDocument(): Json {
  const dw = (path: string) => `${DICOMWEB_ROOT}${path}`
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
      [apiPaths.login]: {
        post: {
          operationId: 'login',
          summary: 'Sign in with a user name and password; returns a bearer token.',
          security: [],
          requestBody: { required: true, content: jsonContent(ref('LoginRequest')) },
          responses: {
            '200': { description: 'Signed in.', content: jsonContent(ref('LoginResponse')) },
            '400': errorResponse('The body is not a valid login request.'),
            '401': errorResponse('Unknown user or wrong password (error "invalid-credentials"; the two are not distinguished).'),
          },
        },
      },
      [apiPaths.logout]: {
        post: {
          operationId: 'logout',
          summary: 'Revoke the bearer token used for this request.',
          responses: { '204': { description: 'The token is revoked.' }, ...authErrors },
        },
      },
      [apiPaths.me]: {
        get: {
          operationId: 'getMe',
          summary: 'The signed-in user.',
          responses: { '200': { description: 'The user.', content: jsonContent(ref('User')) }, ...authErrors },
        },
      },
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
      [pathTemplate(reportPaths.assignmentMaster, 'id')]: {
        get: {
          operationId: 'getAssignmentMaster',
          summary: "The finding master version this assignment is reported against: the facility's newest, or the one its submitted report used.",
          parameters: [assignmentIdParam],
          responses: {
            '200': { description: 'The master version.', content: jsonContent(ref('FindingMaster')) },
            ...reportAssignmentErrors,
            '404': errorResponse('No assignment has this id, or its facility has no finding master yet.'),
          },
        },
      },
      [pathTemplate(reportPaths.assignmentReport, 'id')]: {
        get: {
          operationId: 'getAssignmentReport',
          summary: "The assignment's submitted report.",
          parameters: [assignmentIdParam],
          responses: {
            '200': { description: 'The stored report.', content: jsonContent(ref('StoredReport')) },
            ...reportAssignmentErrors,
            '404': errorResponse('No assignment has this id, or it has no report yet.'),
          },
        },
        post: {
          operationId: 'submitReport',
          summary: 'Submit the report, exactly once. Retry with the same Idempotency-Key until an answer arrives.',
          description:
            "The content is validated against the master version it names (content.masterVersion; any existing version of the facility's master, not only the newest) with the master's rules. On success the report, the assignment's status (submitted) and the frozen master version are stored in one transaction, and the reader's worklist long-polls wake. The same key again answers 200 with the stored report (also when the first answer was lost); concurrent duplicates store one report.",
          parameters: [
            assignmentIdParam,
            {
              name: IDEMPOTENCY_KEY_HEADER,
              in: 'header',
              required: true,
              description: 'A key made once per report (a UUID), sent again unchanged with every retry: 8 to 128 visible ASCII characters.',
              schema: { type: 'string', minLength: 8, maxLength: 128, pattern: '^[\\x21-\\x7e]+$' },
            },
          ],
          requestBody: { required: true, content: jsonContent(ref('SubmitReportRequest')) },
          responses: {
            '201': {
              description: 'Stored.',
              headers: { Location: { description: "The report's path.", schema: { type: 'string' } } },
              content: jsonContent(ref('StoredReport')),
            },
            '200': { description: 'Stored before under this key (a retry): the stored report.', content: jsonContent(ref('StoredReport')) },
            '400': errorResponse('The Idempotency-Key header is missing or malformed, the body is invalid, or the key was used for another assignment.'),
            ...reportAssignmentErrors,
            '403': errorResponse('Only the assignment\'s own reader (or checker) and admins may submit it.'),
            '409': errorResponse('The assignment already has a report, stored under another key (error "already-submitted").'),
            '422': {
              description:
                'The report breaks the master\'s rules, or names a master version the facility does not have (rule "unknown-master-version"); the issues are those the editor shows.',
              content: jsonContent(ref('ReportRejected')),
            },
          },
        },
      },
      [pathTemplate(reportPaths.reportFhir, 'id')]: {
        get: {
          operationId: 'getReportFhir',
          summary: 'The report as a FHIR R4 DiagnosticReport with one contained Observation per finding.',
          parameters: [reportIdParam],
          responses: {
            '200': { description: 'DiagnosticReport (status final).', content: { [FHIR_JSON_MEDIA_TYPE]: { schema: { type: 'object' } } } },
            ...reportExportErrors,
          },
        },
      },
      [pathTemplate(reportPaths.reportSr, 'id')]: {
        get: {
          operationId: 'getReportSr',
          summary: 'The report as a DICOM Basic Text SR (Part-10, Explicit VR Little Endian, ISO_IR 192) in the imaged study; the same UIDs on every export.',
          parameters: [reportIdParam],
          responses: {
            '200': { description: 'The SR file.', content: { [DICOM_SR_MEDIA_TYPE]: { schema: { type: 'string', format: 'binary' } } } },
            ...reportExportErrors,
          },
        },
      },
      [pathTemplate(reportPaths.adminFacilityMasters, 'facilityId')]: {
        post: {
          operationId: 'importFacilityMaster',
          summary: "Admin: import a new version of a facility's finding master, as JSON or CSV. Existing versions never change.",
          description: csvFormatDescription,
          parameters: [{ name: 'facilityId', in: 'path', required: true, description: 'Facility id.', schema: { type: 'string', minLength: 1 } }],
          requestBody: {
            required: true,
            content: { ...jsonContent(ref('MasterImportRequest')), 'text/csv': { schema: { type: 'string' } } },
          },
          responses: {
            '201': { description: 'Stored as the facility\'s next version.', content: jsonContent(ref('MasterImportResult')) },
            '400': {
              description: 'Every bad row (JSON pointer such as /findings/3/defaultJudgement, or CSV line), nothing stored; or (ApiError) a CSV whose bytes do not match its charset.',
              content: jsonContent(ref('MasterImportError')),
            },
            ...adminErrors,
            '404': errorResponse('No facility has this id.'),
          },
        },
      },
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
      [dw('/studies')]: {
        get: {
          operationId: 'searchStudies',
          summary: 'QIDO-RS study search, limited to the studies assigned to the caller and their listed priors (all studies for an admin).',
          parameters: [
            queryParameter('PatientID', 'Patient ID; * and ? wildcards allowed. Also accepted as 00100020.'),
            queryParameter('StudyInstanceUID', 'One or more UIDs separated by commas. Also accepted as 0020000D.'),
            queryParameter('ModalitiesInStudy', 'Modality, e.g. CT. Also accepted as 00080061.'),
            queryParameter('StudyDate', 'YYYYMMDD or a range YYYYMMDD-YYYYMMDD. Also accepted as 00080020.'),
            queryParameter('AccessionNumber', 'Accession number; * and ? wildcards allowed. Also accepted as 00080050.'),
            ...pagingParameters,
          ],
          responses: dicomJsonResponse('Matching studies with study-level attributes.'),
        },
      },
      [dw('/studies/{study}/series')]: {
        get: {
          operationId: 'searchSeries',
          summary: 'QIDO-RS series search within a study.',
          parameters: [
            studyParam,
            queryParameter('SeriesInstanceUID', 'One or more UIDs separated by commas.'),
            queryParameter('Modality', 'Modality, e.g. MR.'),
            ...pagingParameters,
          ],
          responses: dicomJsonResponse('Series with series-level attributes.'),
        },
      },
      [dw('/studies/{study}/instances')]: {
        get: {
          operationId: 'searchStudyInstances',
          summary: 'QIDO-RS instance search within a study.',
          parameters: [studyParam, queryParameter('SOPInstanceUID', 'One or more UIDs separated by commas.'), ...pagingParameters],
          responses: dicomJsonResponse('Instances with instance-level attributes.'),
        },
      },
      [dw('/studies/{study}/series/{series}/instances')]: {
        get: {
          operationId: 'searchSeriesInstances',
          summary: 'QIDO-RS instance search within a series.',
          parameters: [studyParam, seriesParam, queryParameter('SOPInstanceUID', 'One or more UIDs separated by commas.'), ...pagingParameters],
          responses: dicomJsonResponse('Instances with instance-level attributes.'),
        },
      },
      [dw('/studies/{study}/series/{series}/instances/{sop}')]: {
        get: {
          operationId: 'retrieveInstance',
          summary: 'WADO-RS instance retrieval: the stored Part-10 file, unchanged, as one part of a multipart/related body.',
          parameters: [studyParam, seriesParam, sopParam],
          responses: {
            '200': {
              description: `multipart/related; type="${DICOM_PART10_MEDIA_TYPE}" with one part holding the file.`,
              content: { 'multipart/related': { schema: { type: 'string', format: 'binary' } } },
            },
            ...studyErrors,
          },
        },
      },
      [dw('/studies/{study}/metadata')]: {
        get: {
          operationId: 'retrieveStudyMetadata',
          summary: 'WADO-RS metadata of every instance in the study, built from the stored files.',
          parameters: [studyParam],
          responses: dicomJsonResponse('One dataset per instance, in series and instance order.'),
        },
      },
      [dw('/studies/{study}/series/{series}/metadata')]: {
        get: {
          operationId: 'retrieveSeriesMetadata',
          summary: 'WADO-RS metadata of every instance in the series, built from the stored files.',
          parameters: [studyParam, seriesParam],
          responses: dicomJsonResponse('One dataset per instance, in instance order.'),
        },
      },
    },
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'Token from login; expires (8 hours by default).' } },
      schemas: componentSchemas(),
    },
  }
}
