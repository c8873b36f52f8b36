/** The DICOMweb subset's paths (QIDO-RS, WADO-RS) in the OpenAPI document. */
import { DICOM_JSON_MEDIA_TYPE, DICOM_PART10_MEDIA_TYPE, DICOMWEB_ROOT } from './dicomweb-paths.ts'
import { authErrors, errorResponse, queryParameter, ref, type Json } from './openapi-parts.ts'

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


const pagingParameters = [
  queryParameter('limit', 'Maximum number of results (at most 1000).', { type: 'integer', minimum: 0 }),
  queryParameter('offset', 'Number of results to skip.', { type: 'integer', minimum: 0 }),
]

const dicomJsonResponse = (description: string) => ({
  '200': { description, content: { [DICOM_JSON_MEDIA_TYPE]: { schema: ref('DicomJsonList') } } },
  ...studyErrors,
})

/** Path items of the DICOMweb subset, keyed by path under the service root. */
export function dicomwebPathItems(): Json {
  const dw = (path: string) => `${DICOMWEB_ROOT}${path}`
  return {
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
            description:
              `multipart/related; type="${DICOM_PART10_MEDIA_TYPE}" with one part holding the file. The part's headers give its ` +
              'Content-Length and a Content-Digest (RFC 9530) with the SHA-256 of the file as it was imported, e.g. ' +
              '`Content-Digest: sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:`; a client checks both before it keeps the bytes ' +
              '(a mismatch means the answer was cut or altered on the way, or the stored file was damaged: retry, never keep).',
            content: {
              'multipart/related': {
                schema: { type: 'object', properties: { instance: { type: 'string', format: 'binary' } } },
                encoding: {
                  instance: {
                    contentType: DICOM_PART10_MEDIA_TYPE,
                    headers: {
                      'Content-Length': { description: 'The length of the Part-10 file in bytes.', schema: { type: 'integer', minimum: 0 } },
                      'Content-Digest': {
                        description: 'RFC 9530 digest of the part body: `sha-256=:<base64 of the SHA-256>:`.',
                        schema: { type: 'string', pattern: '^sha-256=:[A-Za-z0-9+/]{43}=:$' },
                      },
                    },
                  },
                },
              },
            },
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
  }
}
