/**
 * What went wrong while syncing, in kinds the UI can say in Japanese and English
 * (`sync.fault.<kind>` in the message tables), with the technical detail and, when the
 * engine will try again by itself, when.
 */
import { RequestError } from '../api/request-error.ts'
import { StorageFullError } from '../cache/storage-full-error.ts'

export const SYNC_FAULT_KINDS = [
  /** No connection: refused, reset before an answer, the name not resolved. */
  'unreachable',
  /** The server stopped sending for longer than the stall timeout. */
  'timeout',
  /** An answer ended before all of it arrived. */
  'truncated',
  /** An answer arrived whole but not as the server declared it (length, digest). */
  'integrity',
  /** 503 or 429: the server asked to come back later. */
  'server-busy',
  /** Any other 5xx. */
  'server-error',
  /** The server no longer accepts the session: the reader must log in again. */
  'session-expired',
  /** The server refused the request for good (403, 404, other 4xx). */
  'refused',
  /** The server's answer is not what the API promises. */
  'bad-response',
  /** Writing to this computer's cache failed. */
  'cache-write',
  'other',
] as const

export type SyncFaultKind = (typeof SYNC_FAULT_KINDS)[number]

export interface SyncFault {
  kind: SyncFaultKind
  /** The technical detail (URL, status, byte counts), in English as the platform gives it. */
  detail: string
  /** When the engine tries again by itself (ms since epoch); absent when it will not until something changes. */
  retryAt?: number
}

function kindOf(error: unknown): SyncFaultKind {
  if (error instanceof StorageFullError) return 'cache-write'
  if (!(error instanceof RequestError)) return error instanceof TypeError ? 'unreachable' : 'other'
  switch (error.failure) {
    case 'unreachable':
    case 'timeout':
    case 'truncated':
    case 'integrity':
    case 'bad-response':
      return error.failure
    case 'token-expired':
    case 'unauthenticated':
    case 'invalid-credentials':
      return 'session-expired'
    case 'forbidden':
    case 'not-found':
      return 'refused'
    case 'server-error':
      if (error.status === 503 || error.status === 429 || error.retryAfterMs !== undefined) return 'server-busy'
      return error.status !== undefined && error.status < 500 ? 'refused' : 'server-error'
  }
}

/** The fault a failure amounts to; `retryAt` when the engine will try again by itself. */
export function syncFaultOf(error: unknown, retryAt?: number): SyncFault {
  const fault: SyncFault = { kind: kindOf(error), detail: error instanceof Error ? error.message : String(error) }
  if (retryAt !== undefined) fault.retryAt = retryAt
  return fault
}
