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
  healthResponseSchema,
  loginRequestSchema,
  loginResponseSchema,
  userSchema,
  worklistResponseSchema,
} from './api-contract.ts'
import { dicomJsonDatasetSchema, dicomJsonListSchema } from './dicom-json.ts'
import { DICOM_JSON_MEDIA_TYPE, DICOM_PART10_MEDIA_TYPE, DICOMWEB_ROOT } from './dicomweb-paths.ts'

/** Version of the API contract described here (not of the application). */
export const OPENAPI_API_VERSION = '1.0.0'

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
    [assignmentSchema, 'Assignment'],
    [worklistResponseSchema, 'WorklistResponse'],
    [healthResponseSchema, 'Health'],
    [dicomJsonDatasetSchema, 'DicomJsonDataset'],
    [dicomJsonListSchema, 'DicomJsonList'],
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

const studyErrors = {
  ...authErrors,
  '400': errorResponse('A path parameter is not a DICOM UID, or a query parameter is malformed.'),
  '403': errorResponse('The study is not assigned to the caller.'),
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

/** The whole document; deterministic, so the committed JSON can be compared with it. */
export function buildOpenApiDocument(): Json {
  const dw = (path: string) => `${DICOMWEB_ROOT}${path}`
  return {
    openapi: '3.1.0',
    info: {
      title: 'Reading server API',
      version: OPENAPI_API_VERSION,
      description:
        'JSON API of the teleradiology reading server (sign-in, worklist) and the DICOMweb subset (QIDO-RS, WADO-RS) the reading workstation uses. Every endpoint except login, health and this document needs a bearer token from login.',
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
          responses: {
            '200': { description: 'The worklist.', content: jsonContent(ref('WorklistResponse')) },
            ...authErrors,
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
          summary: 'QIDO-RS study search, limited to the studies assigned to the caller (all studies for an admin).',
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
