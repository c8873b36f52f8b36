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
import { withStallTimeout } from '../api/stall-timeout-fetch.ts'
import type { CacheCipher } from '../cache/cache-cipher.ts'
import { evictStudies, markNeededStudies } from '../cache/cache-eviction.ts'
import { storeInstances } from '../cache/instance-store.ts'
import type { WorkstationDb } from '../cache/workstation-db.ts'
import { isQuotaError } from '../cache/storage-full-error.ts'
import { loadMaster } from '../repositories/report-repository.ts'
import { planStudy } from '../repositories/study-repository.ts'
import { createOutboxSender } from './outbox-sender.ts'
import { createPrefetchScheduler } from './prefetch-scheduler.ts'
import { DEFAULT_RETRY, isAuthFailure, retryDelay, type RetryPolicy } from './retry-policy.ts'
import { orderStudyJobs, type StudyJob } from './study-jobs.ts'
import type { SyncEvents, SyncStatus } from './sync-events.ts'
import { syncFaultOf } from './sync-fault.ts'

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
  /**
   * A request fails when the server sends nothing for this long (default 30 s): no answer yet,
   * or no more of the body. A slow but steady download is never cut (see stall-timeout-fetch.ts).
   */
  stallTimeoutMs?: number
  /** How long after a study failed on transient faults it is tried again by itself (default 60 s). */
  studyRetryMs?: number
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
const DEFAULT_STALL_TIMEOUT_MS = 30_000
const DEFAULT_STUDY_RETRY_MS = 60_000
const DEFAULT_POLL_WAIT_SECONDS = 25
/** The longest the worklist poll waits between attempts while the server is unreachable. */
const MAX_POLL_BACKOFF_MS = 30_000
const VERSION_KEY = 'worklist-version'
const POLICY_KEY = 'cache-policy'
const SYNCED_KEY = 'last-synced-at'

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const { db, cipher, events } = options
  const now = options.now ?? Date.now
  const sleep = options.sleep ?? defaultSleep
  const retry = options.retry ?? DEFAULT_RETRY
  const baseFetch = options.fetch ?? globalThis.fetch.bind(globalThis)
  const stallMs = options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS
  const pollWaitSeconds = options.pollWaitSeconds ?? DEFAULT_POLL_WAIT_SECONDS
  const fetchFn = withStallTimeout(baseFetch, stallMs)
  // the worklist long-poll is silent by design until the worklist changes or its wait is over
  const server = createReadingServerClient(options.serverUrl, withStallTimeout(baseFetch, stallMs + pollWaitSeconds * 1000))
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

  /** Counts setToken calls: which session a request went out with. */
  let session = 0
  /** The session each request the server refused was sent with. */
  const refusedWith = new WeakMap<object, number>()
  /** Runs a request, remembering which session it was sent with if it fails. */
  const underSession = <T>(call: () => Promise<T>): Promise<T> => {
    const sentWith = session
    return call().catch((error: unknown) => {
      if (typeof error === 'object' && error !== null) refusedWith.set(error, sentWith)
      throw error
    })
  }

  /**
   * The server refused the session (in the poll, a download or the outbox, often several at
   * once): everything pauses, keeping what it has and what it still needs, and the reader is
   * told once. setToken (a new login) resumes where it stopped. A refusal of a request that
   * went out before the new login is old news: it is simply tried again with the new session.
   */
  const sessionExpired = (error: unknown) => {
    const sentWith = typeof error === 'object' && error !== null ? refusedWith.get(error) : undefined
    if (sentWith !== undefined && sentWith !== session) {
      if (!authPaused) {
        scheduler.resume()
        outbox.kick()
      }
      return
    }
    scheduler.pause()
    if (authPaused) return
    authPaused = true
    setStatus({ fault: syncFaultOf(error) })
    events.authExpired()
  }

  const scheduler = createPrefetchScheduler({
    planStudy: (uid) => underSession(() => planStudy(dicomweb, db, server.serverUrl, uid)),
    fetchInstance: (instance) => underSession(() => dicomweb.retrieveInstance(instance.studyInstanceUid, instance.seriesInstanceUid, instance.sopInstanceUid)),
    storeBatch: (batch) => storeInstances(db, cipher, batch),
    onProgress: (uid, progress) => events.progress(uid, progress),
    onInstancesCached: (uids) => events.instancesCached(uids),
    onAuthFailure: (error) => sessionExpired(error),
    freeSpace: async () => (await evictStudies(db, { budgetBytes: options.budgetBytes, retentionMs, now: now(), extraBytes: options.budgetBytes / 10 })).length > 0,
    onStorageFull: (error) => events.storageFull(error.message),
    sleep,
    now,
    concurrency: options.concurrency ?? 4,
    batchSize: options.batchSize ?? 8,
    retry,
    studyRetryMs: options.studyRetryMs ?? DEFAULT_STUDY_RETRY_MS,
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
    client: { ...reports, submit: (id, content, key) => underSession(() => reports.submit(id, content, key)) },
    events: {
      sent: (id) => {
        events.reportSent(id)
        // the worklist now shows the assignment as submitted: fetch it
        immediate = true
        poll?.abort()
      },
      rejected: (id, reason) => events.reportRejected(id, reason),
      authFailure: (error) => sessionExpired(error),
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
        const wait = first || immediate ? 0 : pollWaitSeconds
        immediate = false
        const signal = poll.signal
        const changed = await underSession(() => server.worklistChanges(first ? null : version, wait, signal))
        // back after an outage: studies that failed meanwhile are tried again, queued reports go out
        if (failures > 0 && !changed) scheduler.setJobs(jobs)
        if (failures > 0) outbox.kick()
        failures = 0
        first = false
        const syncedAt = now()
        await db.syncState.put({ key: SYNCED_KEY, value: syncedAt })
        setStatus({ online: true, lastSyncedAt: syncedAt, problem: null, fault: null })
        if (changed) {
          version = changed.version
          await applyWorklist(changed)
        }
        markFirstSync?.()
      } catch (error) {
        if (stopped) return
        if (poll.signal.aborted) continue // refresh(): poll again at once
        if (isAuthFailure(error)) {
          sessionExpired(error)
          continue
        }
        if (isQuotaError(error)) {
          // the server answered; this computer could not write it down: say so, not "offline"
          events.storageFull(error instanceof Error ? error.message : String(error))
          setStatus({ online: true, problem: null, fault: null })
          await Promise.race([sleep(pollWaitSeconds * 1000), new Promise<void>((resolve) => (wakePoller = resolve))])
          continue
        }
        failures += 1
        // the first poll after an outage must not wait: it is how the engine learns the server is back
        immediate = true
        // a busy server's Retry-After is honoured (bounded by the policy), otherwise back-off
        const delay = retryDelay(error, failures, { ...retry, maxDelayMs: MAX_POLL_BACKOFF_MS })
        setStatus({ online: false, problem: error instanceof Error ? error.message : String(error), fault: syncFaultOf(error, now() + delay) })
        markFirstSync?.()
        await Promise.race([sleep(delay), new Promise<void>((resolve) => (wakePoller = resolve))])
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
      session += 1
      server.setToken(token)
      if (authPaused) setStatus({ fault: null })
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
