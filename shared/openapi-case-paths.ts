/** The reading-case API's paths in the OpenAPI document: cases, decisions, report versions, reading start, statistics. */
import { IDEMPOTENCY_KEY_HEADER } from './report-contract.ts'
import { casePaths } from './reading-case-contract.ts'
import { authErrors, errorResponse, jsonContent, pathTemplate, queryParameter, ref, type Json } from './openapi-parts.ts'

const caseIdParam = { name: 'id', in: 'path', required: true, description: 'Reading case id (Assignment.readingCase.id).', schema: { type: 'string', minLength: 1 } }
const reportIdParam = { name: 'id', in: 'path', required: true, description: 'Report id.', schema: { type: 'string', minLength: 1 } }
const keyHeader = (required: boolean, what: string) => ({
  name: IDEMPOTENCY_KEY_HEADER,
  in: 'header',
  required,
  description: `A key made once per ${what}, sent again unchanged with every retry: 8 to 128 visible ASCII characters.`,
  schema: { type: 'string', minLength: 8, maxLength: 128, pattern: '^[\\x21-\\x7e]+$' },
})

const caseErrors = {
  ...authErrors,
  '403': errorResponse('The caller has no part in this case, or not the part this needs.'),
  '404': errorResponse('No reading case has this id.'),
  '409': errorResponse('The case is not in a state that allows this (error "invalid-transition"), e.g. a consensus before both reads are in.'),
}

const decision = (operationId: string, summary: string, body: string, description?: string) => ({
  post: {
    operationId,
    summary,
    ...(description ? { description } : {}),
    parameters: [caseIdParam],
    requestBody: { required: true, content: jsonContent(ref(body)) },
    responses: {
      '200': { description: 'Recorded: the case as the caller now sees it.', content: jsonContent(ref('ReadingCase')) },
      '400': errorResponse('The body is invalid, or the judgement is not one of the reads\' scale.'),
      ...caseErrors,
    },
  },
})

export function casePathItems(): Json {
  return {
    [pathTemplate(casePaths.readingCase, 'id')]: {
      get: {
        operationId: 'getReadingCase',
        summary: 'A reading case as the caller may see it: workflow, status, every read, the final judgement and the history of transitions.',
        description:
          'Double reading is blinded: a first or second reader sees the other read only once their own is submitted, the comparison reader once both are in, checkers (the committee) once the case is at the committee. A read the caller is blinded to is listed (who, whether it is in) with `blinded: true` and no report, judgement or versions; while the caller is blinded to any read, the final judgement and the history are left out too.',
        parameters: [caseIdParam],
        responses: { '200': { description: 'The case.', content: jsonContent(ref('ReadingCase')) }, ...caseErrors },
      },
    },
    [pathTemplate(casePaths.consensus, 'id')]: decision(
      'recordConsensus',
      'The comparison of two disagreeing reads: the final judgement and why (case comparison → final, method consensus).',
      'ConsensusRequest',
      'By the comparison reader, or the second reader when the case has no comparison assignment, or an admin.',
    ),
    [pathTemplate(casePaths.committee, 'id')]: decision('sendToCommittee', 'Send a disagreeing case to the reading committee, with the reason (comparison → committee).', 'CommitteeRequest'),
    [pathTemplate(casePaths.committeeDecision, 'id')]: decision(
      'recordCommitteeDecision',
      "The committee's final judgement (committee → final, method committee). Checkers and admins.",
      'CommitteeDecisionRequest',
    ),
    [pathTemplate(casePaths.checkDecision, 'id')]: {
      post: {
        ...decision(
          'recordCheckDecision',
          "The checker's decision on the first report: approve (check → approved), amend (a new version of the report by the checker, tracked against the first; check → amended) or return with a comment (check → returned; the first reader's assignment is in progress again).",
          'CheckDecisionRequest',
        ).post,
        parameters: [caseIdParam, keyHeader(false, 'amendment (required for "amend")')],
        responses: {
          ...decision('x', 'x', 'x').post.responses,
          '422': { description: 'The amended report breaks the master\'s rules (as a submission would).', content: jsonContent(ref('ReportRejected')) },
        },
      },
    },
    [pathTemplate(casePaths.reportVersions, 'id')]: {
      get: {
        operationId: 'getReportVersions',
        summary: 'Every version of a submitted report, the original (version 1) first: corrections by its reader and amendments by its checker, each with author, reason and time.',
        parameters: [reportIdParam],
        responses: {
          '200': { description: 'The versions.', content: jsonContent(ref('ReportVersionList')) },
          ...authErrors,
          '403': errorResponse('The caller may not read this report.'),
          '404': errorResponse('No report has this id.'),
        },
      },
      post: {
        operationId: 'submitCorrection',
        summary: "A correction of the caller's own submitted report: a new version with a reason. A submitted report itself never changes.",
        description:
          'Allowed for a single read at any time; in double reading only while the other read is not yet in; in a report check only after the checker returned the report (returned → check).',
        parameters: [reportIdParam, keyHeader(true, 'correction')],
        requestBody: { required: true, content: jsonContent(ref('CorrectionRequest')) },
        responses: {
          '201': { description: 'Stored (or stored before under this key): every version.', content: jsonContent(ref('ReportVersionList')) },
          '400': errorResponse('The body or the Idempotency-Key is invalid.'),
          ...authErrors,
          '403': errorResponse("Only the report's own reader may correct it."),
          '404': errorResponse('No report has this id.'),
          '409': errorResponse('The case does not allow a correction now (error "invalid-transition").'),
          '422': { description: "The corrected report breaks the master's rules.", content: jsonContent(ref('ReportRejected')) },
        },
      },
    },
    [pathTemplate(casePaths.assignmentStart, 'id')]: {
      post: {
        operationId: 'startAssignment',
        summary: "The reader opened the assignment: the start of its reading time (the first call counts) and status in-progress.",
        parameters: [{ name: 'id', in: 'path', required: true, description: 'Assignment id.', schema: { type: 'string', minLength: 1 } }],
        responses: {
          '204': { description: 'Recorded.' },
          ...authErrors,
          '403': errorResponse('The assignment is not the caller\'s.'),
          '404': errorResponse('No assignment has this id.'),
        },
      },
    },
    [casePaths.readerStatistics]: {
      get: {
        operationId: 'getReaderStatistics',
        summary: 'Reader statistics for a period: cases read, median reading time, agreement with the other reader, further-examination rate (要精検率) by facility and modality.',
        description: 'Admins see every reader (or `readerId`); anyone else only themselves. Reads count by submission time; agreement and rates use the reads as first submitted.',
        parameters: [
          queryParameter('from', 'Start of the period, inclusive: YYYY-MM-DD (midnight UTC) or an ISO 8601 instant. Default: 30 days before `to`.'),
          queryParameter('to', 'End of the period: YYYY-MM-DD (that whole day) or an ISO 8601 instant, exclusive. Default: now.'),
          queryParameter('readerId', 'One reader (admins only; others get 403 for anyone but themselves).'),
          queryParameter('format', '`json` (default) or `csv` (UTF-8 with BOM, one row per reader, facility and modality).', { type: 'string', enum: ['json', 'csv'] }),
        ],
        responses: {
          '200': { description: 'The statistics.', content: { ...jsonContent(ref('ReaderStatistics')), 'text/csv': { schema: { type: 'string' } } } },
          '400': errorResponse('A bad date, period, reader or format.'),
          ...authErrors,
          '403': errorResponse("A non-admin asked for another reader's statistics."),
        },
      },
    },
  }
}
