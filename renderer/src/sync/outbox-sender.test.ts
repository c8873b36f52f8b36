import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { describe, expect, it, vi } from 'vitest'
import type { ReportContent } from '../../../shared/finding-master.ts'
import type { StoredReport } from '../../../shared/report-contract.ts'
import { ReportRejectedError, type ReportClient } from '../api/report-client.ts'
import { RequestError } from '../api/request-error.ts'
import { createAesGcmCipher, plainCipher } from '../cache/cache-cipher.ts'
import { loadDraft, queueReport } from '../cache/report-draft-store.ts'
import { openWorkstationDb } from '../cache/workstation-db.ts'
import { createOutboxSender } from './outbox-sender.ts'

const content: ReportContent = { masterVersion: 1, scale: 's', findings: [], impression: 'x', comments: '', keyImages: [], measurements: [] }

async function setUp(submit: ReportClient['submit'], sleeps: number[] = []) {
  const db = openWorkstationDb(`outbox-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange })
  await queueReport(db, plainCipher, { assignmentId: 'a1', studyInstanceUid: 's1', content, updatedAt: 0 }, 'key-1', 1)
  const events = { sent: vi.fn(), rejected: vi.fn(), authFailure: vi.fn() }
  const sender = createOutboxSender({
    db,
    cipher: plainCipher,
    client: { master: vi.fn(), report: vi.fn(), submit },
    events,
    retry: { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 2 },
    sleep: async (ms) => void sleeps.push(ms),
    now: () => 100,
  })
  return { db, events, sender }
}

describe('outbox sender', () => {
  it('retries a lost answer with the same idempotency key until the server confirms', async () => {
    const keys: string[] = []
    let failures = 3
    const { db, events, sender } = await setUp(async (_id, _content, key) => {
      keys.push(key)
      if (failures-- > 0) throw new RequestError('unreachable', 'connection reset')
      return {} as StoredReport
    })
    await sender.drained()
    expect(keys).toEqual(['key-1', 'key-1', 'key-1', 'key-1'])
    expect(events.sent).toHaveBeenCalledWith('a1')
    expect(await db.outbox.get('key-1')).toMatchObject({ state: 'sent', attempts: 4 })
    sender.stop()
  })

  it("waits as long as a busy server's Retry-After asks (within the policy's bound) before sending again", async () => {
    const sleeps: number[] = []
    let busy = 2
    const { db, sender } = await setUp(async () => {
      if (busy-- > 0) throw new RequestError('server-error', 'Service Unavailable', 503, busy === 1 ? 3_000 : 3_600_000)
      return {} as StoredReport
    }, sleeps)
    await sender.drained()
    // 3 s as asked; an hour is more than the default bound of 2 minutes
    expect(sleeps).toEqual([3_000, 120_000])
    expect(await db.outbox.get('key-1')).toMatchObject({ state: 'sent', attempts: 3 })
    sender.stop()
  })

  it('returns a refused report to the editor as a draft with the reason', async () => {
    const { db, events, sender } = await setUp(async () => {
      throw new ReportRejectedError('report-invalid', [{ message: { ja: '位置が必要です', en: 'needs a location' } }])
    })
    await sender.drained()
    expect(events.rejected).toHaveBeenCalledWith('a1', expect.stringContaining('位置が必要です'))
    expect((await loadDraft(db, plainCipher, 'a1'))?.content).toEqual(content)
    expect(await db.outbox.get('key-1')).toMatchObject({ state: 'rejected' })
    sender.stop()
  })

  it('gives a report the server can never accept (400, 403) back to the reader instead of retrying forever', async () => {
    let calls = 0
    const { db, events, sender } = await setUp(async () => {
      calls += 1
      throw new RequestError('forbidden', 'not your assignment', 403)
    })
    await sender.drained()
    expect(calls).toBe(1)
    expect(events.rejected).toHaveBeenCalledWith('a1', 'not your assignment')
    expect(await db.outbox.get('key-1')).toMatchObject({ state: 'rejected' })
    sender.stop()
  })

  it('sets aside a report it cannot read (another key) and sends the next one', async () => {
    const submitted: string[] = []
    const { db, events, sender } = await setUp(async (id) => {
      submitted.push(id)
      return {} as StoredReport
    })
    // an entry sealed under another key, older than the readable one
    const other = await createAesGcmCipher(new Uint8Array(32).fill(9))
    const sealed = await other.seal(new TextEncoder().encode('{}'))
    await db.outbox.put({ idempotencyKey: 'old', assignmentId: 'a0', studyInstanceUid: 's0', state: 'pending', createdAt: 0, attempts: 0, iv: sealed.iv!, sealed: new Blob([sealed.data as ArrayBuffer]) })
    await sender.drained()
    expect(submitted).toEqual(['a1'])
    expect(await db.outbox.get('old')).toMatchObject({ state: 'unreadable' })
    expect(events.rejected).toHaveBeenCalledWith('a0', expect.stringContaining('cannot be decrypted'))
    sender.stop()
  })

  it('stops on an expired session and sends after the next kick', async () => {
    let expired = true
    const { db, events, sender } = await setUp(async () => {
      if (expired) throw new RequestError('token-expired', 'expired', 401)
      return {} as StoredReport
    })
    await sender.drained()
    expect(events.authFailure).toHaveBeenCalledTimes(1)
    expect(await db.outbox.get('key-1')).toMatchObject({ state: 'pending' })
    expired = false
    sender.kick()
    await sender.drained()
    expect(await db.outbox.get('key-1')).toMatchObject({ state: 'sent' })
    sender.stop()
  })
})
