/**
 * The series of a study as the viewer shows them: instances that hold no image (SR, KOS,
 * presentation states…) and instances the safety check refused are left out, and a series
 * left with nothing is dropped. What was left out, and why, is what the series browser shows.
 */
import type { CachedInstance } from '../cache/workstation-db.ts'
import type { SeriesWithInstances } from '../repositories/study-repository.ts'
import { isSkipped, type InstanceProblem, type InstanceVerdictState } from '../viewer/instance-verdicts.ts'

type Problems = InstanceVerdictState['problems']

/** The readable series; the very same array (and entries) when nothing is left out, so memoised views stay put. */
export function readableSeries(series: SeriesWithInstances[], problems: Problems): SeriesWithInstances[] {
  let changed = false
  const out: SeriesWithInstances[] = []
  for (const entry of series) {
    const instances = entry.instances.filter((i) => !isSkipped(i, problems))
    if (instances.length === entry.instances.length) {
      out.push(entry)
      continue
    }
    changed = true
    if (instances.length > 0) out.push({ series: { ...entry.series, instanceCount: instances.length }, instances })
  }
  return changed ? out : series
}

export interface SeriesReadability {
  /** Every instance holds no image (the series is a report, a key object selection…). */
  nonImage: boolean
  /** The instances the viewer shows, in display order. */
  readable: CachedInstance[]
  /** The instances that cannot be shown, with why. */
  bad: Array<{ instance: CachedInstance; problem: Extract<InstanceProblem, { kind: 'rejected' }> }>
}

export function seriesReadability(entry: SeriesWithInstances, problems: Problems): SeriesReadability {
  const readable = entry.instances.filter((i) => !isSkipped(i, problems))
  const bad = entry.instances.flatMap((instance) => {
    const problem = problems[instance.sopInstanceUid]
    return problem?.kind === 'rejected' ? [{ instance, problem }] : []
  })
  const nonImage = entry.instances.length > 0 && readable.length === 0 && bad.length === 0
  return { nonImage, readable, bad }
}

/** readableSeries for each prior study; the very same array when nothing is left out. */
export function readablePriors<P extends { series: SeriesWithInstances[] }>(priors: P[], problems: Problems): P[] {
  let changed = false
  const out = priors.map((prior) => {
    const series = readableSeries(prior.series, problems)
    if (series === prior.series) return prior
    changed = true
    return { ...prior, series }
  })
  return changed ? out : priors
}
