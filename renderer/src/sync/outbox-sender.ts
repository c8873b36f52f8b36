/**
 * Sends queued reports: oldest first, each with its own idempotency key so a retry after a
 * lost answer cannot store a second report; transient failures retry with back-off; a
 * report the server refuses goes back to the editor as a draft with the server's reason.
 */
import type { ReportClient } from '../api/report-client.ts'
import { ReportRejectedError } from '../api/report-client.ts'
import { RequestError } from '../api/request-error.ts'
import type { CacheCipher } from '../cache/cache-cipher.ts'
import { markSent, readOutboxContent, returnToDraft } from '../cache/report-draft-store.ts'
import type { WorkstationDb } from '../cache/workstation-db.ts'
import { isAuthFailure, retryDelay, type RetryPolicy } from './retry-policy.ts'

export interface OutboxEvents {
  sent(assignmentId: string): void
  rejected(assignmentId: string, reason: string): void
  /** The server refused the session; `error` is its refusal. */
  authFailure(error: unknown): void
}

export interface OutboxSender {
  /** Look at the outbox now (a report was queued, the server is back, a new token arrived). */
  kick(): void
  stop(): void
  /** Resolves when the outbox holds nothing that can be sent now. */
  drained(): Promise<void>
}

export function createOutboxSender(deps: { db: WorkstationDb; cipher: CacheCipher; client: ReportClient; events: OutboxEvents; retry: RetryPolicy; sleep: (ms: number) => Promise<void>; now: () => number }): OutboxSender {
  let stopped = false
  let paused = false
  let wake: (() => void) | null = null
  let running = false
  let drainWaiters: Array<() => void> = []

  async function sendPending(): Promise<void> {
    const pending = await deps.db.outbox.where('state').equals('pending').sortBy('createdAt')
    for (const record of pending) {
      if (stopped || paused) return
      let content
      try {
        content = await readOutboxContent(deps.cipher, record)
      } catch (error) {
        // sealed under another key (or damaged): it cannot be sent, and must not block the others
        const reason = error instanceof Error ? error.message : String(error)
        await deps.db.outbox.update(record.idempotencyKey, { state: 'unreadable', rejection: reason })
        deps.events.rejected(record.assignmentId, reason)
        continue
      }
      try {
        await deps.client.submit(record.assignmentId, content, record.idempotencyKey)
        await markSent(deps.db, record)
        deps.events.sent(record.assignmentId)
      } catch (error) {
        if (error instanceof ReportRejectedError || (error instanceof RequestError && (error.failure === 'forbidden' || error.failure === 'not-found' || error.failure === 'bad-response' || error.status === 400))) {
          // the server will never take this report as it is: it goes back to the reader with the reason
          const reason = error instanceof ReportRejectedError ? [error.message, ...error.issues.map((i) => i.message.ja)].join(' / ') : error.message
          await returnToDraft(deps.db, deps.cipher, record, reason, deps.now())
          deps.events.rejected(record.assignmentId, reason)
        } else if (isAuthFailure(error)) {
          paused = true
          deps.events.authFailure(error)
          return
        } else {
          // unreachable, 5xx, a cut answer, or anything unforeseen: keep it, wait longer each time
          // (or as long as a busy server asked), try again with the same key
          const attempts = record.attempts + 1
          await deps.db.outbox.update(record.idempotencyKey, { attempts })
          await Promise.race([deps.sleep(retryDelay(error, attempts, deps.retry)), new Promise<void>((resolve) => (wake = resolve))])
          return // start over: the order may have changed meanwhile
        }
      }
    }
  }

  async function loop(): Promise<void> {
    if (running) return
    running = true
    try {
      while (!stopped && !paused) {
        const before = await deps.db.outbox.where('state').equals('pending').count()
        if (before === 0) break
        // a failure of the local database itself: wait, then look again
        await sendPending().catch(() => deps.sleep(deps.retry.maxDelayMs))
      }
    } finally {
      running = false
      const waiters = drainWaiters
      drainWaiters = []
      for (const resolve of waiters) resolve()
    }
  }

  return {
    kick() {
      paused = false
      const w = wake
      wake = null
      w?.()
      void loop()
    },
    stop() {
      stopped = true
      wake?.()
    },
    drained() {
      return new Promise((resolve) => {
        drainWaiters.push(resolve)
        if (!running) void loop()
      })
    },
  }
}
