/** The UI thread's handle on the sync worker: typed commands out, typed messages in. */
import type { SyncCommand, SyncMessage } from './sync-protocol.ts'

export interface SyncConnection {
  send(command: SyncCommand): void
  close(): void
}

/** Starts the sync worker; `onMessage` receives everything it reports. */
export function connectSyncWorker(onMessage: (message: SyncMessage) => void): SyncConnection {
  const worker = new Worker(new URL('./sync.worker.ts', import.meta.url), { type: 'module', name: 'sync' })
  worker.onmessage = (event: MessageEvent<SyncMessage>) => onMessage(event.data)
  worker.onerror = (event) => onMessage({ type: 'failed', message: event.message || 'the sync worker stopped' })
  return {
    send: (command) => worker.postMessage(command),
    close: () => {
      worker.postMessage({ type: 'stop' } satisfies SyncCommand)
      worker.terminate()
    },
  }
}
