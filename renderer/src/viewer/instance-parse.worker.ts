/**
 * The parse worker: checks and reads cached instances off the UI thread, one at a time, with
 * nothing shared. The UI thread stops it (terminate) when an instance overruns its time budget;
 * whatever it allocated goes with it.
 */
import { asDicomSafetyError } from '../../../shared/dicom-safety-error.ts'
import { parseInstance, transferablesOf, type InstanceParseJob, type InstanceParseOutcome, type InstanceParseReply } from './instance-parse.ts'

/** The parts of the dedicated worker scope used here (the DOM lib types the UI thread instead). */
interface WorkerScope {
  postMessage(message: InstanceParseReply, transfer: ArrayBuffer[]): void
  onmessage: ((event: MessageEvent<InstanceParseJob>) => void) | null
}
const scope = self as unknown as WorkerScope

scope.onmessage = (event: MessageEvent<InstanceParseJob>) => {
  const { id, mode, part10 } = event.data
  void parseInstance(part10, mode)
    .catch((error: unknown): InstanceParseOutcome => {
      const typed = asDicomSafetyError(error, 'parse-failed')
      return { kind: 'rejected', code: typed.code, reason: typed.message }
    })
    .then((outcome) => {
      try {
        scope.postMessage({ id, outcome }, outcome.kind === 'image' ? transferablesOf(outcome.naturalized) : [])
      } catch (error) {
        // a data set that cannot be cloned is still an answer, not silence until the timeout
        const typed = asDicomSafetyError(error, 'parse-failed', 'the parsed data set could not be handed over')
        scope.postMessage({ id, outcome: { kind: 'rejected', code: typed.code, reason: typed.message } }, [])
      }
    })
}
