/**
 * User Timing marks for the moments the benchmarks measure (open → first image, worklist
 * paint, draft saved). Standard performance entries, readable by any profiler; nothing is put
 * on window.
 */
export const PERF_MARKS = {
  studyOpen: 'workstation:study-open',
  firstImage: 'workstation:first-image',
  worklistArrived: 'workstation:worklist-arrived',
  worklistPainted: 'workstation:worklist-painted',
  draftSaved: 'workstation:draft-saved',
} as const

export function markStudyOpen(): void {
  performance.clearMarks(PERF_MARKS.firstImage)
  performance.mark(PERF_MARKS.studyOpen)
}

/** Marks the first rendered image after the last study-open mark (later renders are ignored). */
export function markFirstImage(): void {
  if (performance.getEntriesByName(PERF_MARKS.firstImage, 'mark').length === 0) performance.mark(PERF_MARKS.firstImage)
}

/** The worklist store received a new list of `count` assignments. */
export function markWorklistArrived(count: number): void {
  performance.mark(PERF_MARKS.worklistArrived, { detail: { count } })
}

/**
 * Called once React committed the rows of `count` assignments: marks the moment after the
 * browser painted them (animation frame callbacks run before the paint, a task posted from
 * one runs after it).
 */
export function markWorklistPainted(count: number): void {
  requestAnimationFrame(() => {
    const channel = new MessageChannel()
    channel.port1.onmessage = () => {
      channel.port1.close()
      performance.mark(PERF_MARKS.worklistPainted, { detail: { count } })
    }
    channel.port2.postMessage(null)
  })
}

/** A report draft is stored; `contentAt` is when (Date.now()) the content it holds was taken, so a keystroke can be matched to the save that holds it. */
export function markDraftSaved(contentAt: number): void {
  performance.mark(PERF_MARKS.draftSaved, { detail: { contentAt } })
}
