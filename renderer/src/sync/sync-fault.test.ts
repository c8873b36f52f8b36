import { describe, expect, it } from 'vitest'
import { RequestError } from '../api/request-error.ts'
import { StorageFullError } from '../cache/storage-full-error.ts'
import { messages, type MessageKey } from '../i18n/messages.ts'
import { SYNC_FAULT_KINDS, syncFaultOf } from './sync-fault.ts'

describe('sync faults', () => {
  it('has a message in Japanese and English for every kind', () => {
    for (const kind of SYNC_FAULT_KINDS) {
      const key = `sync.fault.${kind}` as MessageKey
      expect(messages.ja[key], key).toBeTruthy()
      expect(messages.en[key], key).toBeTruthy()
    }
  })

  it('names what went wrong', () => {
    expect(syncFaultOf(new RequestError('server-error', 'Service Unavailable', 503, 5000), 1234)).toEqual({ kind: 'server-busy', detail: 'Service Unavailable', retryAt: 1234 })
    expect(syncFaultOf(new RequestError('server-error', 'boom', 500)).kind).toBe('server-error')
    expect(syncFaultOf(new RequestError('server-error', 'no', 400)).kind).toBe('refused')
    expect(syncFaultOf(new RequestError('token-expired', 'expired', 401)).kind).toBe('session-expired')
    expect(syncFaultOf(new RequestError('truncated', 'cut')).kind).toBe('truncated')
    expect(syncFaultOf(new RequestError('not-found', 'gone', 404)).kind).toBe('refused')
    expect(syncFaultOf(new StorageFullError('quota')).kind).toBe('cache-write')
    expect(syncFaultOf(new TypeError('fetch failed')).kind).toBe('unreachable')
    expect(syncFaultOf('odd').kind).toBe('other')
  })
})
