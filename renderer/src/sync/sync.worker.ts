/**
 * The sync worker: runs the sync engine off the UI thread. It opens the same IndexedDB
 * database as the UI, holds the session token and the cache key, and reports back.
 */
import './zod-jitless.ts'
import { createAesGcmCipher, rawKeyFromBase64 } from '../cache/cache-cipher.ts'
import { ensureCacheKey } from '../cache/cache-key-check.ts'
import { openWorkstationDb } from '../cache/workstation-db.ts'
import { createSyncEngine, type SyncEngine } from './sync-engine.ts'
import type { SyncCommand, SyncMessage } from './sync-protocol.ts'

/** The parts of the dedicated worker scope used here (the DOM lib types the UI thread instead). */
interface WorkerScope {
  postMessage(message: SyncMessage): void
  onmessage: ((event: MessageEvent<SyncCommand>) => void) | null
}
const scope = self as unknown as WorkerScope
const post = (message: SyncMessage) => scope.postMessage(message)
let engine: SyncEngine | null = null

async function start(command: Extract<SyncCommand, { type: 'start' }>): Promise<void> {
  engine?.stop()
  const db = openWorkstationDb()
  const cipher = await createAesGcmCipher(rawKeyFromBase64(command.cacheKey))
  if (await ensureCacheKey(db, cipher)) post({ type: 'cache-reset' })
  engine = createSyncEngine({
    serverUrl: command.serverUrl,
    token: command.token,
    db,
    cipher,
    budgetBytes: command.budgetBytes,
    events: {
      worklist: (assignments, fromCache) => post({ type: 'worklist', assignments, fromCache }),
      status: (status) => post({ type: 'status', status }),
      progress: (studyInstanceUid, progress) => post({ type: 'progress', studyInstanceUid, progress }),
      instancesCached: (sopInstanceUids) => post({ type: 'instances-cached', sopInstanceUids: [...sopInstanceUids] }),
      authExpired: () => post({ type: 'auth-expired' }),
      storageFull: (message) => post({ type: 'storage-full', message }),
      reportSent: (assignmentId) => post({ type: 'report-sent', assignmentId }),
      reportRejected: (assignmentId, reason) => post({ type: 'report-rejected', assignmentId, reason }),
    },
  })
  await engine.start()
}

scope.onmessage = (event: MessageEvent<SyncCommand>) => {
  const command = event.data
  switch (command.type) {
    case 'start':
      start(command).catch((error: unknown) => post({ type: 'failed', message: error instanceof Error ? error.message : String(error) }))
      break
    case 'token':
      engine?.setToken(command.token)
      break
    case 'prioritize':
      engine?.prioritize(command.studyInstanceUid)
      break
    case 'refresh':
      engine?.refresh()
      break
    case 'send-outbox':
      engine?.sendOutbox()
      break
    case 'stop':
      engine?.stop()
      engine = null
      break
  }
}
