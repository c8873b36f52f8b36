/**
 * The one error type for a DICOM instance that cannot be shown or imported: a code a program
 * can act on (and the UI can translate) and a message a person can read. Every failure on the
 * parse/decode path ends as one of these, whatever the library below it threw.
 */

/** Why an instance was refused, or why reading or decoding it failed. */
export type DicomSafetyCode =
  /** No "DICM" marker at byte 128. */
  | 'not-part10'
  /** The file ends inside an element's header. */
  | 'truncated'
  /** An element (or item) declares more bytes than the file, or its item, holds. */
  | 'length-out-of-bounds'
  /** 0xFFFFFFFF on an element that is not a sequence, an item or encapsulated pixel data. */
  | 'undefined-length-not-allowed'
  /** The File Meta Information is malformed (no transfer syntax, wrong group length, not explicit VR). */
  | 'bad-meta'
  /** A value representation that does not exist. */
  | 'bad-vr'
  /** A binary value whose length is not a whole number of its values (a US of 3 bytes). */
  | 'bad-length'
  /** Items and delimiters out of place (an item outside a sequence, a sequence never closed). */
  | 'bad-item'
  /** Sequences nested deeper than the limit. */
  | 'too-deep'
  /** More elements than the limit. */
  | 'too-many-elements'
  /** The file is larger than one instance may be. */
  | 'too-large'
  | 'unknown-transfer-syntax'
  | 'unsupported-transfer-syntax'
  /** The deflated data set inflates past the limit. */
  | 'deflate-bomb'
  /** The deflated data set is not a valid deflate stream. */
  | 'deflate-corrupt'
  /** Rows, Columns, Bits Allocated… missing or impossible. */
  | 'pixel-module-invalid'
  /** Native pixel data shorter than its frames need. */
  | 'pixel-data-short'
  /** One decoded frame would take more memory than the limit. */
  | 'frame-too-large'
  /** Encapsulated pixel data whose fragments or offset table are malformed. */
  | 'bad-fragments'
  /** A library failed on a file the checks let through. */
  | 'parse-failed'
  /** Reading the instance did not finish in its time budget (the worker was stopped). */
  | 'parse-timeout'
  /** The parsing worker itself failed (crashed, or ran out of memory). */
  | 'worker-failed'
  | 'decode-failed'
  | 'decode-timeout'
  /** Asked to display an object that holds no image (SR, KOS, waveform, presentation state…). */
  | 'non-image'

export const DICOM_SAFETY_CODES: readonly DicomSafetyCode[] = [
  'not-part10',
  'truncated',
  'length-out-of-bounds',
  'undefined-length-not-allowed',
  'bad-meta',
  'bad-vr',
  'bad-length',
  'bad-item',
  'too-deep',
  'too-many-elements',
  'too-large',
  'unknown-transfer-syntax',
  'unsupported-transfer-syntax',
  'deflate-bomb',
  'deflate-corrupt',
  'pixel-module-invalid',
  'pixel-data-short',
  'frame-too-large',
  'bad-fragments',
  'parse-failed',
  'parse-timeout',
  'worker-failed',
  'decode-failed',
  'decode-timeout',
  'non-image',
]

export class DicomSafetyError extends Error {
  override name = 'DicomSafetyError'
  readonly code: DicomSafetyCode

  constructor(code: DicomSafetyCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
  }
}

export function isDicomSafetyCode(value: unknown): value is DicomSafetyCode {
  return typeof value === 'string' && (DICOM_SAFETY_CODES as readonly string[]).includes(value)
}

/**
 * Words for whatever a library threw. dicom-parser throws strings and `{ exception }` objects,
 * Cornerstone's workers reject with `{ error }` objects and Emscripten codecs throw bare numbers
 * (a pointer to a C++ exception), so nothing may assume an Error.
 */
export function describeThrown(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message || thrown.name
  if (typeof thrown === 'string') return thrown
  if (typeof thrown === 'number') return `the codec aborted (native exception ${thrown})`
  if (typeof thrown === 'object' && thrown !== null) {
    for (const key of ['message', 'exception', 'error'] as const) {
      if (key in thrown) return describeThrown((thrown as Record<string, unknown>)[key])
    }
  }
  return String(thrown)
}

/** Whatever was thrown as a DicomSafetyError: one already is kept, anything else gets `code` and the thrown thing as cause. */
export function asDicomSafetyError(thrown: unknown, code: DicomSafetyCode, context?: string): DicomSafetyError {
  if (thrown instanceof DicomSafetyError) return thrown
  const detail = describeThrown(thrown)
  return new DicomSafetyError(code, context ? `${context}: ${detail}` : detail, { cause: thrown })
}
