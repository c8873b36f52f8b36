/**
 * The composition root: the renderer's stores wired to the server client, the local cache,
 * the sync worker and the desktop. The sync worker runs while a reader is logged in.
 */
import { createReadingCaseClient } from './api/reading-case-client.ts'
import { createAuditPoster } from './audit/audit-api.ts'
import { createAuditLogStore } from './audit/audit-log-store.ts'
import { createAuditQueue } from './audit/audit-queue.ts'
import { createAuditSearchClient } from './audit/audit-search-client.ts'
import { createAuditSender } from './audit/audit-sender.ts'
import { watchForAudit } from './audit/audit-store-watchers.ts'
import { auditOwner, createWorkstationAudit } from './audit/workstation-audit.ts'
import { createReadingServerClient } from './api/reading-server-client.ts'
import { createReportClient } from './api/report-client.ts'
import { createAesGcmCipher, rawKeyFromBase64, type CacheCipher } from './cache/cache-cipher.ts'
import { createInstanceReader } from './cache/instance-reader.ts'
import { openWorkstationDb } from './cache/workstation-db.ts'
import { saveBlob } from './components/save-blob.ts'
import { desktop } from './desktop/desktop.ts'
import { createReportStorage, loadMaster } from './repositories/report-repository.ts'
import { listCachedSeries } from './repositories/study-repository.ts'
import { createReadingCaseStore } from './stores/reading-case-store.ts'
import { createReportCheckStore } from './stores/report-check-store.ts'
import { createReportStore } from './stores/report-store.ts'
import { createSessionStore } from './stores/session-store.ts'
import { createStatisticsStore } from './stores/statistics-store.ts'
import { createStudyStore } from './stores/study-store.ts'
import { useSyncStore } from './stores/sync-store.ts'
import { createViewerSettingsStore } from './stores/viewer-settings-store.ts'
import { createViewerStore } from './stores/viewer-store.ts'
import { useWorklistStore } from './stores/worklist-store.ts'
import { connectSyncWorker, type SyncConnection } from './sync/sync-connection.ts'
import type { SyncMessage } from './sync/sync-protocol.ts'
import { releaseDecodedImages, setDecodedCacheLimit } from './viewer/cornerstone-setup.ts'

const db = openWorkstationDb()
/** Half of what the browser grants this origin, unless settings say otherwise. */
const BUDGET_SHARE = 0.5
const FALLBACK_BUDGET = 20 * 1024 ** 3

let cipher: Promise<CacheCipher> | null = null
let cacheKeyPersistent = true
let connection: SyncConnection | null = null

function getCipher(): Promise<CacheCipher> {
  cipher ??= desktop.cache.key().then((k) => {
    cacheKeyPersistent = k.persistent
    return createAesGcmCipher(rawKeyFromBase64(k.key))
  })
  return cipher
}

const reader = createInstanceReader(db, getCipher)

/** Reads a cached instance's bytes for the viewer's image loader (a stable function). */
export const readInstanceFromCache = (sopInstanceUid: string) => reader.read(sopInstanceUid)

export const useSessionStore = createSessionStore({ desktop, createClient: (url) => createReadingServerClient(url) })

export const useStudyStore = createStudyStore({
  listSeries: (uid) => listCachedSeries(db, uid),
  prioritize: (uid) => connection?.send({ type: 'prioritize', studyInstanceUid: uid }),
  touch: async (uid) => void (await db.studies.update(uid, { lastOpenedAt: Date.now() })),
  released: () => {
    useViewerStore.getState().reset()
    releaseDecodedImages()
  },
})

/** What the viewer shows of the open study: plan, layout, active viewport, tool. */
export const useViewerStore = createViewerStore()

/** The reader's own viewer settings (shortcuts, hanging preferences, memory), kept on this computer. */
export const useViewerSettingsStore = createViewerSettingsStore(globalThis.localStorage)

// the decoded-image cache follows the reader's setting
useViewerSettingsStore.subscribe((state, previous) => {
  if (state.decodedCacheMb !== previous.decodedCacheMb) setDecodedCacheLimit(state.decodedCacheMb)
})

export const useReportStore = createReportStore({
  loadMaster: (assignmentId) => {
    const client = useSessionStore.getState().client
    if (!client) return Promise.reject(new Error('not logged in'))
    return loadMaster(createReportClient(client.serverUrl, () => client.getToken()), db, assignmentId)
  },
  storage: createReportStorage(db, getCipher),
  notifyOutbox: () => connection?.send({ type: 'send-outbox' }),
})

