/** The report API as the workstation sees it: the master to report against, and submitting exactly once. */
import { findingMasterSchema, type FindingMaster, type ReportContent } from '../../../shared/finding-master.ts'
import { IDEMPOTENCY_KEY_HEADER, reportPaths, storedReportSchema, type StoredReport } from '../../../shared/report-contract.ts'
import { errorFromResponse, fetchOrUnreachable, RequestError } from './request-error.ts'
import { readResponseJson } from './response-body.ts'

export interface ReportClient {
  master(assignmentId: string): Promise<FindingMaster>
  /** The submitted report, or null when there is none yet. */
  report(assignmentId: string): Promise<StoredReport | null>
  /** Sends a report; safe to repeat with the same key (the server stores it once). */
  submit(assignmentId: string, content: ReportContent, idempotencyKey: string): Promise<StoredReport>
}

/** What the server said when it refused a report (rules broken, or already submitted). */
export class ReportRejectedError extends Error {
  readonly issues: Array<{ message: { ja: string; en: string } }>
  constructor(message: string, issues: Array<{ message: { ja: string; en: string } }> = []) {
    super(message)
    this.name = 'ReportRejectedError'
    this.issues = issues
  }
}

export function createReportClient(serverUrl: string, getToken: () => string | null, fetchFn: typeof fetch = globalThis.fetch.bind(globalThis)): ReportClient {
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
  return {
    async master(assignmentId) {
      const path = reportPaths.assignmentMaster(assignmentId)
      const response = await fetchOrUnreachable(fetchFn, base + path, { headers: headers() })
      if (!response.ok) throw await errorFromResponse(response)
      return parse(findingMasterSchema, await readResponseJson(response, path), path)
    },
    async report(assignmentId) {
      const path = reportPaths.assignmentReport(assignmentId)
      const response = await fetchOrUnreachable(fetchFn, base + path, { headers: headers() })
      if (response.status === 404) return null
      if (!response.ok) throw await errorFromResponse(response)
      return parse(storedReportSchema, await readResponseJson(response, path), path)
    },
    async submit(assignmentId, content, idempotencyKey) {
      const path = reportPaths.assignmentReport(assignmentId)
      const response = await fetchOrUnreachable(fetchFn, base + path, {
        method: 'POST',
        headers: headers({ 'content-type': 'application/json', [IDEMPOTENCY_KEY_HEADER]: idempotencyKey }),
        body: JSON.stringify({ content }),
      })
      if (response.status === 422 || response.status === 409) {
        const body = (await response.json().catch(() => ({}))) as { message?: string; issues?: Array<{ message: { ja: string; en: string } }> }
        throw new ReportRejectedError(body.message ?? `the server refused the report (${response.status})`, body.issues ?? [])
      }
      if (!response.ok) throw await errorFromResponse(response)
      return parse(storedReportSchema, await readResponseJson(response, path), path)
    },
  }
}
