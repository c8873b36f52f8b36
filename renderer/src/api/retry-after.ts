/** The Retry-After header (RFC 9110 §10.2.3): how long a server that is busy or down asks clients to wait. */

/**
 * Milliseconds to wait, from a Retry-After value: delay-seconds ("120") or an HTTP-date
 * ("Wed, 21 Oct 2026 07:28:00 GMT"). A date is measured against the server's own Date header
 * when it sent one, so that a workstation whose clock is off still waits what the server meant.
 * Undefined when there is no value or it is neither form. Not bounded here: the retry policy
 * decides how long it is willing to wait.
 */
export function parseRetryAfter(value: string | null | undefined, now: number, serverDate?: string | null): number | undefined {
  const text = value?.trim()
  if (!text) return undefined
  if (/^\d+$/.test(text)) return Number(text) * 1000
  // every HTTP-date form names its month in letters; Date.parse alone would take "1.5" for a date
  const at = /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)/i.test(text) ? Date.parse(text) : Number.NaN
  if (Number.isNaN(at)) return undefined
  const reference = serverDate ? Date.parse(serverDate) : Number.NaN
  return Math.max(0, at - (Number.isNaN(reference) ? now : reference))
}
