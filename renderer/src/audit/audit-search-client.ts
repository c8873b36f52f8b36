/** The admin's side of the operation-log API: search, verify the hash chain, export as DICOM audit messages. */
import {
  auditPaths,
  auditSearchResponseSchema,
  auditVerifyResponseSchema,
  type AuditSearchResponse,
  type AuditVerifyResponse,
} from '../../../shared/audit-contract.ts'
import type { AuditKind } from '../../../shared/audit-codes.ts'

export interface AuditFilter {
  user?: string
  study?: string
  kind?: AuditKind
  /** ISO instants; `to` exclusive. */
  from?: string
  to?: string
}

export interface AuditSearchClient {
  search(filter: AuditFilter, limit?: number): Promise<AuditSearchResponse>
  verify(): Promise<AuditVerifyResponse>
  exportXml(filter: AuditFilter): Promise<Blob>
}

function queryOf(filter: AuditFilter, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries({ ...filter, ...extra })) if (value) params.set(key, value)
  const text = params.toString()
  return text ? `?${text}` : ''
}

export function createAuditSearchClient(serverUrl: string, token: () => string | null, fetchImpl: typeof fetch = (...args) => globalThis.fetch(...args)): AuditSearchClient {
  const get = async (path: string): Promise<Response> => {
    const response = await fetchImpl(`${serverUrl}${path}`, { headers: { authorization: `Bearer ${token() ?? ''}` } })
    if (!response.ok) {
      const body = await response.text().catch(() => '')
      let message = `HTTP ${response.status}`
      try {
        message = (JSON.parse(body) as { message?: string }).message ?? message
      } catch {
        // not JSON: keep the status
      }
      throw new Error(message)
    }
    return response
  }
  return {
    async search(filter, limit = 200) {
      return auditSearchResponseSchema.parse(await (await get(`${auditPaths.search}${queryOf(filter, { limit: String(limit) })}`)).json())
    },
    async verify() {
      return auditVerifyResponseSchema.parse(await (await get(auditPaths.verify)).json())
    },
    async exportXml(filter) {
      return (await get(`${auditPaths.export}${queryOf(filter)}`)).blob()
    },
  }
}
