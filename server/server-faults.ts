/**
 * Faults a test can inject into a running server, to prove clients survive them. Only code
 * that starts the server can set them (startReadingServer's `faults`); no HTTP route or CLI
 * flag reaches them, and none is active by default.
 */

export interface ServerFaults {
  /**
   * Answer this many successful report submissions (new or replayed) by closing the
   * connection after the commit, without a response: the "lost answer" a client must retry
   * with the same idempotency key. Counts down; the test may raise it again on the same object.
   */
  dropReportResponses?: number
}

/** Uses up one dropped report response if any are left. */
export function takeDroppedReportResponse(faults: ServerFaults): boolean {
  const left = faults.dropReportResponses ?? 0
  if (left <= 0) return false
  faults.dropReportResponses = left - 1
  return true
}
