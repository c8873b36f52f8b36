/**
 * Sends the queued operation-log events of the signed-in user, oldest first, in batches, and
 * keeps trying with a growing pause while the server cannot be reached. One send at a time: a
 * request for another while one runs makes it go round again when done. A batch the server
 * refuses as a whole is split, so one bad event cannot hold back the others.
 */
import { MAX_AUDIT_BATCH } from '../../../shared/audit-contract.ts'
import type { AuditPoster } from './audit-api.ts'
import type { AuditQueue } from './audit-queue.ts'

export const AUDIT_RETRY_MIN_MS = 5_000
export const AUDIT_RETRY_MAX_MS = 5 * 60_000

export interface AuditSenderDeps {
  queue: AuditQueue
  /** The current session's owner key and poster, or null while nobody is signed in. */
  session: () => { owner: string; post: AuditPoster } | null
  setTimer?: (fn: () => void, ms: number) => unknown
  clearTimer?: (handle: unknown) => void
  batchSize?: number
}

export interface AuditSender {
  /** Sends everything pending now (or as soon as the running send ends); resolves when the queue is empty or a send failed. */
  flush(): Promise<void>
  /** Stops the retry timer (on logout). */
  stop(): void
}

export function createAuditSender(deps: AuditSenderDeps): AuditSender {
  const setTimer = deps.setTimer ?? ((fn, ms) => setTimeout(fn, ms))
  const clearTimer = deps.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>))
  const batchSize = deps.batchSize ?? MAX_AUDIT_BATCH
  let running: Promise<void> | null = null
  let again = false
  let retryDelay = AUDIT_RETRY_MIN_MS
  let timer: unknown = null

  const scheduleRetry = () => {
    if (timer !== null) return
    timer = setTimer(() => {
      timer = null
      void flush()
    }, retryDelay)
    retryDelay = Math.min(retryDelay * 2, AUDIT_RETRY_MAX_MS)
  }

  /** Posts `records`; a refused batch of several is halved until the refused events are alone. */
  async function send(post: AuditPoster, records: Awaited<ReturnType<AuditQueue['pending']>>): Promise<boolean> {
    const result = await post(records)
    if (result.kind === 'sent') {
      await deps.queue.acknowledge(records.map((r) => r.id))
      return true
    }
    if (result.kind === 'retry') return false
    if (records.length === 1) {
      await deps.queue.reject([records[0]!.id], result.reason)
      return true
    }
    const half = Math.ceil(records.length / 2)
    return (await send(post, records.slice(0, half))) && (await send(post, records.slice(half)))
  }

  async function drain(): Promise<void> {
    for (;;) {
      const session = deps.session()
      if (!session) return
      const batch = await deps.queue.pending(session.owner, batchSize)
      if (batch.length === 0) {
        retryDelay = AUDIT_RETRY_MIN_MS
        return
      }
      if (!(await send(session.post, batch))) {
        scheduleRetry()
        return
      }
    }
  }

  function flush(): Promise<void> {
    if (running) {
      again = true
      return running
    }
    running = (async () => {
      try {
        do {
          again = false
          await drain()
        } while (again)
      } finally {
        running = null
      }
    })()
    return running
  }

  return {
    flush,
    stop() {
      if (timer !== null) clearTimer(timer)
      timer = null
      retryDelay = AUDIT_RETRY_MIN_MS
    },
  }
}