// double-ui: the reading case of the open assignment (online only: a blinded read never reaches the local database)
export const useReadingCaseStore = createReadingCaseStore({
  client: () => {
    const client = useSessionStore.getState().client
    return client ? createReadingCaseClient(client.serverUrl, () => client.getToken()) : null
  },
  loadMaster: (assignmentId) => {
    const client = useSessionStore.getState().client
    if (!client) return Promise.reject(new Error('not logged in'))
    return loadMaster(createReportClient(client.serverUrl, () => client.getToken()), db, assignmentId)
  },
  log: (message, error) => console.warn(message, error),
})
useStudyStore.subscribe((state, previous) => {
  if (state.assignment?.id === previous.assignment?.id) return
  if (state.assignment) void useReadingCaseStore.getState().open(state.assignment)
  else useReadingCaseStore.getState().close()
})
useWorklistStore.subscribe((state, previous) => {
  if (state.assignments !== previous.assignments) useReadingCaseStore.getState().worklistChanged(state.assignments)
})
useReportStore.subscribe((state, previous) => {
  if (state.status === 'sent' && previous.status === 'queued' && state.assignment) useReadingCaseStore.getState().reportSent(state.assignment.id)
})
// end of double-ui block

// check-ui: the report check of the open assignment and reader statistics (online only, nothing kept on disk)
function sessionCaseClient() {
  const client = useSessionStore.getState().client
  if (!client) throw new Error('not logged in')
  return createReadingCaseClient(client.serverUrl, () => client.getToken())
}
export const useReportCheckStore = createReportCheckStore({
  client: sessionCaseClient,
  loadMaster: (assignmentId) => {
    const client = useSessionStore.getState().client
    if (!client) return Promise.reject(new Error('not logged in'))
    return loadMaster(createReportClient(client.serverUrl, () => client.getToken()), db, assignmentId)
  },
})
useWorklistStore.subscribe((state, previous) => {
  if (state.assignments !== previous.assignments) useReportCheckStore.getState().worklistChanged(state.assignments)
})
export const useStatisticsStore = createStatisticsStore({ client: sessionCaseClient, save: saveBlob })
// end of check-ui block

function onSyncMessage(message: SyncMessage): void {
  const sync = useSyncStore.getState()
  switch (message.type) {
    case 'worklist':
      useWorklistStore.getState().setAssignments(message.assignments, message.fromCache)
      break
    case 'status':
      sync.setStatus(message.status)
      break
    case 'progress': {
      const previous = sync.progress[message.studyInstanceUid]
      sync.setProgress(message.studyInstanceUid, message.progress)
      const open = useStudyStore.getState()
      // the open study or one of its priors was indexed or completed: the viewer's series lists change
      if (open.concerns(message.studyInstanceUid) && previous?.state !== message.progress.state) void open.refresh()
      break
    }
    case 'instances-cached':
      reader.arrived(message.sopInstanceUids)
      break
    case 'auth-expired':
      // sec-auth: access tokens live 15 minutes; refresh (the new token reaches the worker below) before giving up
      void useSessionStore.getState().tokenExpired()
      break
    case 'storage-full':
      sync.setAlert({ kind: 'storage-full', detail: message.message })
      break
    case 'cache-reset':
      sync.setAlert({ kind: 'cache-reset', detail: '' })
      break
    case 'failed':
      sync.setAlert({ kind: 'failed', detail: message.message })
      break
    case 'report-sent':
      void useReportStore.getState().outboxResult(message.assignmentId, { sent: true })
      break
    case 'report-rejected':
      void useReportStore.getState().outboxResult(message.assignmentId, { sent: false, reason: message.reason })
      break
  }
}

async function cacheBudget(): Promise<number> {
  const storage = globalThis.navigator?.storage
  if (!storage?.estimate) return FALLBACK_BUDGET
  // ask for storage the browser will not evict under pressure; refusal is fine, the budget still applies
  await storage.persist?.().catch(() => false)
  const { quota } = await storage.estimate()
  return quota ? Math.floor(quota * BUDGET_SHARE) : FALLBACK_BUDGET
}

async function startSync(): Promise<void> {
  const { client } = useSessionStore.getState()
  const token = client?.getToken()
  if (!client || !token) return
  const [key, budgetBytes] = await Promise.all([desktop.cache.key(), cacheBudget()])
  // logged out, expired or logged in again meanwhile: this start belongs to a session that is gone
  if (useSessionStore.getState().status !== 'logged-in' || useSessionStore.getState().client !== client) return
  stopSync()
  connection = connectSyncWorker(onSyncMessage)
  connection.send({ type: 'start', serverUrl: client.serverUrl, token, cacheKey: key.key, budgetBytes })
}

