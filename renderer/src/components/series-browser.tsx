/**
 * The series of the open study and of its priors, each with a thumbnail from the cache, its
 * description, modality and image count. A click shows the series in the active viewport;
 * dragging it onto a viewport shows it there. Instances that cannot be shown are listed under
 * their series with the reason; a series holding no image (a report, a key object selection)
 * is listed as such, without a thumbnail, and cannot be chosen.
 */
import type { CachedInstance } from '../cache/workstation-db.ts'
import { formatDicomDate } from '../i18n/format.ts'
import { useT } from '../i18n/language-store.ts'
import type { SeriesWithInstances } from '../repositories/study-repository.ts'
import { imageIdsForInstance } from '../viewer/cached-image-id.ts'
import type { InstanceBytesReader } from '../viewer/cached-image-loader.ts'
import type { InstanceVerdictState } from '../viewer/instance-verdicts.ts'
import { SeriesThumbnail } from '../viewer/series-thumbnail.tsx'
import { SERIES_DRAG_TYPE } from '../viewer/viewport-grid.tsx'
import { seriesReadability, type SeriesReadability } from './readable-series.ts'

/** Bad instances listed by name under a series; the rest are counted. */
const LISTED_BAD_INSTANCES = 5

export interface BrowsedStudy {
  studyInstanceUid: string
  role: 'current' | 'prior'
  studyDate: string
  series: readonly SeriesWithInstances[]
}

export interface SeriesChoice {
  studyInstanceUid: string
  seriesInstanceUid: string
  role: 'current' | 'prior'
}

/** Parses what a series drag carries; null for anything else. */
export function parseSeriesDrag(payload: string): SeriesChoice | null {
  try {
    const value = JSON.parse(payload) as Partial<SeriesChoice>
    if (typeof value.studyInstanceUid === 'string' && typeof value.seriesInstanceUid === 'string' && (value.role === 'current' || value.role === 'prior')) {
      return { studyInstanceUid: value.studyInstanceUid, seriesInstanceUid: value.seriesInstanceUid, role: value.role }
    }
  } catch {
    // not a series drag
  }
  return null
}

function middleImageId(instances: readonly CachedInstance[]): string | undefined {
  const middle = instances[Math.floor(instances.length / 2)]
  return middle && imageIdsForInstance(middle.sopInstanceUid, middle.numberOfFrames)[0]
}

function BadInstances({ bad }: { bad: SeriesReadability['bad'] }) {
  const t = useT()
  if (bad.length === 0) return null
  return (
    <div className="series-browser__problems" role="note" data-testid="bad-instances">
      <span>⚠ {t('viewer.badInstances', { count: bad.length })}</span>
      <ul>
        {bad.slice(0, LISTED_BAD_INSTANCES).map(({ instance, problem }) => (
          <li key={instance.sopInstanceUid} data-code={problem.code} data-sop-uid={instance.sopInstanceUid} title={problem.reason}>
            {t('viewer.badInstance', { number: instance.instanceNumber, reason: t(`dicomSafety.${problem.code}`) })}
          </li>
        ))}
        {bad.length > LISTED_BAD_INSTANCES && <li>…</li>}
      </ul>
    </div>
  )
}

export function SeriesBrowser({
  studies,
  problems,
  readInstance,
  onChoose,
}: {
  studies: readonly BrowsedStudy[]
  /** What the parse workers found wrong with instances, by SOP Instance UID. */
  problems: InstanceVerdictState['problems']
  readInstance: InstanceBytesReader
  onChoose(choice: SeriesChoice): void
}) {
  const t = useT()
  return (
    <nav className="series-browser" aria-label={t('viewer.seriesBrowser')} data-testid="series-browser">
      {studies.map((study) => (
        <section key={study.studyInstanceUid} className="series-browser__study" data-role={study.role}>
          <h3>{study.role === 'current' ? t('viewer.currentStudy', { date: formatDicomDate(study.studyDate) }) : t('viewer.priorStudy', { date: formatDicomDate(study.studyDate) })}</h3>
          {study.series.length === 0 && <p className="series-browser__empty">{t('viewer.priorNotCached')}</p>}
          <ul>
            {study.series.map((entry) => {
              const status = seriesReadability(entry, problems)
              const title = (
                <>
                  <span className="series-browser__modality">{entry.series.modality}</span> {entry.series.seriesNumber ? `#${entry.series.seriesNumber}` : ''}
                  <span className="series-browser__description">{entry.series.description || '—'}</span>
                </>
              )
              if (status.nonImage) {
                return (
                  <li key={entry.series.seriesInstanceUid}>
                    <div className="series-browser__item series-browser__item--non-image" data-testid="non-image-series" data-series-uid={entry.series.seriesInstanceUid}>
                      <span className="series-browser__text">
                        {title}
                        <span className="series-browser__count">{t('viewer.nonImageObject', { modality: entry.series.modality || '?' })}</span>
                      </span>
                    </div>
                  </li>
                )
              }
              const imageId = middleImageId(status.readable)
              const choice: SeriesChoice = { studyInstanceUid: study.studyInstanceUid, seriesInstanceUid: entry.series.seriesInstanceUid, role: study.role }
              const frames = status.readable.reduce((n, i) => n + i.numberOfFrames, 0)
              const nothingToShow = status.readable.length === 0
              return (
                <li key={entry.series.seriesInstanceUid}>
                  <button
                    type="button"
                    className="series-browser__item"
                    data-testid="series-item"
                    data-series-uid={entry.series.seriesInstanceUid}
                    draggable={!nothingToShow}
                    disabled={nothingToShow}
                    onDragStart={(event) => {
                      event.dataTransfer.setData(SERIES_DRAG_TYPE, JSON.stringify(choice))
                      event.dataTransfer.effectAllowed = 'copy'
                    }}
                    onClick={() => onChoose(choice)}
                    title={t('viewer.seriesChooseHint')}
                  >
                    {imageId && <SeriesThumbnail imageId={imageId} readInstance={readInstance} />}
                    <span className="series-browser__text">
                      {title}
                      <span className="series-browser__count">{nothingToShow ? t('viewer.noReadableImages') : t('viewer.imageCount', { count: frames })}</span>
                    </span>
                  </button>
                  <BadInstances bad={status.bad} />
                </li>
              )
            })}
          </ul>
        </section>
      ))}
    </nav>
  )
}
