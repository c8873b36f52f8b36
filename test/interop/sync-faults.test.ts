/**
 * The sync engine through every network fault a reading workstation meets: the real engine (in
 * Node, over fake-indexeddb and WebCrypto) talks to the reference reading server through a
 * fault-injection proxy (test/harness/fault-proxy.ts), and to Orthanc through another. Each
 * scenario ends with the study cached byte for byte as the server holds it (the SHA-256 its
 * import recorded), or, while a fault lasts, with a status that names it; and in each, a report
 * queued in the outbox reaches the server exactly once and a draft stays as it was.
 *
 * The data: the demo seed with reader1's worklist narrowed to two small studies of its own: the
 * MR wrist series (16 instances of 130 kB, urgent, downloaded first) and the one-instance
 * ultrasound, whose report waits in the outbox.
 */
import { readdir, rm } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createReportClient } from '../../renderer/src/api/report-client.ts'
import type { CacheCipher } from '../../renderer/src/cache/cache-cipher.ts'
import { loadDraft, queueReport, saveDraft } from '../../renderer/src/cache/report-draft-store.ts'
import type { WorkstationDb } from '../../renderer/src/cache/workstation-db.ts'
import type { RetryPolicy } from '../../renderer/src/sync/retry-policy.ts'
import { createSyncEngine, type SyncEngine } from '../../renderer/src/sync/sync-engine.ts'
import type { Assignment } from '../../shared/api-contract.ts'
import { boundaryFromContentType, parseMultipart } from '../../shared/multipart-related.ts'
import type { ReportContent } from '../../shared/finding-master.ts'
import { startFaultProxy, type FaultProxy, type ProxiedRequest } from '../harness/fault-proxy.ts'
import { startOrthanc, type OrthancProcess } from '../harness/orthanc-process.ts'
import { deleteAssignment, fetchWorklist, loginAs } from '../harness/reading-server-api.ts'
import { createSeededDataDir, type SeededDataDir } from '../harness/reading-server-data.ts'
import { startRestartableReadingServer, type RestartableReadingServer, type RestartOptions } from '../harness/restartable-reading-server.ts'
import { readSourceInstance, sha256, type SourceInstance } from '../harness/source-instance.ts'
import { recordSyncEvents, type SyncEventRecorder } from '../harness/sync-event-recorder.ts'
import { createTestCipher, openTestWorkstationDb, readCacheContents } from '../harness/workstation-cache.ts'

const DEMO_DICOM = fileURLToPath(new URL('../../server/demo-data/dicom/', import.meta.url))
const READER = 'reader1'
const HOUR_MS = 3_600_000

/** Short enough that a fault the engine outlasts costs a second or two, not the defaults' minutes. */
const RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 200, maxRetryAfterMs: 2_500 }
const STALL_MS = 1_500
const STUDY_RETRY_MS = 400
const CONCURRENCY = 2
const BATCH_SIZE = 3

const INSTANCE_PATH = /\/studies\/[0-9.]+\/series\/[0-9.]+\/instances\/[0-9.]+$/
const REPORT_PATH = /\/assignments\/[^/]+\/report$/
const WORKLIST_PATH = /\/api\/v1\/worklist/

let data: SeededDataDir
let mrSources: SourceInstance[]
let usSources: SourceInstance[]
let MR_STUDY: string
let US_STUDY: string

async function readFolder(folder: string): Promise<SourceInstance[]> {
  const names = (await readdir(DEMO_DICOM + folder)).sort()
  return Promise.all(names.map((name) => readSourceInstance(`${DEMO_DICOM}${folder}/${name}`)))
}

beforeAll(async () => {
  mrSources = await readFolder('mr-wrist')
  usSources = await readFolder('us-cine')
  MR_STUDY = mrSources[0]!.studyInstanceUid
  US_STUDY = usSources[0]!.studyInstanceUid
  data = await createSeededDataDir(async (server) => {
    const [admin, reader] = await Promise.all([loginAs(server.url, 'admin'), loginAs(server.url, READER)])
    // reader1 keeps the MR and the ultrasound; the others (the head CT and its priors, 15 MB, the mammograms) go
    for (const assignment of (await fetchWorklist(server.url, reader)).assignments) {
      if (assignment.studyInstanceUid !== US_STUDY && assignment.studyInstanceUid !== MR_STUDY) await deleteAssignment(server.url, admin, assignment.id)
    }
  })
})

