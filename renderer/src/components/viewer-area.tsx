/**
 * The images of the open study: the series browser, the toolbar, and the grid of viewports
 * hung by the hanging protocol (or the flicker comparison, or MPR), with the key-image strip
 * below. Keyboard commands act on the active viewport; measurements and key images go to
 * the report draft, so they survive a restart with it.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { isNonImageSopClass } from '../../../shared/dicom-safety-sop-class.ts'
import type { KeyImageRef } from '../../../shared/report-annotations.ts'
import { readInstanceFromCache, useReportStore, useStudyStore, useViewerSettingsStore, useViewerStore } from '../app-stores.ts'
import { useT } from '../i18n/language-store.ts'
import { cachedImageId, frameOf, sopInstanceUidOf } from '../viewer/cached-image-id.ts'
import { FlickerViewer } from '../viewer/flicker-viewer.tsx'
import { planHanging, type ViewportAssignment } from '../viewer/hanging-protocol.ts'
import { verifyInstances } from '../viewer/instance-verification.ts'
import { useInstanceVerdicts } from '../viewer/instance-verdicts.ts'
import { clearMeasurements, listenToMeasurements, showMeasurements } from '../viewer/measurement-sync.ts'
import { MprViewer } from '../viewer/mpr-viewer.tsx'
import { commandForKey, isTypingTarget, normaliseKey } from '../viewer/shortcut-map.ts'
import { layoutGrid } from '../viewer/viewer-layouts.ts'
import type { ViewportHandle } from '../viewer/viewport-handle.ts'
import { ViewportGrid } from '../viewer/viewport-grid.tsx'
import { windowPresetsFor } from '../viewer/window-presets.ts'
import { KeyImageStrip } from './key-image-strip.tsx'
import { useMprLabels } from './mpr-labels.ts'
import { readablePriors, readableSeries } from './readable-series.ts'
import { parseSeriesDrag, SeriesBrowser, type SeriesChoice } from './series-browser.tsx'
import { ShortcutSheet } from './shortcut-sheet.tsx'
import { cellContent, emptyCellLabel, findSeries, type OpenStudyImages } from './viewer-cells.ts'
import { runViewerCommand } from './viewer-commands.ts'
import { ViewerToolbar } from './viewer-toolbar.tsx'

export function ViewerArea() {
  const t = useT()
  const assignment = useStudyStore((s) => s.assignment)
  const cachedSeries = useStudyStore((s) => s.series)
  const cachedPriors = useStudyStore((s) => s.priors)
  // what the viewer shows: instances holding no image, and instances the parse workers refused, are left out
  const problems = useInstanceVerdicts((s) => s.problems)
  const series = useMemo(() => readableSeries(cachedSeries, problems), [cachedSeries, problems])
  const priors = useMemo(() => readablePriors(cachedPriors, problems), [cachedPriors, problems])
  const showImage = useStudyStore((s) => s.showImage)
  const requestedImage = useStudyStore((s) => s.requestedImage)
  const requestImage = useStudyStore((s) => s.requestImage)
  const viewer = useViewerStore()
  const settings = useViewerSettingsStore()
  const keyImages = useReportStore((s) => s.content?.keyImages)
  const measurements = useReportStore((s) => s.content?.measurements)
  const toggleKeyImage = useReportStore((s) => s.toggleKeyImage)
  const [sheetOpen, setSheetOpen] = useState(false)
  const [flickerRate, setFlickerRate] = useState(2)
  const handles = useRef<(ViewportHandle | null)[]>([])
  const flickerHandle = useRef<ViewportHandle | null>(null)
  const mprLabels = useMprLabels()

  const activeCellForImage = viewer.activeCell
  const images: OpenStudyImages | null = useMemo(() => (assignment ? { assignment, series, priors } : null), [assignment, series, priors])

  // every instance of the study and its priors is checked in the background (a bad one is marked
  // in the series browser and left out before the reader scrolls to it); the cached images first
  const cachedShape = [...cachedSeries, ...cachedPriors.flatMap((p) => p.series)].map((s) => `${s.series.seriesInstanceUid}:${s.instances.length}`).join('|')
  useEffect(() => {
    if (!assignment) return
    const uids = [...cachedSeries, ...cachedPriors.flatMap((p) => p.series)].flatMap((s) => s.instances.filter((i) => !isNonImageSopClass(i.sopClassUid)).map((i) => i.sopInstanceUid))
    const abort = new AbortController()
    // after the first images: the check must not delay them
    const timer = setTimeout(() => void verifyInstances(uids, readInstanceFromCache, abort.signal), 1_500)
    return () => {
      clearTimeout(timer)
      abort.abort(new Error('the study was closed'))
    }
    // `cachedShape` stands for the cached series and priors
  }, [assignment?.id, cachedShape])

  // the hanging plan, chosen again only when what the cache holds of the study or its priors changes shape
  const shape = [...series, ...priors.flatMap((p) => p.series)].map((s) => `${s.series.seriesInstanceUid}:${s.instances.length}`).join('|')
  const plan = useMemo(
    () =>
      assignment && series.length > 0
        ? planHanging(
            { studyInstanceUid: assignment.studyInstanceUid, studyDate: assignment.studyDate, series },
            priors.filter((p) => p.series.length > 0).map((p) => ({ studyInstanceUid: p.studyInstanceUid, studyDate: p.studyDate, series: p.series })),
            settings.hanging,
          )
        : null,
    // `shape` stands for series and priors: a refresh that re-reads the same series keeps the plan
    [assignment?.id, shape, settings.hanging],
  )
  const applyPlan = viewer.applyPlan
  const appliedPlan = viewer.plan
  useEffect(() => {
    // a plan equal to the one on screen is not hung again (that would undo what the reader changed)
    if (plan && JSON.stringify(plan) !== JSON.stringify(appliedPlan)) applyPlan(plan)
  }, [plan, appliedPlan, applyPlan])

  const texts = useMemo(() => ({ prior: (date: string) => t('viewer.priorLabel', { date }), orientationUnchecked: t('viewer.orientationUnchecked') }), [t])
  const cells = useMemo(() => (images ? viewer.cells.map((cell) => cellContent(images, cell, texts)) : []), [images, viewer.cells, texts])
  const { rows, columns } = layoutGrid(viewer.layout)
  const active = viewer.cells[viewer.activeCell]
  const activeAssignment = active && !('empty' in active) ? active : null
  const activeSeries = images && activeAssignment ? findSeries(images, activeAssignment.studyInstanceUid, activeAssignment.seriesInstanceUid) : undefined
  const presets = useMemo(() => (activeSeries ? windowPresetsFor(activeSeries.series.modality, activeSeries.instances[0]?.attributes) : []), [activeSeries])

  // every series of the study and its priors, by SOP Instance UID (measurements and key images name their series)
  const seriesOfSop = useMemo(() => {
    const map = new Map<string, string>()
    for (const entry of [...series, ...priors.flatMap((p) => p.series)]) for (const i of entry.instances) map.set(i.sopInstanceUid, entry.series.seriesInstanceUid)
    return map
  }, [series, priors])

  // what the reader measures goes into the draft; the draft's measurements are shown again on reopening
  const upsertMeasurement = useReportStore((s) => s.upsertMeasurement)
  const removeMeasurement = useReportStore((s) => s.removeMeasurement)
  const seriesOfRef = useRef(seriesOfSop)
  seriesOfRef.current = seriesOfSop
  useEffect(() => {
    if (!assignment) return
    const stop = listenToMeasurements((sop) => seriesOfRef.current.get(sop), { changed: upsertMeasurement, removed: removeMeasurement })
    return () => {
      // stop listening first: clearing the annotations of a closed study must not delete them from its draft
      stop()
      clearMeasurements()
    }
  }, [assignment, upsertMeasurement, removeMeasurement])
  const shownMeasurements = useRef(new Set<string>())
  useEffect(() => {
    if (measurements) showMeasurements(measurements, (m) => cachedImageId(m.sopInstanceUid, m.frame), shownMeasurements.current)
  }, [measurements])

  // activating another viewport makes its image the one on screen
  useEffect(() => {
    const shown = handles.current[activeCellForImage]?.currentImage()
    if (shown) showImage(shown.imageId)
  }, [activeCellForImage, showImage])

  const choose = useCallback(
    (choice: SeriesChoice, cell?: number) => {
      const assignmentOfChoice: ViewportAssignment = { studyInstanceUid: choice.studyInstanceUid, seriesInstanceUid: choice.seriesInstanceUid, role: choice.role }
      viewer.assign(assignmentOfChoice, cell)
    },
    [viewer],
  )

  const mode = viewer.mode
  const activeCell = viewer.activeCell
  /** The viewport keys act on, read when a key is pressed: a viewport hands over its handle after it rendered, without a re-render here. */
  const activeHandle = (): ViewportHandle | null => (mode === 'flicker' ? flickerHandle.current : mode === 'grid' ? (handles.current[activeCell] ?? null) : null)

  const currentKeyImage = (): KeyImageRef | null => {
    const shown = activeHandle()?.currentImage()
    if (!shown) return null
    const sopInstanceUid = sopInstanceUidOf(shown.imageId)
    const seriesInstanceUid = seriesOfSop.get(sopInstanceUid)
    if (!seriesInstanceUid) return null
    const frame = frameOf(shown.imageId)
    return { sopInstanceUid, seriesInstanceUid, ...(frame !== undefined ? { frame } : {}) }
  }

  const stepSeries = (delta: 1 | -1) => {
    if (!activeAssignment || !images) return
    const list = activeAssignment.role === 'current' ? series : (priors.find((p) => p.studyInstanceUid === activeAssignment.studyInstanceUid)?.series ?? [])
    const index = list.findIndex((s) => s.series.seriesInstanceUid === activeAssignment.seriesInstanceUid)
    const next = list[(index + delta + list.length) % list.length]
    if (next) choose({ studyInstanceUid: activeAssignment.studyInstanceUid, seriesInstanceUid: next.series.seriesInstanceUid, role: activeAssignment.role })
  }

  const commandContext = {
    get handle() {
      return activeHandle()
    },
    presets,
    currentKeyImage,
    toggleKeyImage,
    setTool: viewer.setTool,
    stepSeries,
    nextLayout: viewer.nextLayout,
    nextPage: viewer.nextPage,
    nextViewport: viewer.nextCell,
    toggleFlicker: () => plan?.flicker && viewer.toggleMode('flicker'),
    toggleMpr: () => viewer.toggleMode('mpr'),
    toggleSynchronise: viewer.toggleSynchronise,
    toggleOverlay: () => settings.setOverlayVisible(!settings.overlayVisible),
    changeCineFps: (delta: number) => {
      const fps = Math.min(60, Math.max(1, settings.cineFps + delta))
      settings.setCineFps(fps)
      handles.current[viewer.activeCell]?.setCineFps(fps)
    },
    openShortcutSheet: () => setSheetOpen(true),
  }
  const contextRef = useRef(commandContext)
  contextRef.current = commandContext
  const shortcuts = settings.shortcuts
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      // the report panel has keys of its own (finding search, judgements): they never reach the images
      const inReport = event.target instanceof Element && event.target.closest('.report-panel') !== null
      // Cornerstone marks every key pressed on a viewport as handled; elsewhere a handled key is not ours
      const inViewer = event.target instanceof Element && event.target.closest('.viewer-area') !== null
      if ((event.defaultPrevented && !inViewer) || inReport || isTypingTarget(event.target) || sheetOpen) return
      const command = commandForKey(normaliseKey(event), shortcuts)
      if (command && runViewerCommand(command, contextRef.current)) event.preventDefault()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [shortcuts, sheetOpen])

  const labels = useMemo(() => ({ loadFailed: t('viewer.loadFailed'), emptyCell: t('viewer.emptyCell') }), [t])
  const flickerLabels = useMemo(
    () => ({ loadFailed: t('viewer.loadFailed'), current: t('viewer.flickerCurrent'), prior: t('viewer.flickerPrior'), rate: t('viewer.flickerRate'), pause: t('viewer.pause'), play: t('viewer.play'), registerHint: t('viewer.flickerHint') }),
    [t],
  )
  if (!images || !assignment) return null

  // the current image and the prior, by role (whichever cells they hang in)
  const flickerCurrent = viewer.mode === 'flicker' ? cells.find((c) => c?.role === 'current') : undefined
  const flickerPrior = viewer.mode === 'flicker' ? cells.find((c) => c?.role === 'prior') : undefined
  // the browser lists every cached series, with what cannot be shown marked
  const browsed = [
    { studyInstanceUid: assignment.studyInstanceUid, role: 'current' as const, studyDate: assignment.studyDate, series: cachedSeries },
    ...cachedPriors.map((p) => ({ studyInstanceUid: p.studyInstanceUid, role: 'prior' as const, studyDate: p.studyDate, series: p.series })),
  ]
  const describeKeyImage = (ref: KeyImageRef) => {
    const entry = [...series, ...priors.flatMap((p) => p.series)].find((s) => s.series.seriesInstanceUid === ref.seriesInstanceUid)
    const instance = entry?.instances.find((i) => i.sopInstanceUid === ref.sopInstanceUid)
    return `Se ${entry?.series.seriesNumber ?? '?'} · Im ${instance?.instanceNumber ?? '?'}${ref.frame !== undefined ? ` · Fr ${ref.frame}` : ''}`
  }

  return (
    <div className="viewer-area" data-protocol={plan?.protocolId ?? ''} data-layout={viewer.layout} data-mode={viewer.mode} data-page={viewer.page}>
      <SeriesBrowser studies={browsed} problems={problems} readInstance={readInstanceFromCache} onChoose={(choice) => choose(choice)} />
      <div className="viewer-area__main">
        <ViewerToolbar
          tool={viewer.tool}
          layout={viewer.layout}
          presets={presets}
          mode={viewer.mode}
          flickerAvailable={plan?.flicker === true}
          pages={plan?.pages.length ?? 1}
          page={viewer.page}
          synchronise={viewer.synchronise}
          overlayVisible={settings.overlayVisible}
          onTool={viewer.setTool}
          onLayout={viewer.setLayout}
          onCommand={(command) => runViewerCommand(command, contextRef.current)}
          onKeepLayout={plan ? () => settings.setHangingPreference(plan.protocolId, { ...settings.hanging[plan.protocolId], layout: viewer.layout }) : undefined}
          decodedCacheMb={settings.decodedCacheMb}
          onDecodedCacheMb={settings.setDecodedCacheMb}
        />
        <div
          className="viewer-area__images"
          onPointerDown={() => {
            // a click on the images means the reader works with them now: a text field keeps no
            // focus (Cornerstone stops the click from moving it), so the viewer's keys work at once
            const focused = document.activeElement
            if (focused instanceof HTMLElement && isTypingTarget(focused)) focused.blur()
          }}
        >
          {viewer.mode === 'mpr' && activeSeries ? (
            <MprViewer key={activeSeries.series.seriesInstanceUid} series={activeSeries} readInstance={readInstanceFromCache} labels={mprLabels} />
          ) : viewer.mode === 'flicker' && flickerCurrent && flickerPrior ? (
            <FlickerViewer
              currentImageId={flickerCurrent.imageIds[0]!}
              priorImageId={flickerPrior.imageIds[0]!}
              readInstance={readInstanceFromCache}
              corners={flickerCurrent.corners}
              priorCorners={flickerPrior.corners}
              rate={flickerRate}
              onRateChange={setFlickerRate}
              labels={flickerLabels}
              onHandle={(h) => (flickerHandle.current = h)}
            />
          ) : (
            <ViewportGrid
              rows={rows}
              columns={columns}
              cells={cells}
              emptyLabels={viewer.cells.map(emptyCellLabel)}
              activeCell={viewer.activeCell}
              onActivate={viewer.activate}
              tool={viewer.tool}
              overlayVisible={settings.overlayVisible}
              cineFps={settings.cineFps}
              synchronise={viewer.synchronise && plan ? { scroll: true, voi: plan.synchronise.voi, zoom: plan.synchronise.zoom } : null}
              readInstance={readInstanceFromCache}
              labels={labels}
              onHandle={(cell, handle) => (handles.current[cell] = handle)}
              // only the active viewport's image is "the image on screen" (a synchronised prior must not become a key image)
              onImageShown={(cell, imageId) => cell === viewer.activeCell && showImage(imageId)}
              requestedImage={requestedImage}
              onDropSeries={(cell, payload) => {
                const choice = parseSeriesDrag(payload)
                if (choice) choose(choice, cell)
              }}
            />
          )}
        </div>
        <KeyImageStrip
          keyImages={keyImages ?? []}
          describe={describeKeyImage}
          onShow={(ref) => requestImage(cachedImageId(ref.sopInstanceUid, ref.frame))}
          onRemove={(ref) => toggleKeyImage(ref)}
        />
      </div>
      {sheetOpen && (
        <ShortcutSheet shortcuts={settings.shortcuts} onRebind={(command, key) => settings.rebindShortcut(command, key)} onReset={settings.resetShortcuts} onClose={() => setSheetOpen(false)} />
      )}
    </div>
  )
}
