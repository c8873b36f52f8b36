/**
 * The operation log over HTTP against a seeded server: every server action the log must hold
 * produces its entry with user, study and outcome; workstation batches are recorded once however
 * often they are retried; search, export and verification are admin-only; and tampering with
 * the table directly (triggers disabled, as an attacker with database access would) makes
 * verification fail and name the first broken entry.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiPaths, worklistResponseSchema, type Assignment } from '../shared/api-contract.ts'
import { auditBatchResponseSchema, auditPaths, auditSearchResponseSchema, auditVerifyResponseSchema, type AuditEntry } from '../shared/audit-contract.ts'
import { DICOMWEB_ROOT } from '../shared/dicomweb-paths.ts'
import type { ReportContent } from '../shared/finding-master.ts'
import { casePaths, readingCaseSchema } from '../shared/reading-case-contract.ts'
import { reportPaths } from '../shared/report-contract.ts'
import { apiTestClient } from './api-test-client.ts'
import { RETRIEVAL_WINDOW_MS } from './audit-observers.ts'
import { startReadingServer, type RunningReadingServer } from './start-reading-server.ts'
import { DB_TEMPLATE_DIR } from './test-database-template.ts'

const CT_HEAD = '1.3.46.670589.33.1.27492712521914879309.27169771283235650014'
const FUJI_CHEST = '1.2.392.200036.9125.0.199302241758.16'

let server: RunningReadingServer
let clock = new Date('2026-11-03T09:00:00.000Z')
const api = apiTestClient(() => server.url)

beforeAll(async () => {
  server = await startReadingServer({ dataDir: null, port: 0, seedDemo: true, databaseTemplateDir: DB_TEMPLATE_DIR, now: () => clock })
})
afterAll(async () => {
  await server?.close()
})

const worklist = async (user: string) => worklistResponseSchema.parse(await (await api.call(apiPaths.worklist, { user })).json()).assignments
async function assignment(user: string, study: string): Promise<Assignment> {
  const found = (await worklist(user)).find((a) => a.studyInstanceUid === study)
  if (!found) throw new Error(`${user} has no assignment of ${study}`)
  return found
}
const submit = (a: Assignment, user: string, content: ReportContent) =>
  api.call(reportPaths.assignmentReport(a.id), { user, method: 'POST', body: { content }, key: randomUUID() })
const ctmr = (impression: string): ReportContent => ({
  masterVersion: 1,
  scale: 'report-check',
  findings: [{ findingCode: 'ctmr-no-abnormality', bodyPartCode: 'head', judgement: 'N', keyImages: [], measurements: [] }],
  impression,
  comments: '',
  keyImages: [],
  measurements: [],
})
const chest = (judgement: 'A' | 'E'): ReportContent => ({
  masterVersion: 1,
  scale: 'lung-xray',
  findings:
    judgement === 'A'
      ? [{ findingCode: 'cx-no-abnormality', bodyPartCode: 'chest', judgement: 'A', keyImages: [], measurements: [] }]
      : [{ findingCode: 'cx-nodule', bodyPartCode: 'lung-field', laterality: 'R', judgement: 'E', location: '上肺野', keyImages: [], measurements: [] }],
  impression: judgement === 'A' ? '異常所見を認めません。' : '右上肺野に結節影。',
  comments: '',
  keyImages: [],
  measurements: [],
})

async function entries(query = ''): Promise<AuditEntry[]> {
  return (await api.json(`${auditPaths.search}?limit=1000${query}`, { user: 'admin' }, (v) => auditSearchResponseSchema.parse(v))).entries
}
const verify = () => api.json(auditPaths.verify, { user: 'admin' }, (v) => auditVerifyResponseSchema.parse(v))

/** Entries added by `action`, oldest first, leaving out the admin's own searches. */
async function added(action: () => Promise<unknown>): Promise<AuditEntry[]> {
  const before = (await entries())[0]?.seq ?? 0
  await action()
  return (await entries()).filter((e) => e.seq > before && e.kind !== 'audit-log-used').reverse()
}