afterAll(async () => {
  await data?.remove()
})

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.()
})

interface Scenario {
  server: RestartableReadingServer
  proxy: FaultProxy
  token: string
  mr: Assignment
  us: Assignment
  report: ReportContent
}

/** A reading server over a fresh copy of the data, the proxy in front of it, and the reader logged in (directly). */
async function startScenario(options: RestartOptions = {}): Promise<Scenario> {
  const dataDir = await data.copy()
  const server = await startRestartableReadingServer(dataDir, options)
  const proxy = await startFaultProxy(server.url)
  cleanups.push(async () => {
    await proxy.close()
    await server.stop()
    await rm(dataDir, { recursive: true, force: true })
  })
  const token = await loginAs(server.url, READER)
  const { assignments } = await fetchWorklist(server.url, token)
  expect(assignments.map((a) => [a.studyInstanceUid, a.priors.length])).toEqual([
    [MR_STUDY, 0],
    [US_STUDY, 0],
  ])
  const [mr, us] = assignments as [Assignment, Assignment]
  const master = await createReportClient(server.url, () => token).master(us.id)
  const report: ReportContent = {
    masterVersion: master.version,
    scale: 'report-check',
    findings: [{ findingCode: 'ctmr-no-abnormality', bodyPartCode: 'head', judgement: 'N', keyImages: [], measurements: [] }],
    impression: '明らかな異常所見を認めません。',
    comments: '',
    keyImages: [],
    measurements: [],
  }
  return { server, proxy, token, mr, us, report }
}

interface EngineRun {
  engine: SyncEngine
  db: WorkstationDb
  cipher: CacheCipher
  sync: SyncEventRecorder
  draft: ReportContent
}

/**
 * The engine, started against the proxy, with the ultrasound's report queued in the outbox and a
 * draft of the MR's report saved, as a reader leaves them.
 */
async function startEngine(scenario: Scenario, options: { fetch?: typeof fetch; dicomwebRoot?: string } = {}): Promise<EngineRun> {
  const db = openTestWorkstationDb()
  const cipher = await createTestCipher()
  const sync = recordSyncEvents()
  const draft: ReportContent = { ...scenario.report, impression: '下書き: 手関節の所見を記載中' }
  await saveDraft(db, cipher, { assignmentId: scenario.mr.id, studyInstanceUid: MR_STUDY, content: draft, updatedAt: 1 })
  await queueReport(db, cipher, { assignmentId: scenario.us.id, studyInstanceUid: US_STUDY, content: scenario.report, updatedAt: 2 }, 'report-key-1', 2)
  const engine = createSyncEngine({
    serverUrl: scenario.proxy.url,
    token: scenario.token,
    db,
    cipher,
    events: sync.events,
    budgetBytes: 1e9,
    concurrency: CONCURRENCY,
    batchSize: BATCH_SIZE,
    pollWaitSeconds: 1,
    retry: RETRY,
    stallTimeoutMs: STALL_MS,
    studyRetryMs: STUDY_RETRY_MS,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.dicomwebRoot ? { dicomwebRoot: options.dicomwebRoot } : {}),
  })
  cleanups.push(() => {
    engine.stop()
    db.close()
  })
  await engine.start()
  return { engine, db, cipher, sync, draft }
}

const sorted = (values: Iterable<string>) => [...values].sort()

function repeated(values: readonly string[]): string[] {
  const seen = new Set<string>()
  return sorted(new Set(values.filter((v) => seen.has(v) || !seen.add(v))))
}

const mrComplete = (run: EngineRun) => run.sync.progressOf(MR_STUDY)?.state === 'complete'

/** The instance requests the proxy saw, with what it did to them. */
const instanceRequests = (proxy: FaultProxy): ProxiedRequest[] => proxy.log.filter((r) => INSTANCE_PATH.test(r.path))

