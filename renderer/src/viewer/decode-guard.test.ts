import { afterEach, describe, expect, it, vi } from 'vitest'
import { DicomSafetyError } from '../../../shared/dicom-safety-error.ts'
import { guardDecode } from './decode-guard.ts'

afterEach(() => {
  vi.useRealTimers()
})

describe('guardDecode', () => {
  it('passes a decoded image through', async () => {
    await expect(guardDecode(Promise.resolve('image'), 'image 3')).resolves.toBe('image')
  })

  it.each([
    ['an Error', new Error('Invalid JPEG-LS stream'), 'image 3 (JPEG-LS Lossless) could not be decoded: Invalid JPEG-LS stream'],
    ["a worker's { error } object", { error: 'No decoder for transfer syntax 1.2.3' }, 'image 3 (JPEG-LS Lossless) could not be decoded: No decoder for transfer syntax 1.2.3'],
    ["a codec's bare number", 342176, 'image 3 (JPEG-LS Lossless) could not be decoded: the codec aborted (native exception 342176)'],
  ])('turns %s into a typed decode-failed error', async (_case, thrown, message) => {
    const failure = guardDecode(Promise.reject(thrown), 'image 3 (JPEG-LS Lossless)')
    await expect(failure).rejects.toBeInstanceOf(DicomSafetyError)
    await expect(failure).rejects.toMatchObject({ code: 'decode-failed', message })
  })

  it('keeps an error that is already typed (a refused file)', async () => {
    const refused = new DicomSafetyError('truncated', 'cut short')
    await expect(guardDecode(Promise.reject(refused), 'image 3')).rejects.toBe(refused)
  })

  it('answers decode-timeout when the decode overruns its budget', async () => {
    vi.useFakeTimers()
    const failure = guardDecode(new Promise(() => undefined), 'image 3', 5_000)
    const check = expect(failure).rejects.toMatchObject({ code: 'decode-timeout', message: 'decoding image 3 did not finish within 5 s' })
    await vi.advanceTimersByTimeAsync(5_000)
    await check
  })
})