describe('server events', () => {
  it('records failed and successful log-ins and a log-out', async () => {
    await api.loginAll(['admin'])
    const failed = await added(async () => {
      expect((await api.call(apiPaths.login, { body: { username: 'reader1', password: 'wrong-password-123' } })).status).toBe(401)
      expect((await api.call(apiPaths.login, { body: { username: 'nobody', password: 'wrong-password-123' } })).status).toBe(401)
    })
    expect(failed.map((e) => [e.kind, e.username, e.outcome, e.eventId, e.eventType])).toEqual([
      ['login-failed', 'reader1', 4, '110114', '110122'],
      ['login-failed', null, 4, '110114', '110122'],
    ])
    expect(failed[1]!.detail).toMatchObject({ attemptedUsername: 'nobody' })

    const loggedIn = await added(() => api.loginAll(['reader3']))
    expect(loggedIn.map((e) => [e.kind, e.username, e.outcome, e.source])).toEqual([['login', 'reader3', 0, 'server']])
    expect(loggedIn[0]!.serverTime).toBe(clock.toISOString())

    const loggedOut = await added(async () => expect((await api.call(apiPaths.logout, { user: 'reader3', method: 'POST' })).status).toBe(204))
    expect(loggedOut.map((e) => [e.kind, e.username, e.eventType])).toEqual([['logout', 'reader3', '110123']])
  })

  it('records a DICOMweb study retrieval once per token and study within the window', async () => {
    await api.loginAll(['reader1', 'reader2', 'checker1'])
    const metadata = `${DICOMWEB_ROOT}/studies/${CT_HEAD}/metadata`
    const retrieved = await added(async () => {
      for (let i = 0; i < 3; i++) expect((await api.call(metadata, { user: 'reader1' })).status).toBe(200)
      expect((await api.call(`${DICOMWEB_ROOT}/studies/${CT_HEAD}/series`, { user: 'reader1' })).status).toBe(200)
      // refused (not signed in): nothing was retrieved
      expect((await api.call(metadata)).status).toBe(401)
    })
    expect(retrieved.map((e) => [e.kind, e.username, e.studyInstanceUid, e.eventId])).toEqual([['study-retrieved', 'reader1', CT_HEAD, '110104']])
    clock = new Date(clock.getTime() + RETRIEVAL_WINDOW_MS + 1000)
    const again = await added(() => api.call(metadata, { user: 'reader1' }))
    expect(again.map((e) => e.kind)).toEqual(['study-retrieved'])
  })

  it("records the server's start, and a DICOMweb study search once per token and query within the window", async () => {
    const first = (await entries()).at(-1)!
    expect([first.seq, first.kind, first.eventId, first.eventType, first.userId]).toEqual([1, 'application-start', '110100', '110120', null])
    const searched = await added(async () => {
      for (let i = 0; i < 2; i++) expect((await api.call(`${DICOMWEB_ROOT}/studies?PatientID=X`, { user: 'reader1' })).status).toBe(200)
      expect((await api.call(`${DICOMWEB_ROOT}/studies`, { user: 'reader1' })).status).toBe(200)
    })
    expect(searched.map((e) => [e.kind, e.username, e.eventId, e.detail.query])).toEqual([
      ['query', 'reader1', '110112', 'PatientID=X'],
      ['query', 'reader1', '110112', ''],
    ])
  })

  it('records the reading start, report submission, check decision and amendment with the study', async () => {
    const first = await assignment('reader1', CT_HEAD)
    const caseId = first.readingCase!.id
    const started = await added(async () => expect((await api.call(casePaths.assignmentStart(first.id), { user: 'reader1', method: 'POST' })).status).toBe(204))
    expect(started.map((e) => [e.kind, e.username, e.studyInstanceUid, e.assignmentId])).toEqual([['reading-started', 'reader1', CT_HEAD, first.id]])

    const submitted = await added(async () => expect((await submit(first, 'reader1', ctmr('明らかな異常所見を認めません。'))).status).toBe(201))
    expect(submitted.map((e) => [e.kind, e.username, e.studyInstanceUid, e.assignmentId, e.eventId, e.eventType, e.action])).toEqual([
      ['report-submitted', 'reader1', CT_HEAD, first.id, '110110', 'REPORT-SUBMIT', 'C'],
    ])

    const returned = await added(async () =>
      api.json(casePaths.checkDecision(caseId), { user: 'checker1', body: { decision: 'return', comment: '再確認してください' } }, (v) => readingCaseSchema.parse(v)),
    )
    expect(returned.map((e) => [e.kind, e.username, e.studyInstanceUid, e.detail.decision, e.detail.caseId])).toEqual([['check-decision', 'checker1', CT_HEAD, 'return', caseId]])

    const reportId = submitted[0]!.detail.reportId as string
    const amended = await added(async () =>
      expect((await api.call(casePaths.reportVersions(reportId), { user: 'reader1', body: { content: ctmr('左基底核に異常を認めません。'), reason: '確認' }, key: randomUUID() })).status).toBe(201),
    )
    expect(amended.map((e) => [e.kind, e.username, e.studyInstanceUid, e.assignmentId])).toEqual([['report-amended', 'reader1', CT_HEAD, first.id]])
  })

  it('records the consensus of a double read', async () => {
    const first = await assignment('reader2', FUJI_CHEST)
    const second = await assignment('reader1', FUJI_CHEST)
    expect((await submit(first, 'reader2', chest('E'))).status).toBe(201)
    expect((await submit(second, 'reader1', chest('A'))).status).toBe(201)
    const caseId = first.readingCase!.id
    const decided = await added(() =>
      api.json(casePaths.consensus(caseId), { user: 'checker1', body: { overallJudgement: 'E', reason: '一次読影を採用' } }, (v) => readingCaseSchema.parse(v)),
    )
    expect(decided.map((e) => [e.kind, e.username, e.studyInstanceUid])).toEqual([['case-consensus', 'checker1', FUJI_CHEST]])
  })
})

