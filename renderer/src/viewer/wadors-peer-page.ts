/**
 * The benchmark's peer page (renderer/bench-wadors-peer.html): what OHIF Viewer v3 does with
 * the same studies — a study list from QIDO-RS, and on a click Cornerstone3D's standard
 * `wadors:` loading straight from the DICOMweb server, no local cache — laid out as the
 * workstation hangs them (one CT stack, four mammography views, a chest radiograph beside its
 * prior), or as MPR with `?mpr=1`. The DICOMweb root (`?root=`, default /dicom-web) must be
 * same-origin: the bench serves this page and forwards DICOMweb through a loopback proxy.
 * The open click and the first image carry the workstation's own performance marks.
 */
import { markFirstImage, markStudyOpen } from '../perf-marks.ts'
import { loadStudy, mammoViewOf, searchStudies, type PeerSeries, type PeerStudySummary } from './wadors-peer-study.ts'
import { setUpPeerCornerstone, showMpr, showStacks } from './wadors-peer-viewports.ts'

const params = new URLSearchParams(location.search)
const root = params.get('root') ?? '/dicom-web'
const mpr = params.get('mpr') === '1'
// the viewer area is sized like the workstation's, so both render the same number of pixels
const viewerWidth = Number(params.get('width') ?? 1000)
const viewerHeight = Number(params.get('height') ?? 800)
const MAMMO_ORDER = ['RCC', 'LCC', 'RMLO', 'LMLO']
const RADIOGRAPHY = new Set(['CR', 'DX'])

const status = document.getElementById('peer-status')!
const list = document.getElementById('peer-study-list')!
const viewer = document.getElementById('peer-viewer')!

function setStatus(state: string, detail = ''): void {
  status.dataset.state = state
  status.textContent = detail ? `${state}: ${detail}` : state
}

/** Grid cells of the viewer area, like the workstation's viewport cells. */
function layOut(count: number, columns: number): HTMLElement[] {
  viewer.replaceChildren()
  Object.assign(viewer.style, { display: 'grid', gridTemplateColumns: `repeat(${columns}, 1fr)`, width: `${viewerWidth}px`, height: `${viewerHeight}px`, gap: '2px' })
  return Array.from({ length: count }, (_, cell) => {
    const wrapper = document.createElement('div')
    wrapper.dataset.testid = 'viewport-cell'
    wrapper.dataset.cell = String(cell)
    Object.assign(wrapper.style, { position: 'relative', minWidth: '0', minHeight: '0', background: '#000' })
    const element = document.createElement('div')
    element.dataset.testid = mpr ? 'mpr-viewport' : 'stack-viewport'
    Object.assign(element.style, { width: '100%', height: '100%' })
    wrapper.append(element)
    viewer.append(wrapper)
    return element
  })
}

/** The stacks to hang and in how many columns, as the workstation's protocols would. */
async function hangingFor(summary: PeerStudySummary, series: PeerSeries[]): Promise<{ stacks: string[][]; columns: number }> {
  const images = series.filter((s) => s.imageIds.length > 0)
  if (images.some((s) => s.modality === 'MG')) {
    const byView = new Map(images.map((s) => [mammoViewOf(s), s]))
    return { stacks: MAMMO_ORDER.flatMap((view) => (byView.has(view) ? [byView.get(view)!.imageIds] : [])), columns: 2 }
  }
  if (images.length > 0 && images.every((s) => RADIOGRAPHY.has(s.modality))) {
    // a radiograph is read beside the patient's latest prior
    const priors = (await searchStudies(root, summary.patientId)).filter((p) => p.studyInstanceUid !== summary.studyInstanceUid && p.studyDate < summary.studyDate)
    priors.sort((a, b) => b.studyDate.localeCompare(a.studyDate))
    const prior = priors[0] ? (await loadStudy(root, priors[0].studyInstanceUid)).series.find((s) => s.imageIds.length > 0) : undefined
    return { stacks: [images[0]!.imageIds, ...(prior ? [prior.imageIds] : [])], columns: prior ? 2 : 1 }
  }
  // a cross-sectional study: its largest series
  const main = [...images].sort((a, b) => b.imageIds.length - a.imageIds.length)[0]
  return { stacks: main ? [main.imageIds] : [], columns: 1 }
}

async function open(summary: PeerStudySummary): Promise<void> {
  markStudyOpen()
  setStatus('opening', summary.studyInstanceUid)
  const study = await loadStudy(root, summary.studyInstanceUid)
  if (mpr) {
    const main = [...study.series].sort((a, b) => b.imageIds.length - a.imageIds.length)[0]
    if (!main) throw new Error('the study has no images')
    const elements = layOut(3, 3)
    await showMpr(elements, main.imageIds)
    setStatus('ready')
    return
  }
  const { stacks, columns } = await hangingFor(summary, study.series)
  const elements = layOut(stacks.length, columns)
  const shown = await showStacks(elements, stacks, (cell) => cell === 0 && markFirstImage())
  // the keyboard's next, previous and first image, on the first viewport (OHIF's default hotkeys)
  window.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') shown.scroll(0, event.key === 'ArrowDown' ? 1 : -1)
    else if (event.key === 'Home') shown.goToFirst(0)
    else return
    event.preventDefault()
  })
  setStatus('ready')
}

async function main(): Promise<void> {
  // OHIF starts Cornerstone with the app, before the study list is shown
  await setUpPeerCornerstone()
  const studies = await searchStudies(root)
  const table = document.createElement('table')
  for (const summary of studies) {
    const row = table.insertRow()
    row.dataset.testid = 'worklist-row'
    row.dataset.studyUid = summary.studyInstanceUid
    row.insertCell().textContent = summary.patientName
    row.insertCell().textContent = summary.modalities.join(', ')
    row.insertCell().textContent = summary.description
    const button = document.createElement('button')
    button.type = 'button'
    button.textContent = 'open'
    button.addEventListener('click', () => {
      list.hidden = true
      open(summary).catch((error: unknown) => setStatus('error', error instanceof Error ? error.message : String(error)))
    })
    row.insertCell().append(button)
  }
  list.replaceChildren(table)
  setStatus('listed', String(studies.length))
}

main().catch((error: unknown) => setStatus('error', error instanceof Error ? error.message : String(error)))
