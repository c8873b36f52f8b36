/**
 * The reading-case API as the workstation sees it (shared/reading-case-contract.ts): a case as
 * this reader may see it, the comparison's and the committee's decisions, the checker's
 * decision, corrections of a submitted report, the start of a reading, reader statistics.
 * Online only: nothing here is cached, so a blinded read never reaches the local database.
 */
import type { ReportContent } from '../../../shared/finding-master.ts'
import {
  casePaths,
  readerStatisticsSchema,
  readingCaseSchema,
  reportVersionListSchema,
  type CheckDecisionRequest,
  type ConsensusRequest,
  type ReaderStatistics,
  type ReadingCase,
  type ReportVersion,
} from '../../../shared/reading-case-contract.ts'
import { IDEMPOTENCY_KEY_HEADER } from '../../../shared/report-contract.ts'
import { ReportRejectedError } from './report-client.ts'
import { errorFromResponse, fetchOrUnreachable, RequestError } from './request-error.ts'
import { readResponseJson } from './response-body.ts'

export interface ReadingCaseClient {
  readingCase(caseId: string): Promise<ReadingCase>
  consensus(caseId: string, decision: ConsensusRequest): Promise<ReadingCase>
  sendToCommittee(caseId: string, reason: string): Promise<ReadingCase>
  committeeDecision(caseId: string, decision: ConsensusRequest): Promise<ReadingCase>
  /** Approve, amend (needs a key made once per amendment) or return. */
  checkDecision(caseId: string, decision: CheckDecisionRequest, idempotencyKey?: string): Promise<ReadingCase>
  versions(reportId: string): Promise<ReportVersion[]>
  /** A correction of the reader's own report; safe to repeat with the same key. */
  correct(reportId: string, content: ReportContent, reason: string, idempotencyKey: string): Promise<ReportVersion[]>
  /** Marks the start of reading an assignment (the first call counts). */
  start(assignmentId: string): Promise<void>
  statistics(query: { from?: string; to?: string; readerId?: string }): Promise<ReaderStatistics>
  /** The address of the CSV export, for a download link (it needs the bearer token: fetch it). */
  statisticsCsv(query: { from?: string; to?: string; readerId?: string }): Promise<Blob>
}

export function createReadingCaseClient(serverUrl: string, getToken: () => string | null, fetchFn: typeof fetch = globalThis.fetch.bind(globalThis)): ReadingCaseClient {
  const base = serverUrl.replace(/\/+$/, '')
  const headers = (extra: Record<string, string> = {}) => {
    const token = getToken()
    return { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra }
  }
  const parse = <T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, value: unknown, what: string): T => {
    const parsed = schema.safeParse(value)
    if (!parsed.success) throw new RequestError('bad-response', `${what}: the server's answer does not match the API contract`)
    return parsed.data
  }
  const send = async (path: string, init: { method?: string; body?: unknown; key?: string } = {}): Promise<Response> => {
    const response = await fetchOrUnreachable(fetchFn, base + path, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: headers({
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(init.key ? { [IDEMPOTENCY_KEY_HEADER]: init.key } : {}),
      }),
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    })
    if (response.status === 422) {
      // Content the master's rules refuse: the same issues the report editor shows.
      const body = (await response.json().catch(() => ({}))) as { message?: string; issues?: Array<{ message: { ja: string; en: string } }> }
      throw new ReportRejectedError(body.message ?? 'the server refused the report', body.issues ?? [])
    }
    if (!response.ok) throw await errorFromResponse(response)
    return response
  }
  const caseAnswer = async (path: string, init?: { body?: unknown; key?: string }) => parse(readingCaseSchema, await readResponseJson(await send(path, init), path), path)
  const query = (q: { from?: string; to?: string; readerId?: string }, format?: 'csv') => {
    const params = new URLSearchParams(Object.entries({ ...q, ...(format ? { format } : {}) }).filter((e): e is [string, string] => typeof e[1] === 'string'))
    const text = params.toString()
    return text ? `?${text}` : ''
  }
  return {
    readingCase: (caseId) => caseAnswer(casePaths.readingCase(caseId)),
    consensus: (caseId, decision) => caseAnswer(casePaths.consensus(caseId), { body: decision }),
    sendToCommittee: (caseId, reason) => caseAnswer(casePaths.committee(caseId), { body: { reason } }),
    committeeDecision: (caseId, decision) => caseAnswer(casePaths.committeeDecision(caseId), { body: decision }),
    checkDecision: (caseId, decision, idempotencyKey) => caseAnswer(casePaths.checkDecision(caseId), { body: decision, ...(idempotencyKey ? { key: idempotencyKey } : {}) }),
    async versions(reportId) {
      const path = casePaths.reportVersions(reportId)
      return parse(reportVersionListSchema, await readResponseJson(await send(path), path), path)
    },
    async correct(reportId, content, reason, idempotencyKey) {
      const path = casePaths.reportVersions(reportId)
      return parse(reportVersionListSchema, await readResponseJson(await send(path, { body: { content, reason }, key: idempotencyKey }), path), path)
    },
    async start(assignmentId) {
      await send(casePaths.assignmentStart(assignmentId), { method: 'POST' })
    },
    async statistics(q) {
      const path = casePaths.readerStatistics + query(q)
      return parse(readerStatisticsSchema, await readResponseJson(await send(path), path), path)
    },
    async statisticsCsv(q) {
      return (await send(casePaths.readerStatistics + query(q, 'csv'))).blob()
    },
  }
}