/** Those of the MR (the ultrasound is dropped from the downloads once its report is in, so its requests may stop at any point). */
const mrInstanceRequests = (proxy: FaultProxy): ProxiedRequest[] => instanceRequests(proxy).filter((r) => r.path.includes(`/studies/${MR_STUDY}/`))

/** SHA-256 of every instance as the server's import recorded it, by SOP Instance UID. */
async function serverHashes(scenario: Scenario): Promise<Map<string, { study: string; sha256: string }>> {
  const { rows } = await scenario.server.running.db.query<{ sop_instance_uid: string; study_instance_uid: string; sha256: string }>(
    `select i.sop_instance_uid, se.study_instance_uid, i.sha256 from instances i join series se on se.series_instance_uid = i.series_instance_uid
      where se.study_instance_uid = any($1)`,
    [[MR_STUDY, US_STUDY]],
  )
  return new Map(rows.map((r) => [r.sop_instance_uid, { study: r.study_instance_uid, sha256: r.sha256 }]))
}

/**
 * The end state every scenario must reach: the MR complete in the cache, byte for byte as the
 * server holds it, nothing else cached that is not; every instance cached once; the report
 * stored on the server exactly once and the outbox saying so; the draft as it was.
 */
async function expectEverythingSafe(scenario: Scenario, run: EngineRun): Promise<void> {
  await run.sync.until('the MR to be complete in the cache', () => mrComplete(run), 20_000)
  await run.sync.until('the report to be sent', () => run.sync.reportsSent.includes(scenario.us.id), 20_000)

  const onServer = await serverHashes(scenario)
  const contents = await readCacheContents(run.db, run.cipher)
  expect(contents.problems).toEqual([])
  const mrSops = [...onServer].filter(([, v]) => v.study === MR_STUDY).map(([sop]) => sop)
  expect(mrSops).toHaveLength(mrSources.length)
  for (const sop of mrSops) expect(contents.hashes.get(sop), `cached ${sop}`).toBe(onServer.get(sop)?.sha256)
  // the ultrasound may or may not be cached (its report went out, so it is no longer needed): whatever is, is exact
  for (const [sop, hash] of contents.hashes) expect(hash, `cached ${sop}`).toBe(onServer.get(sop)?.sha256)
  expect(await run.db.studies.get(MR_STUDY)).toMatchObject({ complete: true, cachedInstanceCount: mrSources.length })
  expect(repeated(run.sync.cachedSops), 'instances cached twice').toEqual([])

  const stored = await scenario.server.running.db.query<{ n: number }>('select count(*)::int as n from reports where assignment_id = $1', [scenario.us.id])
  expect(stored.rows[0]?.n, 'reports stored for the ultrasound').toBe(1)
  expect(await run.db.outbox.get('report-key-1')).toMatchObject({ state: 'sent' })
  expect(run.sync.reportsRejected).toEqual([])
  expect((await loadDraft(run.db, run.cipher, scenario.mr.id))?.content).toEqual(run.draft)
}

