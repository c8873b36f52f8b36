import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openWorkstationDb, type WorkstationDb } from '../cache/workstation-db.ts'
import type { AuditPostResult } from './audit-api.ts'
import { createAuditQueue, type AuditQueue } from './audit-queue.ts'
import type { AuditQueueRecord } from './audit-queue-record.ts'
import { AUDIT_RETRY_MAX_MS, AUDIT_RETRY_MIN_MS, createAuditSender } from './audit-sender.ts'

const OWNER = 'https://reading.example reader1'
const record = (n: number, owner = OWNER): AuditQueueRecord => ({
  id: `event-${String(n).padStart(4, '0')}`,
  owner,
  kind: 'images-viewed',
  outcome: 0,
  clientTime: '2026-11-03T18:00:00.000+09:00',
  detail: { n },
  createdAt: 1000 + n,
})

describe('audit sender', () => {
  let db: WorkstationDb
  let queue: AuditQueue
  beforeEach(() => {
    db = openWorkstationDb(`audit-sender-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange })
    queue = createAuditQueue(db.auditQueue)
  })
  afterEach(() => db.close())

  it('sends oldest first in batches, only the signed-in owner\'s, and empties the queue', async () => {
    for (const n of [3, 1, 2, 5, 4]) await queue.add(record(n))
    await queue.add(record(9, 'https://reading.example reader2'))
    const batches: number[][] = []
    const sender = createAuditSender({
      queue,
      session: () => ({ owner: OWNER, post: async (events) => (batches.push(events.map((e) => e.detail.n as number)), { kind: 'sent' }) }),
      batchSize: 2,
    })
    await sender.flush()
    expect(batches).toEqual([[1, 2], [3, 4], [5]])
    expect(await queue.count(OWNER)).toBe(0)
    expect(await db.auditQueue.count()).toBe(1)
  })

  it('splits a refused batch until the bad event is alone, keeps it and sends the rest', async () => {
    for (let n = 1; n <= 4; n++) await queue.add(record(n))
    const post = async (events: readonly AuditQueueRecord[]): Promise<AuditPostResult> =>
      events.some((e) => e.detail.n === 3) ? { kind: 'rejected', reason: 'bad' } : { kind: 'sent' }
    await createAuditSender({ queue, session: () => ({ owner: OWNER, post }) }).flush()
    expect(await queue.count(OWNER)).toBe(0)
    expect((await db.auditQueue.toArray()).map((r) => [r.detail.n, r.rejected])).toEqual([[3, 'bad']])
  })

  it('retries with a pause that doubles up to its limit, and starts again from the shortest once through', async () => {
    await queue.add(record(1))
    const delays: number[] = []
    let timer: (() => void) | null = null
    let online = false
    const sender = createAuditSender({
      queue,
      session: () => ({ owner: OWNER, post: async () => (online ? { kind: 'sent' } : { kind: 'retry', reason: 'offline' }) }),
      setTimer: (fn, ms) => {
        delays.push(ms)
        timer = fn
      },
    })
    await sender.flush()
    for (let i = 0; i < 8; i++) {
      const fire = timer!
      timer = null
      fire()
      await sender.flush()
    }
    expect(delays[0]).toBe(AUDIT_RETRY_MIN_MS)
    expect(delays[1]).toBe(AUDIT_RETRY_MIN_MS * 2)
    expect(delays.at(-1)).toBe(AUDIT_RETRY_MAX_MS)
    expect(await queue.count(OWNER)).toBe(1)
    online = true
    timer!()
    await sender.flush()
    expect(await queue.count(OWNER)).toBe(0)
    online = false
    await queue.add(record(2))
    await sender.flush()
    expect(delays.at(-1)).toBe(AUDIT_RETRY_MIN_MS)
  })
})
