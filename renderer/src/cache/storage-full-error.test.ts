import { describe, expect, it } from 'vitest'
import { isQuotaError } from './storage-full-error.ts'

describe('quota errors', () => {
  it('recognises a QuotaExceededError directly and inside an aborted transaction', () => {
    expect(isQuotaError(new DOMException('full', 'QuotaExceededError'))).toBe(true)
    expect(isQuotaError({ name: 'AbortError', inner: { name: 'QuotaExceededError' } })).toBe(true)
    expect(isQuotaError({ name: 'DatabaseClosedError', cause: { name: 'AbortError', inner: { name: 'QuotaExceededError' } } })).toBe(true)
  })
  it('does not mistake other failures for a full disk', () => {
    expect(isQuotaError(new DOMException('x', 'AbortError'))).toBe(false)
    expect(isQuotaError(new Error('QuotaExceededError in the message only'))).toBe(false)
    expect(isQuotaError(undefined)).toBe(false)
  })
})