describe('sync engine through a faulty network (reference reading server)', () => {
  it('the server killed mid-download: reports it offline, then resumes after the restart and fetches only what is missing', async () => {
    const scenario = await startScenario()
    const { proxy, server } = scenario
    // instance answers come slowly, so that several are on their way when the server dies
    proxy.addRule({ path: INSTANCE_PATH, fault: { kind: 'trickle', chunkBytes: 32_768, intervalMs: 60 } })
    const run = await startEngine(scenario)
    await run.sync.until('5 instances cached', () => run.sync.cachedSops.length >= 5)

    await server.stop()
    proxy.resetAll()
    await run.sync.until('the engine to say the server cannot be reached', () => run.sync.statuses.at(-1)?.fault?.kind === 'unreachable')
    expect(run.sync.statuses.at(-1)).toMatchObject({ online: false, fault: { kind: 'unreachable', retryAt: expect.any(Number) } })
    const cachedDuringOutage = run.sync.cachedSops.length
    expect(cachedDuringOutage).toBeLessThan(mrSources.length)
    expect((await readCacheContents(run.db, run.cipher)).problems).toEqual([])

    proxy.clearRules()
    const before = new Set(run.sync.cachedSops)
    const logBefore = proxy.log.length
    await server.restart()
    await expectEverythingSafe(scenario, run)
    const fetchedAfter = proxy.log.slice(logBefore).filter((r) => INSTANCE_PATH.test(r.path) && r.status === 200)
    for (const request of fetchedAfter) expect(before.has(request.path.split('/').at(-1) as string), `${request.path} fetched again`).toBe(false)
  })

  it('answers cut mid-body (length announced or not, instances, metadata and the report) are dropped and fetched again', async () => {
    const scenario = await startScenario()
    const { proxy } = scenario
    const announced = proxy.addRule({ path: INSTANCE_PATH, fault: { kind: 'truncate', framing: 'content-length', fraction: 0.6 }, times: 3 })
    const unannounced = proxy.addRule({ path: INSTANCE_PATH, fault: { kind: 'truncate', framing: 'close', fraction: 0.6 }, times: 3 })
    const reset = proxy.addRule({ path: INSTANCE_PATH, fault: { kind: 'reset', fraction: 0.3 }, times: 2 })
    const metadata = proxy.addRule({ path: /\/metadata$/, fault: { kind: 'truncate', framing: 'close', fraction: 0.5 }, times: 1 })
    const reportAnswer = proxy.addRule({ method: 'POST', path: REPORT_PATH, fault: { kind: 'truncate', framing: 'close', fraction: 0.5 }, times: 1 })
    const run = await startEngine(scenario)
    await expectEverythingSafe(scenario, run)
    expect([announced.hits, unannounced.hits, reset.hits, metadata.hits, reportAnswer.hits]).toEqual([3, 3, 2, 1, 1])
    // each cut instance of the MR was asked for again (and the cache holds only whole ones, above)
    const requests = mrInstanceRequests(proxy)
    const cut = requests.filter((r) => r.fault !== 'pass')
    expect(cut.length).toBeGreaterThan(0)
    for (const request of cut) expect(requests.some((r) => r.path === request.path && r.fault === 'pass' && r.at > request.at), request.path).toBe(true)
  })

  it('bytes altered on the way (same length) fail the digest and are fetched again, never kept', async () => {
    const scenario = await startScenario()
    const corrupt = scenario.proxy.addRule({ path: INSTANCE_PATH, fault: { kind: 'corrupt' }, times: 3 })
    const run = await startEngine(scenario)
    await expectEverythingSafe(scenario, run)
    expect(corrupt.hits).toBe(3)
    const requests = mrInstanceRequests(scenario.proxy)
    const altered = requests.filter((r) => r.fault === 'corrupt')
    expect(altered.length).toBeGreaterThan(0)
    for (const request of altered) expect(requests.filter((r) => r.path === request.path), request.path).toHaveLength(2)
  })

  it("the reference server's instance parts carry the length and SHA-256 of the file", async () => {
    const scenario = await startScenario()
    const source = mrSources[0]!
    const response = await fetch(`${scenario.server.url}/dicomweb/studies/${source.studyInstanceUid}/series/${source.seriesInstanceUid}/instances/${source.sopInstanceUid}`, {
      headers: { authorization: `Bearer ${scenario.token}`, accept: 'multipart/related; type="application/dicom"' },
    })
    const [part] = parseMultipart(new Uint8Array(await response.arrayBuffer()), boundaryFromContentType(response.headers.get('content-type') ?? '') ?? '')
    expect(part?.headers['content-length']).toBe(String(source.bytes.length))
    expect(part?.headers['content-digest']).toBe(`sha-256=:${Buffer.from(source.sha256, 'hex').toString('base64')}:`)
    expect(sha256(part?.body ?? new Uint8Array())).toBe(source.sha256)
  })

  it("503 with Retry-After: no request before the time the server gave (seconds, HTTP date, or at most the policy's bound)", async () => {
    const scenario = await startScenario()
    const { proxy } = scenario
    const run = await startEngine(scenario)
    await run.sync.until('3 instances cached', () => run.sync.cachedSops.length >= 3)

    // seconds
    const seconds = proxy.addRule({ path: INSTANCE_PATH, fault: { kind: 'status', status: 503, retryAfter: '1' }, times: 1 })
    await run.sync.until('the study to say the server is busy', () => run.sync.progressOf(MR_STUDY)?.fault?.kind === 'server-busy')
    expect(run.sync.progressOf(MR_STUDY)?.fault?.retryAt).toBeGreaterThan(Date.now() + 500)
    await run.sync.until('more instances', () => instanceRequests(proxy).filter((r) => r.fault === 'pass').length > 3 + 2 * CONCURRENCY)
    expectQuietAfter(proxy, 'status', 1_000)
    seconds.remove()

    // far longer than the policy allows (an hour): waited for RETRY.maxRetryAfterMs (2.5 s), not an hour
    const hour = proxy.addRule({ path: INSTANCE_PATH, fault: { kind: 'status', status: 503, retryAfter: '3600' }, times: 1 })
    const before = instanceRequests(proxy).length
    await run.sync.until('a request after the bounded wait', () => hour.hits === 1 && instanceRequests(proxy).length > before + 1 + CONCURRENCY, 10_000)
    expectQuietAfter(proxy, 'status', RETRY.maxRetryAfterMs!)

    // an HTTP date, on the worklist poll: the status says busy and when it tries again
    await run.sync.until('the MR to be complete', () => mrComplete(run))
    // the next whole second but one: 1 to 2 s from now by the server's Date (whole seconds too), within the policy's bound
    const at = new Date(Math.ceil(Date.now() / 1000) * 1000 + 1000)
    proxy.addRule({ path: WORKLIST_PATH, fault: { kind: 'status', status: 503, retryAfter: at.toUTCString() }, times: 1 })
    run.engine.refresh()
    await run.sync.until('the status to say the server is busy', () => run.sync.statuses.at(-1)?.fault?.kind === 'server-busy')
    expect(run.sync.statuses.at(-1)).toMatchObject({ online: false, fault: { kind: 'server-busy' } })
    // measured against the server's Date header, which has whole seconds: up to a second later, never earlier
    const retryAt = run.sync.statuses.at(-1)?.fault?.retryAt ?? 0
    expect(retryAt).toBeGreaterThanOrEqual(at.getTime() - 50)
    expect(retryAt).toBeLessThan(at.getTime() + 1_100)
    const refused = proxy.log.findLast((r) => WORKLIST_PATH.test(r.path) && r.fault === 'status') as ProxiedRequest
    await run.sync.until('online again', () => run.sync.statuses.at(-1)?.online === true, 5_000)
    const next = proxy.log.find((r) => WORKLIST_PATH.test(r.path) && r.at > refused.at)
    expect((next?.at ?? 0) - refused.at).toBeGreaterThanOrEqual(1_000)
    await expectEverythingSafe(scenario, run)
  })

  it('a server failing (500) for longer than the retry budget: the study says so, then completes by itself once the server recovers', async () => {
    const scenario = await startScenario()
    const failing = scenario.proxy.addRule({ path: INSTANCE_PATH, fault: { kind: 'status', status: 500, message: 'disk array offline' } })
    const run = await startEngine(scenario)
    await run.sync.until('the MR to fail', () => run.sync.progressOf(MR_STUDY)?.state === 'error')
    expect(run.sync.progressOf(MR_STUDY)?.fault).toMatchObject({ kind: 'server-error', detail: expect.stringContaining('disk array offline'), retryAt: expect.any(Number) })
    expect(run.sync.progressOf(MR_STUDY)?.cachedInstances).toBe(0)
    failing.remove()
    await expectEverythingSafe(scenario, run)
  })

  it('a slow server: answers seconds late and bodies trickling for longer than the stall timeout complete; a hung request is given up on and retried', async () => {
    const scenario = await startScenario()
    const { proxy } = scenario
    // two bodies trickling for over 2 s each (a piece every 0.25 s), a request never answered,
    // then 0.9 s per answer (under the 1.5 s stall timeout) for four more
    const slow = proxy.addRule({ path: INSTANCE_PATH, fault: { kind: 'trickle', chunkBytes: 16_384, intervalMs: 250 }, times: 2 })
    const hung = proxy.addRule({ path: INSTANCE_PATH, fault: { kind: 'hang' }, times: 1 })
    const late = proxy.addRule({ path: INSTANCE_PATH, fault: { kind: 'delay', ms: 900 }, times: 4 })
    const run = await startEngine(scenario)
    const faults: string[] = []
    run.sync.until('a timeout to show', () => {
      const fault = run.sync.progressOf(MR_STUDY)?.fault
      if (fault) faults.push(fault.kind)
      return fault?.kind === 'timeout'
    }).catch(() => undefined)
    await expectEverythingSafe(scenario, run)
    expect([slow.hits, hung.hits, late.hits]).toEqual([2, 1, 4])
    // answers that came late, or slowly, but never stalled for the stall timeout, were taken as they came
    const requests = mrInstanceRequests(proxy)
    const askedAgain = (request: ProxiedRequest) => requests.filter((r) => r.path === request.path && r.at > request.at)
    for (const request of requests.filter((r) => r.fault === 'delay' || r.fault === 'trickle')) expect(askedAgain(request), request.path).toEqual([])
    expect(faults).toContain('timeout')
    // the hung one was, after the stall timeout
    for (const request of requests.filter((r) => r.fault === 'hang')) {
      const retry = requests.find((r) => r.path === request.path && r.at > request.at)
      expect((retry?.at ?? 0) - request.at, request.path).toBeGreaterThanOrEqual(STALL_MS - 50)
    }
  })

  it('connection refused mid-download: says so while it lasts, and resumes when the server accepts again', async () => {
    const scenario = await startScenario()
    const { proxy } = scenario
    proxy.addRule({ path: INSTANCE_PATH, fault: { kind: 'delay', ms: 100 } })
    const run = await startEngine(scenario)
    await run.sync.until('4 instances cached', () => run.sync.cachedSops.length >= 4)
    await proxy.refuse()
    // (the poll under way when the proxy closed first sees its connection closed, then the next one is refused)
    await run.sync.until('the status to say the connection is refused', () => /connection was refused.*ECONNREFUSED/.test(run.sync.statuses.at(-1)?.fault?.detail ?? ''))
    expect(run.sync.statuses.at(-1)).toMatchObject({ online: false, fault: { kind: 'unreachable', retryAt: expect.any(Number) } })
    await run.sync.until('the MR to fail for now', () => run.sync.progressOf(MR_STUDY)?.state === 'error')
    expect(run.sync.progressOf(MR_STUDY)?.fault).toMatchObject({ kind: 'unreachable', retryAt: expect.any(Number) })
    await proxy.accept()
    await expectEverythingSafe(scenario, run)
  })

  it('an image source whose name does not resolve (DNS): the study says so, and completes by itself once it resolves', async () => {
    const scenario = await startScenario()
    const dns = { resolves: false }
    const PACS = 'pacs.invalid'
    // the studies come from a PACS by name; while "DNS is down" the name goes to the real resolver,
    // which has no such name (.invalid, RFC 6761); once "up", it resolves to the proxy
    const resolving: typeof fetch = (input, init) => {
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url)
      if (url.hostname === PACS && dns.resolves) url.host = `127.0.0.1:${scenario.proxy.port}`
      return fetch(url.href, init)
    }
    const run = await startEngine(scenario, { fetch: resolving, dicomwebRoot: `http://${PACS}:${scenario.proxy.port}/dicomweb` })
    await run.sync.until('the MR to fail for now', () => run.sync.progressOf(MR_STUDY)?.state === 'error', 15_000)
    expect(run.sync.progressOf(MR_STUDY)?.fault).toMatchObject({ kind: 'unreachable', detail: expect.stringMatching(/pacs\.invalid.*could not be resolved/), retryAt: expect.any(Number) })
    // the reading server itself is fine meanwhile: the worklist syncs and the report goes out
    await run.sync.until('the report to be sent', () => run.sync.reportsSent.includes(scenario.us.id))
    expect(run.sync.statuses.at(-1)?.online).toBe(true)
    dns.resolves = true
    await expectEverythingSafe(scenario, run)
  })

  it('the session expires mid-prefetch: one clear notice, nothing lost or failed, and a new login resumes it', async () => {
    let clockShiftMs = 0
    const scenario = await startScenario({ now: () => new Date(Date.now() + clockShiftMs) })
    scenario.proxy.addRule({ path: INSTANCE_PATH, fault: { kind: 'delay', ms: 100 } })
    // the report cannot go out before the session ends: it must survive the expiry in the outbox
    const held = scenario.proxy.addRule({ method: 'POST', path: REPORT_PATH, fault: { kind: 'status', status: 503, retryAfter: '1' } })
    const run = await startEngine(scenario)
    await run.sync.until('5 instances cached', () => run.sync.cachedSops.length >= 5)

    clockShiftMs = 9 * HOUR_MS // past the token's 8 h
    held.remove()
    await run.sync.until('the session-expired notice', () => run.sync.authExpiredCount > 0)
    await run.engine.settled()
    expect(run.sync.authExpiredCount).toBe(1)
    expect(run.sync.statuses.at(-1)?.fault?.kind).toBe('session-expired')
    const cached = run.sync.cachedSops.length
    expect(cached).toBeLessThan(mrSources.length)
    expect(run.sync.progressOf(MR_STUDY)?.state).not.toBe('error')
    expect((await readCacheContents(run.db, run.cipher)).hashes.size).toBe(cached)
    expect(await run.db.outbox.get('report-key-1')).toMatchObject({ state: 'pending' })

    run.engine.setToken(await loginAs(scenario.server.url, READER))
    await expectEverythingSafe(scenario, run)
    expect(run.sync.statuses.at(-1)?.fault ?? null).toBeNull()
  })
})

