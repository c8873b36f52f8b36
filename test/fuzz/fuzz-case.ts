/**
 * One fuzz case through the viewer's real parse/decode path, in Node: the parse worker's own
 * function (safety check, bounded inflate, dcmjs), then — for an image — Cornerstone's decoders
 * on its first and last frame. A case passes when it ends in a decoded image, a non-image
 * answer or a typed refusal; anything thrown past those is a failure.
 */
import v8 from 'node:v8'
import { DicomSafetyError, isDicomSafetyCode } from '../../shared/dicom-safety-error.ts'
import { parseInstance } from '../../renderer/src/viewer/instance-parse.ts'
import { decodeInNode } from './node-decode.ts'

export type CaseOutcome = 'decoded' | 'non-image' | 'rejected' | 'decode-error' | 'failure'

export interface PipelineResult {
  outcome: CaseOutcome
  /** The reason code of a refusal or a decode error. */
  code?: string
  /** The message, or for a failure what was thrown. */
  detail?: string
  /** What the decoder threw before the guard typed it (Error, number, object…), for decode errors. */
  thrown?: string
  parseMs: number
  decodeMs: number
  /** Heap and external memory grown during the case (garbage included: an upper bound of what it held). */
  memoryBytes: number
}

const memoryInUse = () => {
  const stats = v8.getHeapStatistics() as ReturnType<typeof v8.getHeapStatistics> & { external_memory?: number }
  return stats.used_heap_size + (stats.external_memory ?? 0)
}

function kindOfThrown(value: unknown): string {
  if (value instanceof Error) return value.constructor.name
  if (value === null) return 'null'
  return typeof value
}

/** Runs the bytes through parse and decode; never throws. */
export async function runPipeline(bytes: Uint8Array, decodeBudgetMs: number): Promise<PipelineResult> {
  const before = memoryInUse()
  let peak = before
  const sample = () => (peak = Math.max(peak, memoryInUse()))
  const started = performance.now()
  let parseMs = 0
  let decodeMs = 0
  const done = (result: Omit<PipelineResult, 'parseMs' | 'decodeMs' | 'memoryBytes'>): PipelineResult => {
    sample()
    return { ...result, parseMs, decodeMs, memoryBytes: peak - before }
  }
  try {
    const buffer = bytes.slice().buffer
    const parsed = await parseInstance(buffer, 'parse')
    parseMs = performance.now() - started
    sample()
    if (parsed.kind === 'non-image') return done({ outcome: 'non-image' })
    if (parsed.kind === 'rejected') {
      if (!isDicomSafetyCode(parsed.code)) return done({ outcome: 'failure', detail: `untyped refusal ${String(parsed.code)}: ${parsed.reason}` })
      return done({ outcome: 'rejected', code: parsed.code, detail: parsed.reason })
    }
    if (parsed.kind !== 'image' || !parsed.naturalized) return done({ outcome: 'failure', detail: `unexpected parse outcome ${JSON.stringify(parsed).slice(0, 200)}` })
    const decodeStarted = performance.now()
    try {
      await decodeInNode(parsed.naturalized, parsed.frames, decodeBudgetMs)
      decodeMs = performance.now() - decodeStarted
      return done({ outcome: 'decoded' })
    } catch (error) {
      decodeMs = performance.now() - decodeStarted
      if (!(error instanceof DicomSafetyError)) return done({ outcome: 'failure', detail: `decode threw past the guard: ${String(error)}` })
      return done({ outcome: 'decode-error', code: error.code, detail: error.message, thrown: kindOfThrown(error.cause) })
    }
  } catch (error) {
    parseMs = performance.now() - started
    return done({ outcome: 'failure', detail: `parse threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` })
  }
}
