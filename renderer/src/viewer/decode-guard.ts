/**
 * Cornerstone's decode, held to a time budget and made to fail with a DicomSafetyError: its
 * workers reject with Errors, `{ error }` objects or strings, and the WASM codecs throw bare
 * numbers, none of which should reach the viewport as such. A decode that overruns the
 * budget is answered as `decode-timeout` (Cornerstone's worker is left to finish or hang on
 * its own: its pool gives new work to the workers with the least load).
 */
import { asDicomSafetyError, DicomSafetyError } from '../../../shared/dicom-safety-error.ts'

/** Generous: a decode waits in Cornerstone's queue behind the others before it starts. */
export const DECODE_BUDGET_MS = 30_000

/** The decode's result, or a DicomSafetyError that says what failed. */
export function guardDecode<T>(decode: Promise<T>, what: string, budgetMs = DECODE_BUDGET_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const overrun = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DicomSafetyError('decode-timeout', `decoding ${what} did not finish within ${Math.round(budgetMs / 1000)} s`)), budgetMs)
  })
  return Promise.race([decode, overrun])
    .catch((error: unknown) => {
      throw asDicomSafetyError(error, 'decode-failed', `${what} could not be decoded`)
    })
    .finally(() => clearTimeout(timer))
}
