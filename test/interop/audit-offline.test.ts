/**
 * The workstation's operation log end to end: the real queue (fake-indexeddb), sender and poster
 * against the reference reading server. Events recorded while the server cannot be reached stay
 * queued and arrive after reconnecting; a batch the server recorded but whose answer was lost is
 * sent again and still recorded once; a log-out queued for one user is never sent by the next.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAuditPoster } from '../../renderer/src/audit/audit-api.ts'
import { createAuditQueue } from '../../renderer/src/audit/audit-queue.ts'
import { createAuditSender, type AuditSender } from '../../renderer/src/audit/audit-sender.ts'
import { auditOwner, createWorkstationAudit, type WorkstationAudit } from '../../renderer/src/audit/workstation-audit.ts'
import { openWorkstationDb, type WorkstationDb } from '../../renderer/src/cache/workstation-db.ts'
import { startReadingServer, type RunningReadingServer } from '../../server/start-reading-server.ts'
import { DB_TEMPLATE_DIR } from '../../server/test-database-template.ts'
import { DEMO_PASSWORD } from '../../server/demo-seed.ts'
import { apiPaths, loginResponseSchema } from '../../shared/api-contract.ts'
import { auditPaths, auditSearchResponseSchema, type AuditEntry } from '../../shared/audit-contract.ts'

const STUDY = '1.3.46.670589.33.1.27492712521914879309.27169771283235650014'

let server: RunningReadingServer
const tokens = new Map<string, string>()

async function login(username: string): Promise<string> {
  const response = await fetch(`${server.url}${apiPaths.login}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  })
  const token = loginResponseSchema.parse(await response.json()).accessToken
  tokens.set(username, token)
  return token
}

async function workstationEntries(): Promise<AuditEntry[]> {
  const response = await fetch(`${server.url}${auditPaths.search}?limit=1000`, { headers: { authorization: `Bearer ${tokens.get('admin')}` } })
  return auditSearchResponseSchema.parse(await response.json()).entries.filter((e) => e.source === 'workstation').reverse()
}

/** fetch as the network lets it through: 'offline' refuses, 'lose-answers' delivers the request but loses the answer. */
function network() {
  const state = { mode: 'online' as 'online' | 'offline' | 'lose-answers', attempts: 0 }
  const fetchImpl: typeof fetch = async (input, init) => {
    state.attempts += 1
    if (state.mode === 'offline') throw new TypeError('Failed to fetch')
    const response = await fetch(input, init)
    if (state.mode === 'lose-answers') {
      await response.arrayBuffer()
      throw new TypeError('network connection lost')
    }
    return response
  }
  return { state, fetchImpl }
}

describe('operation log, offline and back', () => {
  let db: WorkstationDb
  let sender: AuditSender
  let audit: WorkstationAudit
  const net = network()
  let signedIn: string | null = null
  const timers: Array<() => void> = []

  beforeAll(async () => {
    server = await startReadingServer({ dataDir: null, port: 0, seedDemo: true, databaseTemplateDir: DB_TEMPLATE_DIR })
    await login('admin')
    db = openWorkstationDb(`audit-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange })
    const queue = createAuditQueue(db.auditQueue)
    sender = createAuditSender({
      queue,
      session: () => (signedIn ? { owner: auditOwner(server.url, signedIn), post: createAuditPoster(server.url, () => tokens.get(signedIn!) ?? null, net.fetchImpl) } : null),
      // retries run when the test says so
      setTimer: (fn) => timers.push(fn),
      clearTimer: () => undefined,
      batchSize: 3,
    })
    audit = createWorkstationAudit({ queue, sender })
  })
  afterAll(async () => {
    db?.close()
    await server?.close()
  })

  it('keeps what is recorded offline and delivers it once after reconnecting, even when answers were lost', async () => {
    signedIn = 'reader1'
    await login('reader1')
    const owner = auditOwner(server.url, 'reader1')
    net.state.mode = 'offline'
    await audit.record(owner, 'study-opened', { studyInstanceUid: STUDY, assignmentId: 'a-1' })
    for (let i = 0; i < 4; i++) await audit.record(owner, 'images-viewed', { studyInstanceUid: STUDY, detail: { seriesInstanceUid: `1.2.3.${i}` } })
    await audit.record(owner, 'study-closed', { studyInstanceUid: STUDY, detail: { durationMs: 61_000 } })
    await sender.flush()
    expect(net.state.attempts).toBeGreaterThan(0)
    expect(await db.auditQueue.count()).toBe(6)
    expect(await workstationEntries()).toEqual([])

    // the server records the first batch, but its answer never arrives
    net.state.mode = 'lose-answers'
    timers.shift()?.()
    await sender.flush()
    expect(await db.auditQueue.count()).toBe(6)
    expect(await workstationEntries()).toHaveLength(3)

    net.state.mode = 'online'
    timers.shift()?.()
    await sender.flush()
    expect(await db.auditQueue.count()).toBe(0)
    const entries = await workstationEntries()
    expect(entries.map((e) => e.kind)).toEqual(['study-opened', 'images-viewed', 'images-viewed', 'images-viewed', 'images-viewed', 'study-closed'])
    expect(new Set(entries.map((e) => e.clientEventId)).size).toBe(6)
    expect(entries.every((e) => e.username === 'reader1' && e.studyInstanceUid === STUDY)).toBe(true)
    expect(entries.map((e) => e.detail.seriesInstanceUid).filter(Boolean)).toEqual(['1.2.3.0', '1.2.3.1', '1.2.3.2', '1.2.3.3'])
  })

  it("sends a log-out queued offline only in its own user's session, never as the next user's", async () => {
    const before = (await workstationEntries()).length
    net.state.mode = 'offline'
    await audit.record(auditOwner(server.url, 'reader1'), 'logout')
    signedIn = 'reader2'
    await login('reader2')
    net.state.mode = 'online'
    await audit.record(auditOwner(server.url, 'reader2'), 'login')
    await sender.flush()
    expect((await workstationEntries()).slice(before).map((e) => [e.kind, e.username])).toEqual([['login', 'reader2']])
    expect(await db.auditQueue.count()).toBe(1)

    signedIn = 'reader1'
    await sender.flush()
    expect((await workstationEntries()).slice(before).map((e) => [e.kind, e.username])).toEqual([
      ['login', 'reader2'],
      ['logout', 'reader1'],
    ])
    expect(await db.auditQueue.count()).toBe(0)
  })
})
