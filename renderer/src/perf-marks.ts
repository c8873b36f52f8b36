/**
 * User Timing marks for the moments the benchmarks measure (open → first image). Standard
 * performance entries, readable by any profiler; nothing is put on window.
 */
export const PERF_MARKS = {
  studyOpen: 'workstation:study-open',
  firstImage: 'workstation:first-image',
} as const

export function markStudyOpen(): void {
  performance.clearMarks(PERF_MARKS.firstImage)
  performance.mark(PERF_MARKS.studyOpen)
}

/** Marks the first rendered image after the last study-open mark (later renders are ignored). */
export function markFirstImage(): void {
  if (performance.getEntriesByName(PERF_MARKS.firstImage, 'mark').length === 0) performance.mark(PERF_MARKS.firstImage)
}