describe('workstation events', () => {
  const event = (id: string, kind: string, extra: Record<string, unknown> = {}) => ({ id, kind, clientTime: '2026-11-03T18:00:00.000+09:00', ...extra })

  it('records a batch once however often it is retried, as the signed-in user', async () => {
    const batch = {
      events: [
        event('ws-0001-open', 'study-opened', { studyInstanceUid: CT_HEAD }),
        event('ws-0002-view', 'images-viewed', { studyInstanceUid: CT_HEAD, detail: { seriesInstanceUid: '1.2.3', images: 12 } }),
        event('ws-0003-close', 'study-closed', { studyInstanceUid: CT_HEAD, detail: { durationMs: 93_000 } }),
      ],
    }
    const send = (body: unknown) => api.json(auditPaths.events, { user: 'reader1', body }, (v) => auditBatchResponseSchema.parse(v))
    expect(await send(batch)).toEqual({ recorded: 3, duplicates: 0 })
    expect(await send(batch)).toEqual({ recorded: 0, duplicates: 3 })
    // a retry with one more event: only the new one is recorded
    expect(await send({ events: [...batch.events, event('ws-0004-print', 'print', { studyInstanceUid: CT_HEAD })] })).toEqual({ recorded: 1, duplicates: 3 })
    // the same id twice in one batch counts once
    expect(await send({ events: [event('ws-0005-set', 'settings-changed', { detail: { key: 'idleLockMinutes' } }), event('ws-0005-set', 'settings-changed')] })).toEqual({ recorded: 1, duplicates: 1 })

    const mine = (await entries(`&user=reader1&study=${CT_HEAD}`)).filter((e) => e.source === 'workstation').reverse()
    expect(mine.map((e) => [e.clientEventId, e.kind, e.clientTime])).toEqual([
      ['ws-0001-open', 'study-opened', '2026-11-03T18:00:00.000+09:00'],
      ['ws-0002-view', 'images-viewed', '2026-11-03T18:00:00.000+09:00'],
      ['ws-0003-close', 'study-closed', '2026-11-03T18:00:00.000+09:00'],
      ['ws-0004-print', 'print', '2026-11-03T18:00:00.000+09:00'],
    ])
    expect(mine.every((e) => e.username === 'reader1' && e.serverTime === clock.toISOString())).toBe(true)
    expect(mine[2]!.detail).toEqual({ durationMs: 93_000 })
  })

  it('refuses kinds only the server records, bad ids and callers who are not signed in', async () => {
    await api.expectError(await api.call(auditPaths.events, { user: 'reader1', body: { events: [event('ws-0100-x', 'study-retrieved')] } }), 400, 'bad-request')
    await api.expectError(await api.call(auditPaths.events, { user: 'reader1', body: { events: [event('bad id!', 'print')] } }), 400, 'bad-request')
    await api.expectError(await api.call(auditPaths.events, { body: { events: [event('ws-0101-x', 'print')] } }), 401, 'unauthenticated')
  })
})

