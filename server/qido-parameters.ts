/**
 * QIDO-RS query parameters (PS3.18 8.3.4): attribute matching by keyword or tag, paging.
 * Only the matching the workstation uses is supported; other parameters (includefield,
 * fuzzymatching) are accepted and ignored, as the standard allows.
 */
import { badRequest } from './api-error.ts'

export type QueryValues = Record<string, string | string[] | undefined>

export interface Paging {
  limit: number
  offset: number
}

/** Without a limit a query returns at most this many results. */
export const MAX_QIDO_RESULTS = 1000

/** The value of a matching key given by keyword or by tag ("PatientID" or "00100020"), first one if repeated. */
export function matchValue(query: QueryValues, keyword: string, tag: string): string | undefined {
  const raw = query[keyword] ?? query[tag] ?? query[tag.toLowerCase()]
  const value = Array.isArray(raw) ? raw[0] : raw
  return value === undefined || value === '' ? undefined : value
}

/** UID list matching: values separated by commas or backslashes. */
export function uidList(value: string): string[] {
  const uids = value
    .split(/[,\\]/)
    .map((u) => u.trim())
    .filter((u) => u.length > 0)
  for (const uid of uids) if (!/^[0-9.]{1,64}$/.test(uid)) throw badRequest(`Not a DICOM UID: ${JSON.stringify(uid)}`)
  return uids
}

/** A DA value or range ("20240101", "20240101-20240131", "-20240131", "20240101-") as inclusive bounds. */
export function dateRange(value: string): { from?: string; to?: string } {
  const match = /^(\d{8})?(-)?(\d{8})?$/.exec(value.trim())
  if (!match || (!match[1] && !match[3])) throw badRequest(`Not a DICOM date or date range: ${JSON.stringify(value)}`)
  const [, from, dash, to] = match
  if (!dash) return { from, to: from }
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) }
}

/** A single-value match, with DICOM wildcards (* and ?) turned into a LIKE pattern when present. */
export function stringMatch(value: string): { op: '=' | 'like'; operand: string } {
  if (!/[*?]/.test(value)) return { op: '=', operand: value }
  const escaped = value.replace(/[\\%_]/g, (c) => `\\${c}`)
  return { op: 'like', operand: escaped.replace(/\*/g, '%').replace(/\?/g, '_') }
}

function nonNegativeInteger(query: QueryValues, name: string): number | undefined {
  const raw = query[name]
  const value = Array.isArray(raw) ? raw[0] : raw
  if (value === undefined || value === '') return undefined
  if (!/^\d{1,9}$/.test(value)) throw badRequest(`${name} must be a non-negative integer`)
  return Number(value)
}

export function pagingOf(query: QueryValues): Paging {
  const limit = nonNegativeInteger(query, 'limit')
  return {
    limit: Math.min(limit ?? MAX_QIDO_RESULTS, MAX_QIDO_RESULTS),
    offset: nonNegativeInteger(query, 'offset') ?? 0,
  }
}
