/** The report API's paths in the OpenAPI document: masters, submission, exports, master import. */
import {
  DICOM_SR_MEDIA_TYPE,
  FHIR_JSON_MEDIA_TYPE,
  IDEMPOTENCY_KEY_HEADER,
  MASTER_CSV_COLUMNS,
  MASTER_CSV_ROW_COLUMNS,
  reportPaths,
} from './report-contract.ts'
import { adminErrors, authErrors, errorResponse, jsonContent, pathTemplate, ref, type Json } from './openapi-parts.ts'

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

/** Path items of the report API, keyed by path template. */
export function reportPathItems(assignmentIdParam: Json): Json {
  return {
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
          "The content is validated against the master version it names (content.masterVersion; any existing version of the facility's master, not only the newest) with the master's rules; its key images, measurements and the findings' key images must be images of the assignment's study or of its priors (a reader may measure on a prior), and a finding may link only measurements the report has. On success the report, the assignment's status (submitted) and the frozen master version are stored in one transaction, and the reader's worklist long-polls wake. The same key again answers 200 with the stored report (also when the first answer was lost); concurrent duplicates store one report.",
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
              'The report breaks the master\'s rules, or names a master version the facility does not have (rule "unknown-master-version"), or refers to images outside the study and its priors ("image-not-in-study"), to a frame the image does not have ("frame-out-of-range"), or to measurements it does not have ("unknown-measurement", "duplicate-measurement", "duplicate-key-image"); the rules\' issues are those the editor shows.',
            content: jsonContent(ref('ReportRejected')),
          },
        },
      },
    },
    [pathTemplate(reportPaths.reportFhir, 'id')]: {
      get: {
        operationId: 'getReportFhir',
        summary: 'The report as a FHIR R4 DiagnosticReport with one contained Observation per finding and per measurement (UCUM quantities), and one contained Media per key image.',
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
        summary: 'The report as a DICOM SR (Part-10, Explicit VR Little Endian, ISO_IR 192) in the imaged study; the same UIDs on every export. Key images are IMAGE items; measurements are NUM items with UCUM units, which makes it an Enhanced SR (a report without measurements is a Basic Text SR).',
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
  }
}
