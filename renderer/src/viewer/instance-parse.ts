/**
 * What the parse worker does with one cached instance's bytes: the shared safety check first
 * (bounds, nesting, inflated size, transfer syntax; nothing is allocated for a length that
 * lies), then, for an image to be shown, Cornerstone's own Part-10 reader (dcmjs) turns it into
 * the naturalized data set its metadata provider holds. Runs in a dedicated worker, which the
 * UI thread can stop; the UI thread never parses untrusted bytes itself.
 *
 * Every outcome is a plain, structured-cloneable object; nothing here throws.
 */
import { utilities as metadataUtilities } from '@cornerstonejs/metadata'
import { asDicomSafetyError, type DicomSafetyCode } from '../../../shared/dicom-safety-error.ts'
import { checkPart10, DEFAULT_DICOM_SAFETY_LIMITS, type DicomSafetyLimits } from '../../../shared/dicom-safety.ts'
import { readablePart10 } from './inflate-part10.ts'

/** `verify` only checks (the series browser marks bad instances); `parse` also naturalizes an image for display. */
export type InstanceParseMode = 'verify' | 'parse'

/** A naturalized data set (dcmjs' NATURALIZED form): plain objects, arrays, strings, numbers and ArrayBuffers. */
export type NaturalizedInstance = Record<string, unknown>

export type InstanceParseOutcome =
  | { kind: 'image'; transferSyntaxUid: string; frames: number; naturalized?: NaturalizedInstance }
  | { kind: 'non-image'; sopClassUid: string }
  | { kind: 'rejected'; code: DicomSafetyCode; reason: string }

/** What the UI thread posts to a parse worker. */
export interface InstanceParseJob {
  id: number
  mode: InstanceParseMode
  part10: ArrayBuffer
}

/** What a parse worker posts back. */
export interface InstanceParseReply {
  id: number
  outcome: InstanceParseOutcome
}

/**
 * The VR dcmjs gives an element whose VR the file does not carry: its own dictionary's, so the
 * check holds such elements to what dcmjs will read them as (a length that is not a whole number
 * of values would shift dcmjs off the element boundaries, into reading gigabyte "lengths").
 */
function dcmjsVr(tag: number): string | undefined {
  const entry = metadataUtilities.Tags.dictionaryLookup(tag.toString(16).padStart(8, '0')) as { vr?: string } | undefined
  return entry?.vr
}

/** Checks (and in `parse` mode naturalizes) one instance. */
export async function parseInstance(part10: ArrayBuffer, mode: InstanceParseMode, limits: DicomSafetyLimits = DEFAULT_DICOM_SAFETY_LIMITS): Promise<InstanceParseOutcome> {
  const bytes = new Uint8Array(part10)
  const checked = await checkPart10(bytes, limits, { implicitVr: dcmjsVr })
  if (checked.kind === 'rejected') return { kind: 'rejected', code: checked.code, reason: checked.reason }
  if (checked.kind === 'non-image') return { kind: 'non-image', sopClassUid: checked.sopClassUid }
  const image = { kind: 'image' as const, transferSyntaxUid: checked.transferSyntax.uid, frames: checked.frames }
  if (mode === 'verify') return image
  try {
    const readable = readablePart10(bytes, checked.inflatedDataSet)
    const buffer = readable === bytes ? part10 : (readable.buffer as ArrayBuffer)
    const naturalized = (await metadataUtilities.naturalizePart10Buffer(buffer)) as NaturalizedInstance
    return { ...image, naturalized }
  } catch (error) {
    const typed = asDicomSafetyError(error, 'parse-failed', 'the DICOM reader failed on this file')
    return { kind: 'rejected', code: typed.code, reason: typed.message }
  }
}

/** Every ArrayBuffer inside a naturalized data set, once each: what the worker hands over instead of copying. */
export function transferablesOf(value: unknown, found = new Set<ArrayBuffer>(), depth = 0): ArrayBuffer[] {
  if (depth > 256 || value === null || typeof value !== 'object') return [...found]
  if (value instanceof ArrayBuffer) found.add(value)
  else if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) found.add(value.buffer)
  } else for (const child of Array.isArray(value) ? value : Object.values(value)) transferablesOf(child, found, depth + 1)
  return [...found]
}
