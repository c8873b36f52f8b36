import { describe, expect, it, vi } from 'vitest'
import type { AuditEntry } from '../../../shared/audit-contract.ts'
import { auditFilterOf, createAuditLogStore } from './audit-log-store.ts'
import type { AuditSearchClient } from './audit-search-client.ts'

const entry = (seq: number): AuditEntry => ({
  seq,
  kind: 'login',
  eventId: '110114',
  eventType: '110122',
  action: 'E',
  outcome: 0,
  source: 'server',
  userId: 'u',
  username: 'reader1',
  studyInstanceUid: null,
  assignmentId: null,
  serverTime: '2026-11-03T09:00:00.000Z',
  clientTime: null,
  clientEventId: null,
  detail: {},
  prevHash: '0'.repeat(64),
  hash: 'a'.repeat(64),
})

describe('audit log store', () => {
  it('turns the filters into the server query, days as local midnights with the last day included', () => {
    const filter = auditFilterOf({ user: ' reader1 ', study: '', kind: 'login', from: '2026-11-01', to: '2026-11-02' })
    expect(filter).toEqual({ user: 'reader1', kind: 'login', from: new Date(2026, 10, 1).toISOString(), to: new Date(2026, 10, 3).toISOString() })
    expect(auditFilterOf({ user: '', study: '', kind: '', from: 'x', to: '' })).toEqual({})
  })

  it('searches, verifies and exports through the client, and shows a failure', async () => {
    const client: AuditSearchClient = {
      search: vi.fn(async () => ({ entries: [entry(2), entry(1)], truncated: true })),
      verify: vi.fn(async () => ({ ok: false, checked: 2, firstBroken: { seq: 2, reason: 'edited' } })),
      exportXml: vi.fn(async () => new Blob(['<AuditMessages/>'])),
    }
    const save = vi.fn()
    const store = createAuditLogStore({ client: () => client, save })
    store.getState().setFilters({ user: 'reader1', from: '2026-11-01' })
    await store.getState().search()
    expect(store.getState()).toMatchObject({ status: 'ready', truncated: true })
    expect(store.getState().entries.map((e) => e.seq)).toEqual([2, 1])
    expect(client.search).toHaveBeenCalledWith({ user: 'reader1', from: new Date(2026, 10, 1).toISOString() })
    await store.getState().verify()
    expect(store.getState().verification?.firstBroken?.seq).toBe(2)
    await store.getState().exportXml()
    expect(save).toHaveBeenCalledWith(expect.any(Blob), 'audit-messages-2026-11-01.xml')

    client.search = vi.fn(async () => Promise.reject(new Error('Only an administrator may do this.')))
    await store.getState().search()
    expect(store.getState()).toMatchObject({ status: 'error', error: 'Only an administrator may do this.' })
  })
})
