/** The browser refused a write for lack of space (quota), after eviction was tried. */
export class StorageFullError extends Error {
  constructor(detail: string) {
    super(`the local cache is full: ${detail}`)
    this.name = 'StorageFullError'
  }
}

/**
 * Whether an IndexedDB failure means "out of quota". Chromium reports it as a
 * QuotaExceededError, or as an aborted transaction whose inner error is one.
 */
export function isQuotaError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    const named = e as { name?: unknown; inner?: unknown; cause?: unknown }
    if (named.name === 'QuotaExceededError') return true
    e = named.inner ?? named.cause
  }
  return false
}