describe('search, export and verification', () => {
  it('are for admins only', async () => {
    for (const path of [auditPaths.search, auditPaths.verify, auditPaths.export]) {
      await api.expectError(await api.call(path, { user: 'reader1' }), 403, 'forbidden')
      await api.expectError(await api.call(path), 401, 'unauthenticated')
    }
  })

  it('searches by kind and period', async () => {
    const logins = await entries('&kind=login')
    expect(logins.length).toBeGreaterThanOrEqual(4)
    expect(logins.every((e) => e.kind === 'login')).toBe(true)
    expect(await entries('&from=2030-01-01T00:00:00Z')).toEqual([])
    await api.expectError(await api.call(`${auditPaths.search}?kind=nonsense`, { user: 'admin' }), 400, 'bad-request')
  })

  it('exports a period as DICOM audit messages', async () => {
    const response = await api.call(`${auditPaths.export}?kind=report-submitted`, { user: 'admin' })
    expect(response.headers.get('content-type')).toContain('application/xml')
    const xml = await response.text()
    expect(xml.match(/<AuditMessage>/g)).toHaveLength(3)
    expect(xml).toContain('<EventID csd-code="110110" codeSystemName="DCM" originalText="Patient Record"/>')
    expect(xml).toContain('<EventTypeCode csd-code="REPORT-SUBMIT" codeSystemName="99TELERAD" originalText="Report submitted"/>')
    expect(xml).toContain(`ParticipantObjectID="${CT_HEAD}"`)
    expect(xml).toContain('UserID="reader1"')
  })
})

describe('tampering', () => {
  const asAttacker = async (sql: string, params: unknown[] = []) => {
    await server.db.exec('alter table audit_events disable trigger user')
    try {
      await server.db.query(sql, params)
    } finally {
      await server.db.exec('alter table audit_events enable trigger user')
    }
  }

  it('is refused by the database while its triggers are on', async () => {
    await expect(server.db.query(`update audit_events set outcome = 0 where seq = 1`)).rejects.toThrow(/append-only/)
    await expect(server.db.query('delete from audit_events where seq = 1')).rejects.toThrow(/append-only/)
    await expect(server.db.query('truncate audit_events')).rejects.toThrow(/append-only/)
  })

  it('is found and the first broken entry named: an edit, a deletion, entries cut from the end', async () => {
    expect(await verify()).toMatchObject({ ok: true, firstBroken: null })
    const all = (await entries()).reverse()
    const target = all.find((e) => e.kind === 'report-submitted')!

    await asAttacker(`update audit_events set username = 'reader2' where seq = $1`, [target.seq])
    expect(await verify()).toMatchObject({ ok: false, firstBroken: { seq: target.seq, reason: expect.stringMatching(/edited/) } })
    // put back exactly as it was, the chain holds again: verification judges content, not row history
    await asAttacker(`update audit_events set username = 'reader1' where seq = $1`, [target.seq])
    expect((await verify()).ok).toBe(true)

    const row = (await server.db.query<Record<string, unknown>>('select * from audit_events where seq = $1', [target.seq])).rows[0]!
    await asAttacker('delete from audit_events where seq = $1', [target.seq])
    expect(await verify()).toMatchObject({ ok: false, firstBroken: { seq: target.seq + 1, reason: expect.stringMatching(/missing/) } })
    await asAttacker(
      `insert into audit_events select * from json_populate_record(null::audit_events, $1::json)`,
      [JSON.stringify(row)],
    )
    expect((await verify()).ok).toBe(true)

    // an edit whose hash the attacker recomputes still breaks the link of the next entry
    const next = target.seq + 1
    await asAttacker(`update audit_events set hash = repeat('a', 64) where seq = $1`, [target.seq])
    expect(await verify()).toMatchObject({ ok: false, firstBroken: { seq: target.seq } })
    await asAttacker(`update audit_events set hash = $2 where seq = $1`, [target.seq, target.hash])

    const last = (await entries())[0]!
    await asAttacker('delete from audit_events where seq >= $1', [last.seq - 1])
    expect(await verify()).toMatchObject({ ok: false, firstBroken: { seq: last.seq - 1, reason: expect.stringMatching(/removed/) } })
    expect(next).toBeGreaterThan(target.seq)
  })
})