function stopSync(): void {
  connection?.close()
  connection = null
}

/** Deletes every cached study, series, instance and the cached worklist from this computer. */
export async function clearLocalData(): Promise<void> {
  const wasRunning = connection !== null
  stopSync()
  await db.transaction('rw', [db.instanceBlobs, db.instances, db.series, db.studies, db.assignments, db.syncState], async () => {
    await Promise.all([db.instanceBlobs.clear(), db.instances.clear(), db.series.clear(), db.studies.clear(), db.assignments.clear(), db.syncState.clear()])
  })
  useSyncStore.getState().reset()
  useWorklistStore.getState().clear()
  if (wasRunning) await startSync()
}

/** Asks the sync worker to poll the worklist now. */
export function refreshWorklist(): void {
  connection?.send({ type: 'refresh' })
}

useSessionStore.subscribe((state, previous) => {
  if (state.status === 'logged-in' && previous.status !== 'logged-in') {
    if (state.client && state.user) useViewerSettingsStore.getState().load(state.client.serverUrl, state.user.username)
    void getCipher().then(startSync)
  } else if (state.status !== 'logged-in' && previous.status === 'logged-in') {
    stopSync()
    useStudyStore.getState().close()
    useSyncStore.getState().reset()
    // a session-only key dies with the session: so does what it encrypted
    if (!cacheKeyPersistent && state.problem?.kind !== 'token-expired') void clearLocalData()
  }
})

// sec-auth: a refreshed or re-authenticated session's token goes to the sync worker, which resumes with it
useSessionStore.subscribe((state, previous) => {
  const token = state.client?.getToken()
  if (state.status === 'logged-in' && state.tokenVersion !== previous.tokenVersion && token) connection?.send({ type: 'token', token })
})

// sec-audit: the operation log, read from the stores' changes, queued on disk and sent in batches (renderer/src/audit/)
const auditQueue = createAuditQueue(db.auditQueue)
const auditSender = createAuditSender({
  queue: auditQueue,
  session: () => {
    const { status, client, user } = useSessionStore.getState()
    if (status !== 'logged-in' || !client || !user) return null
    return { owner: auditOwner(client.serverUrl, user.username), post: createAuditPoster(client.serverUrl, () => client.getToken()) }
  },
})
const workstationAudit = createWorkstationAudit({ queue: auditQueue, sender: auditSender })
watchForAudit(workstationAudit, { session: useSessionStore, study: useStudyStore, report: useReportStore, settings: useViewerSettingsStore })
useSessionStore.subscribe((state, previous) => {
  // what an earlier session of this user left queued goes out as soon as they are back
  if (state.status === 'logged-in' && previous.status !== 'logged-in') void auditSender.flush()
  else if (state.status !== 'logged-in' && previous.status === 'logged-in') auditSender.stop()
})
globalThis.addEventListener?.('online', () => void auditSender.flush())

/** Records an export or print of the open study in the operation log; called where the file or print job is made. */
export function recordExport(kind: 'export' | 'print', detail: Record<string, string | number | boolean> = {}): void {
  const { status, client, user } = useSessionStore.getState()
  const assignment = useStudyStore.getState().assignment
  if (status !== 'logged-in' || !client || !user) return
  void workstationAudit.record(auditOwner(client.serverUrl, user.username), kind, {
    ...(assignment ? { studyInstanceUid: assignment.studyInstanceUid, assignmentId: assignment.id } : {}),
    detail,
  })
}
// exports and prints made elsewhere, seen from here: the statistics CSV once saved, and any print of the window
useStatisticsStore.subscribe((state, previous) => {
  if (previous.exporting && !state.exporting && !state.exportError) recordExport('export', { what: 'reader-statistics-csv', from: state.from, to: state.to })
})
globalThis.addEventListener?.('afterprint', () => recordExport('print', { what: useStudyStore.getState().assignment ? 'study' : 'screen' }))

/** The administrator's audit-log view (online only). */
export const useAuditLogStore = createAuditLogStore({
  client: () => {
    const client = useSessionStore.getState().client
    if (!client) throw new Error('not logged in')
    return createAuditSearchClient(client.serverUrl, () => client.getToken())
  },
  save: saveBlob,
})
// end of sec-audit block

export { useSyncStore, useWorklistStore }
