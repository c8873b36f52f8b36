/**
 * Wakes worklist long-polls when a user's assignments change. Each user has a change counter:
 * a poll reads it before computing the worklist and waits for it to move, so a change made
 * while the worklist was being computed is never missed. Changes made behind the server's back
 * (another process writing the database) are caught by the pollers' own periodic re-check.
 * Listeners hear of every change too: the access-grant cache forgets the users' grants.
 */

export type WaitOutcome = 'changed' | 'timeout' | 'aborted' | 'closed'

interface Waiter {
  userId: string
  finish(outcome: WaitOutcome): void
}

export class WorklistChanges {
  readonly #generations = new Map<string, number>()
  readonly #waiters = new Set<Waiter>()
  readonly #listeners = new Set<(userIds: ReadonlySet<string>) => void>()
  #closed = false

  /** The user's change counter; pass it to wait(). */
  generation(userId: string): number {
    return this.#generations.get(userId) ?? 0
  }

  /** Records that these users' worklists changed and wakes their waiting polls. */
  notify(userIds: Iterable<string>): void {
    const users = new Set(userIds)
    for (const id of users) this.#generations.set(id, this.generation(id) + 1)
    for (const listener of this.#listeners) listener(users)
    for (const waiter of [...this.#waiters]) if (users.has(waiter.userId)) waiter.finish('changed')
  }

  /** Calls `listener` with the users of every later notify(); returns a function that stops it. */
  onNotify(listener: (userIds: ReadonlySet<string>) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /**
   * Resolves when the user's counter moves past `since` ('changed', at once if it already has),
   * after `timeoutMs` ('timeout'), when `signal` aborts ('aborted') or on close() ('closed').
   */
  wait(userId: string, since: number, timeoutMs: number, signal?: AbortSignal): Promise<WaitOutcome> {
    if (this.#closed) return Promise.resolve('closed')
    if (signal?.aborted) return Promise.resolve('aborted')
    if (this.generation(userId) !== since) return Promise.resolve('changed')
    return new Promise((resolve) => {
      const onAbort = () => waiter.finish('aborted')
      const timer = setTimeout(() => waiter.finish('timeout'), timeoutMs)
      const waiter: Waiter = {
        userId,
        finish: (outcome) => {
          clearTimeout(timer)
          signal?.removeEventListener('abort', onAbort)
          this.#waiters.delete(waiter)
          resolve(outcome)
        },
      }
      this.#waiters.add(waiter)
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }

  /** Polls waiting right now (for tests and diagnostics). */
  get pendingCount(): number {
    return this.#waiters.size
  }

  /** Releases every waiting poll and makes later waits return at once, so the server can stop. */
  close(): void {
    this.#closed = true
    for (const waiter of [...this.#waiters]) waiter.finish('closed')
  }
}
