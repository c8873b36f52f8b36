/**
 * The decode check page (test/e2e/transfer-syntax-matrix.e2e.ts drives it in Chromium): fetches
 * one Part-10 file from its own origin, decodes the asked-for frame through the viewer's
 * `wscache:` loader and shows that frame in a StackViewport. Parameters come from the query
 * string (`source`, the file's URL path; `frames`, its number of frames; `frame`, 1-based);
 * the outcome is written as JSON into #check-result, the viewport stays on screen.
 */
import { decodeInstance, renderInstance } from '../viewer/decode-check.ts'

const params = new URLSearchParams(location.search)
const output = document.getElementById('check-result')!
const element = document.getElementById('check-viewport') as HTMLDivElement
// a fixed square, so screenshots and canvas statistics compare across files
element.style.width = '512px'
element.style.height = '512px'
element.style.background = 'black'

async function main(): Promise<unknown> {
  const source = params.get('source')
  if (!source) throw new Error('the check needs a source')
  const frames = Number(params.get('frames') ?? 1)
  const frame = Number(params.get('frame') ?? 1)
  const response = await fetch(source)
  if (!response.ok) throw new Error(`${source}: HTTP ${response.status}`)
  const bytes = await response.arrayBuffer()
  // each gets its own copy: the loader may keep or transfer the buffer it is given
  const decoded = await decodeInstance(bytes.slice(0), frames > 1 ? frame : undefined)
  const { outcome } = await renderInstance(element, bytes.slice(0), frames, frame)
  return { decoded, rendered: outcome }
}

main().then(
  (result) => {
    output.textContent = JSON.stringify({ ok: true, ...(result as object) })
    output.dataset.done = 'true'
  },
  (error: unknown) => {
    // the browser's JPEG decode (colour baseline) rejects with an 'error' Event, not an Error
    const message = error instanceof Error ? error.message : error instanceof Event ? `${error.type} event from ${(error.target as Element | null)?.tagName ?? 'the page'} (the browser could not decode the image)` : String(error)
    output.textContent = JSON.stringify({ ok: false, error: message })
    output.dataset.done = 'true'
  },
)
