/**
 * Keeps this workstation's cache in step with the reader's worklist: long-polls the
 * worklist (back-off while the server is unreachable), stores it for offline use, and
 * prefetches every assigned study and its priors in order. Runs in the sync worker, and in
 * Node for integration tests: it uses only fetch, IndexedDB (Dexie) and WebCrypto.
 */
import type { Assignment, WorklistResponse } from '../../../shared/api-contract.ts'
import { createDicomwebClient } from '../api/dicomweb-client.ts'
import { createReportClient } from '../api/report-client.ts'
import { createReadingServerClient } from '../api/reading-server-client.ts'
import type { CacheCipher } from '../cache/cache-cipher.ts'
import { evictStudies, markNeededStudies } from '../cache/cache-eviction.ts'
import { storeInstances } from '../cache/instance-store.ts'
import type { WorkstationDb } from '../cache/workstation-db.ts'
import { loadMaster } from '../repositories/report-repository.ts'
import { planStudy } from '../repositories/study-repository.ts'
import { createOutboxSender } from './outbox-sender.ts'
import { createPrefetchScheduler } from './prefetch-scheduler.ts'
import { backoffDelay, DEFAULT_RETRY, isAuthFailure, type RetryPolicy } from './retry-policy.ts'
import { orderStudyJobs, type StudyJob } from './study-jobs.ts'
import type { SyncEvents, SyncStatus } from './sync-events.ts'

export interface SyncEngineOptions {
  serverUrl: string
  token: string
  db: WorkstationDb
  cipher: CacheCipher
  events: SyncEvents
  /** Cache size budget in bytes. */
  budgetBytes: number
  /** Where DICOMweb lives, when not on the reading server itself (e.g. a PACS). */
  dicomwebRoot?: string
  fetch?: typeof fetch
  concurrency?: number
  batchSize?: number
  pollWaitSeconds?: number
  retry?: RetryPolicy
  now?: () => number
  sleep?: (ms: number) => Promise<void>
}

export interface SyncEngine {
  start(): Promise<void>
  stop(): void
  setToken(token: string): void
  prioritize(studyInstanceUid: string): void
  /** Polls the worklist again now. */
  refresh(): void
  /** A report was queued: send it now. */
  sendOutbox(): void
  /** Resolves when no queued report can be sent right now. */
  outboxDrained(): Promise<void>
  /** Resolves once the worklist was fetched and everything it needs is cached (or failed). */
  settled(): Promise<void>
}

