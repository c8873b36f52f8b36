/**
 * What the benchmarks read from a page, the same way on the workstation and on the peer page:
 * Cornerstone's own events on the viewport elements (a new image set on a stack, a frame
 * rendered), recorded by a script the bench adds to every page before the page's own scripts
 * run, and a scroll driver that steps through a stack inside the page (one keyboard "next
 * image" after each rendered frame), so that no Playwright round trip sits between frames.
 */
import type { BrowserContext, Page } from 'playwright-core'

/** One recorded Cornerstone event. */
export interface FrameEvent {
  /** performance.now() of the page. */
  t: number
  kind: 'new-image' | 'rendered'
  /** The viewport cell of the element (data-cell of its grid cell), -1 outside a grid. */
  cell: number
  /** For new-image: the index of the image in its stack. */
  index?: number
}

/** Installs the recorder in every page of the context (call before opening pages). */
export async function installFrameRecorder(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const events: { t: number; kind: string; cell: number; index?: number }[] = []
    const cellOf = (target: EventTarget | null) => {
      const cell = target instanceof Element ? target.closest<HTMLElement>('[data-cell]')?.dataset.cell : undefined
      return cell === undefined ? -1 : Number(cell)
    }
    // capture on the document sees the events Cornerstone dispatches on each element, before they reach it
    document.addEventListener('CORNERSTONE_STACK_NEW_IMAGE', (event) => {
      events.push({ t: performance.now(), kind: 'new-image', cell: cellOf(event.target), index: (event as CustomEvent<{ imageIdIndex?: number }>).detail?.imageIdIndex })
    }, true)
    document.addEventListener('CORNERSTONE_IMAGE_RENDERED', (event) => {
      events.push({ t: performance.now(), kind: 'rendered', cell: cellOf(event.target) })
    }, true)
    Object.defineProperty(globalThis, '__benchFrames', { value: events, enumerable: false })
  })
}

/** Events recorded since `since` (performance.now() in the page). */
export function framesSince(page: Page, since = 0): Promise<FrameEvent[]> {
  return page.evaluate((from) => ((globalThis as unknown as { __benchFrames: FrameEvent[] }).__benchFrames ?? []).filter((e) => e.t >= from), since)
}

export interface ScrollRun {
  /** Frames that showed a new slice (or slices set, when stepping until loaded). */
  frames: number
  /** From the first step to the last new slice rendered, ms. */
  elapsedMs: number
  /** Time between consecutive new slices on screen, ms. */
  frameTimesMs: number[]
  /** Steps after which no new slice was rendered within the step timeout. */
  stalls: number
}

/**
 * Steps `steps` times through the stack in `cell` inside the page: a keydown ArrowDown on the
 * viewport element, then the next step as soon as a frame with the new slice is rendered (a
 * new-image event for the cell followed by a rendered frame of it) — or, with `until:
 * 'loaded'`, as soon as the new slice is set (loaded and decoded), not waiting for its frame.
 */
export function scrollInPage(page: Page, cell: number, steps: number, options: { until?: 'rendered' | 'loaded'; stepTimeoutMs?: number } = {}): Promise<ScrollRun> {
  return page.evaluate(
    async ({ cell, steps, stepTimeoutMs, untilLoaded }) => {
      const element = document.querySelector<HTMLElement>(`[data-testid="viewport-cell"][data-cell="${cell}"] [data-testid="stack-viewport"]`)
      if (!element) throw new Error(`no stack viewport in cell ${cell}`)
      const rendered: number[] = []
      let stalls = 0
      let waiting: { newImage: boolean; resolve: () => void } | null = null
      const stepDone = () => {
        rendered.push(performance.now())
        const done = waiting!.resolve
        waiting = null
        done()
      }
      const onNewImage = () => {
        if (!waiting) return
        waiting.newImage = true
        if (untilLoaded) stepDone()
      }
      const onRendered = () => {
        if (waiting?.newImage) stepDone()
      }
      element.addEventListener('CORNERSTONE_STACK_NEW_IMAGE', onNewImage)
      element.addEventListener('CORNERSTONE_IMAGE_RENDERED', onRendered)
      const started = performance.now()
      try {
        for (let step = 0; step < steps; step++) {
          const shown = new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(false), stepTimeoutMs)
            waiting = { newImage: false, resolve: () => (clearTimeout(timer), resolve(true)) }
          })
          element.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', code: 'ArrowDown', bubbles: true, cancelable: true }))
          if (!(await shown)) {
            stalls++
            waiting = null
          }
        }
      } finally {
        element.removeEventListener('CORNERSTONE_STACK_NEW_IMAGE', onNewImage)
        element.removeEventListener('CORNERSTONE_IMAGE_RENDERED', onRendered)
      }
      const frameTimesMs = rendered.map((t, i) => t - (i === 0 ? started : rendered[i - 1]!))
      return { frames: rendered.length, elapsedMs: (rendered.at(-1) ?? started) - started, frameTimesMs, stalls }
    },
    { cell, steps, stepTimeoutMs: options.stepTimeoutMs ?? 10_000, untilLoaded: options.until === 'loaded' },
  )
}

/** Back to the first slice of the cell's stack (the Home key), once it is on screen. */
export async function goToFirstSlice(page: Page, cell: number): Promise<void> {
  const viewport = page.locator(`[data-testid="viewport-cell"][data-cell="${cell}"] [data-testid="stack-viewport"]`)
  await viewport.dispatchEvent('keydown', { key: 'Home', code: 'Home', bubbles: true, cancelable: true })
  await viewport.and(page.locator('[data-slice-index="0"]')).waitFor({ timeout: 30_000 })
}
