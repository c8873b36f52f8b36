/**
 * The admin's view of the operation log: filters (user, study, kind, a period of local days),
 * the matching entries, the hash chain's verification and the DICOM audit-message export.
 * Online only; nothing of it is kept on this computer.
 */
import { create } from 'zustand'
import type { AuditKind } from '../../../shared/audit-codes.ts'
import type { AuditEntry, AuditVerifyResponse } from '../../../shared/audit-contract.ts'
import type { AuditFilter, AuditSearchClient } from './audit-search-client.ts'

export interface AuditLogFilters {
  user: string
  study: string
  kind: AuditKind | ''
  /** YYYY-MM-DD local days, inclusive; empty for no bound. */
  from: string
  to: string
}

export interface AuditLogState {
  filters: AuditLogFilters
  status: 'idle' | 'loading' | 'ready' | 'error'
  entries: AuditEntry[]
  truncated: boolean
  error: string | null
  verification: AuditVerifyResponse | null
  verifying: boolean
  exporting: boolean
  setFilters(changes: Partial<AuditLogFilters>): void
  search(): Promise<void>
  verify(): Promise<void>
  exportXml(): Promise<void>
}

export interface AuditLogDeps {
  client(): AuditSearchClient
  save(blob: Blob, filename: string): void
}

/** Local midnight of a YYYY-MM-DD day, `plusDays` later, as an ISO instant; undefined when empty or not a date. */
function localMidnight(day: string, plusDays = 0): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day)
  if (!m) return undefined
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays)
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString()
}

/** The filters as the server's query: the period from the first day's local midnight to the midnight after the last. */
export function auditFilterOf(filters: AuditLogFilters): AuditFilter {
  const from = localMidnight(filters.from)
  const to = localMidnight(filters.to, 1)
  return {
    ...(filters.user.trim() ? { user: filters.user.trim() } : {}),
    ...(filters.study.trim() ? { study: filters.study.trim() } : {}),
    ...(filters.kind ? { kind: filters.kind } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  }
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error))

export function createAuditLogStore(deps: AuditLogDeps) {
  return create<AuditLogState>()((set, get) => ({
    filters: { user: '', study: '', kind: '', from: '', to: '' },
    status: 'idle',
    entries: [],
    truncated: false,
    error: null,
    verification: null,
    verifying: false,
    exporting: false,
    setFilters(changes) {
      set({ filters: { ...get().filters, ...changes } })
    },
    async search() {
      set({ status: 'loading', error: null })
      try {
        const found = await deps.client().search(auditFilterOf(get().filters))
        set({ status: 'ready', entries: found.entries, truncated: found.truncated })
      } catch (error) {
        set({ status: 'error', error: message(error) })
      }
    },
    async verify() {
      set({ verifying: true, error: null })
      try {
        set({ verification: await deps.client().verify() })
      } catch (error) {
        set({ error: message(error) })
      } finally {
        set({ verifying: false })
      }
    },
    async exportXml() {
      set({ exporting: true, error: null })
      try {
        const blob = await deps.client().exportXml(auditFilterOf(get().filters))
        const { from, to } = get().filters
        deps.save(blob, `audit-messages${from ? `-${from}` : ''}${to ? `-${to}` : ''}.xml`)
      } catch (error) {
        set({ error: message(error) })
      } finally {
        set({ exporting: false })
      }
    },
  }))
}