const DAY_MS = 86_400_000
const VERSION_KEY = 'worklist-version'
const POLICY_KEY = 'cache-policy'
const SYNCED_KEY = 'last-synced-at'

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const { db, cipher, events } = options
  const now = options.now ?? Date.now
  const sleep = options.sleep ?? defaultSleep
  const retry = options.retry ?? DEFAULT_RETRY
  const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis)
  const server = createReadingServerClient(options.serverUrl, fetchFn)
  server.setToken(options.token)
  const dicomweb = createDicomwebClient({ root: options.dicomwebRoot ?? server.dicomwebRoot, getToken: () => server.getToken(), fetch: fetchFn })

  let stopped = false
  let authPaused = false
  let poll: AbortController | null = null
  let firstSync: Promise<void> | null = null
  let markFirstSync: (() => void) | null = null
  let retentionMs = 7 * DAY_MS
  let status: SyncStatus = { online: false, lastSyncedAt: null, problem: null }
  let wakePoller: (() => void) | null = null
  let immediate = false
  /** What the last worklist needs, to try again what failed while the server was unreachable. */
  let jobs: StudyJob[] = []

  const setStatus = (next: Partial<SyncStatus>) => {
    status = { ...status, ...next }
    events.status(status)
  }

  const scheduler = createPrefetchScheduler({
    planStudy: (uid) => planStudy(dicomweb, db, server.serverUrl, uid),
    fetchInstance: (instance) => dicomweb.retrieveInstance(instance.studyInstanceUid, instance.seriesInstanceUid, instance.sopInstanceUid),
    storeBatch: (batch) => storeInstances(db, cipher, batch),
    onProgress: (uid, progress) => events.progress(uid, progress),
    onInstancesCached: (uids) => events.instancesCached(uids),
    onAuthFailure: () => {
      authPaused = true
      events.authExpired()
    },
    freeSpace: async () => (await evictStudies(db, { budgetBytes: options.budgetBytes, retentionMs, now: now(), extraBytes: options.budgetBytes / 10 })).length > 0,
    onStorageFull: (error) => events.storageFull(error.message),
    sleep,
    now,
    concurrency: options.concurrency ?? 4,
    batchSize: options.batchSize ?? 8,
    retry,
  })

  const reports = createReportClient(server.serverUrl, () => server.getToken(), fetchFn)

  /** Keeps each open assignment's finding master on this computer, so that it can be reported offline. */
  async function keepMasters(assignments: readonly Assignment[]): Promise<void> {
    for (const a of assignments) {
      if (stopped || a.status === 'submitted') continue
      await loadMaster(reports, db, a.id).catch(() => undefined) // a facility without a master: nothing to keep
    }
  }

  const outbox = createOutboxSender({
    db,
    cipher,
    client: reports,
    events: {
      sent: (id) => {
        events.reportSent(id)
        // the worklist now shows the assignment as submitted: fetch it
        immediate = true
        poll?.abort()
      },
      rejected: (id, reason) => events.reportRejected(id, reason),
      authFailure: () => {
        authPaused = true
        events.authExpired()
      },
    },
    retry,
    sleep,
    now,
  })

  async function applyWorklist(worklist: WorklistResponse): Promise<void> {
    const assignments: Assignment[] = worklist.assignments
    retentionMs = worklist.cachePolicy.retentionDays * DAY_MS
    await db.transaction('rw', [db.assignments, db.syncState], async () => {
      await db.assignments.clear()
      await db.assignments.bulkPut(assignments.map((a) => ({ ...a, serverUrl: server.serverUrl })))
      await db.syncState.bulkPut([
        { key: VERSION_KEY, value: worklist.version },
        { key: POLICY_KEY, value: worklist.cachePolicy },
      ])
    })
    events.worklist(assignments, false)
    jobs = orderStudyJobs(assignments)
    await markNeededStudies(db, new Set(jobs.map((j) => j.studyInstanceUid)), now())
    await evictStudies(db, { budgetBytes: options.budgetBytes, retentionMs, now: now() })
    scheduler.setJobs(jobs)
    // a download paused for lack of space tries again: the new worklist may have freed some
    if (!authPaused) scheduler.resume()
    void keepMasters(assignments)
  }

  async function pollLoop(): Promise<void> {
    let version = ((await db.syncState.get(VERSION_KEY))?.value as string | undefined) ?? null
    let failures = 0
    let first = true
    while (!stopped) {
      if (authPaused) {
        await new Promise<void>((resolve) => (wakePoller = resolve))
        continue
      }
      poll = new AbortController()
      try {
        const wait = first || immediate ? 0 : (options.pollWaitSeconds ?? 25)
        immediate = false
        const changed = await server.worklistChanges(first ? null : version, wait, poll.signal)
        // back after an outage: studies that failed meanwhile are tried again, queued reports go out
        if (failures > 0 && !changed) scheduler.setJobs(jobs)
        if (failures > 0) outbox.kick()
        failures = 0
        first = false
        const syncedAt = now()
        await db.syncState.put({ key: SYNCED_KEY, value: syncedAt })
        setStatus({ online: true, lastSyncedAt: syncedAt, problem: null })
        if (changed) {
          version = changed.version
          await applyWorklist(changed)
        }
        markFirstSync?.()
      } catch (error) {
        if (stopped) return
        if (poll.signal.aborted) continue // refresh(): poll again at once
        if (isAuthFailure(error)) {
          authPaused = true
          scheduler.pause()
          events.authExpired()
          continue
        }
        failures += 1
        // the first poll after an outage must not wait: it is how the engine learns the server is back
        immediate = true
        setStatus({ online: false, problem: error instanceof Error ? error.message : String(error) })
        markFirstSync?.()
        await Promise.race([sleep(backoffDelay(failures, { ...retry, maxDelayMs: 30_000 })), new Promise<void>((resolve) => (wakePoller = resolve))])
      }
    }
  }

  return {
    async start() {
      firstSync = new Promise((resolve) => (markFirstSync = resolve))
      const cached = await db.assignments.toArray()
      const fromServer = cached.filter((a) => a.serverUrl === server.serverUrl)
      const lastSyncedAt = ((await db.syncState.get(SYNCED_KEY))?.value as number | undefined) ?? null
      if (fromServer.length) events.worklist(fromServer, true)
      setStatus({ online: false, lastSyncedAt, problem: null })
      jobs = orderStudyJobs(fromServer)
      if (fromServer.length) scheduler.setJobs(jobs)
      void pollLoop()
      outbox.kick()
    },
    stop() {
      stopped = true
      poll?.abort()
      wakePoller?.()
      scheduler.stop()
      outbox.stop()
    },
    setToken(token) {
      server.setToken(token)
      authPaused = false
      scheduler.resume()
      wakePoller?.()
      outbox.kick()
    },
    sendOutbox() {
      outbox.kick()
    },
    outboxDrained: () => outbox.drained(),
    prioritize(uid) {
      scheduler.prioritize(uid)
    },
    refresh() {
      immediate = true
      poll?.abort()
      wakePoller?.()
    },
    async settled() {
      await firstSync
      await scheduler.idle()
    },
  }
}