/** After each request the rule answered with `fault`, no instance request reached the server for `quietMs`. */
function expectQuietAfter(proxy: FaultProxy, fault: ProxiedRequest['fault'], quietMs: number): void {
  const requests = instanceRequests(proxy)
  const refused = requests.filter((r) => r.fault === fault).at(-1) as ProxiedRequest
  const after = requests.filter((r) => r.at > refused.at)
  expect(after.length).toBeGreaterThan(0)
  // a request already on its way when the 503 came is let through; the next ones wait
  const early = after.filter((r) => r.at - refused.at < quietMs - 50)
  expect(early.length, `requests within ${quietMs} ms of the 503`).toBeLessThanOrEqual(CONCURRENCY - 1)
}

describe('sync engine through a faulty network (Orthanc as the image source: lengths only, no digest)', () => {
  let orthanc: OrthancProcess | undefined
  let orthancProxy: FaultProxy | undefined

  beforeAll(async () => {
    orthanc = await startOrthanc()
    const running = orthanc
    for (const source of [...mrSources, ...usSources]) await running.uploadFile(source.path)
    orthancProxy = await startFaultProxy(orthanc.url)
  })

  afterAll(async () => {
    await orthancProxy?.close()
    await orthanc?.stop()
  })

  it('answers cut mid-body (gzip-coded, length announced or not) are dropped and fetched again', async () => {
    if (!orthanc || !orthancProxy) throw new Error('Orthanc did not start')
    const scenario = await startScenario()
    const announced = orthancProxy.addRule({ path: INSTANCE_PATH, fault: { kind: 'truncate', framing: 'content-length', fraction: 0.6 }, times: 2 })
    const unannounced = orthancProxy.addRule({ path: INSTANCE_PATH, fault: { kind: 'truncate', framing: 'close', fraction: 0.6 }, times: 2 })
    const reset = orthancProxy.addRule({ path: INSTANCE_PATH, fault: { kind: 'reset', fraction: 0.5 }, times: 1 })
    const run = await startEngine(scenario, { dicomwebRoot: `${orthancProxy.url}/dicom-web` })
    await expectEverythingSafe(scenario, run)
    expect([announced.hits, unannounced.hits, reset.hits]).toEqual([2, 2, 1])
    expect(instanceRequests(scenario.proxy), 'instances from the reading server').toEqual([])
  })
})
