/**
 * The series of the open study and of its priors, each with a thumbnail from the cache, its
 * description, modality and image count. A click shows the series in the active viewport;
 * dragging it onto a viewport shows it there.
 */
import { formatDicomDate } from '../i18n/format.ts'
import { useT } from '../i18n/language-store.ts'
import type { SeriesWithInstances } from '../repositories/study-repository.ts'
import { imageIdsForInstance } from '../viewer/cached-image-id.ts'
import type { InstanceBytesReader } from '../viewer/cached-image-loader.ts'
import { SeriesThumbnail } from '../viewer/series-thumbnail.tsx'
import { SERIES_DRAG_TYPE } from '../viewer/viewport-grid.tsx'

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

function middleImageId(entry: SeriesWithInstances): string | undefined {
  const middle = entry.instances[Math.floor(entry.instances.length / 2)]
  return middle && imageIdsForInstance(middle.sopInstanceUid, middle.numberOfFrames)[0]
}

export function SeriesBrowser({ studies, readInstance, onChoose }: { studies: readonly BrowsedStudy[]; readInstance: InstanceBytesReader; onChoose(choice: SeriesChoice): void }) {
  const t = useT()
  return (
    <nav className="series-browser" aria-label={t('viewer.seriesBrowser')} data-testid="series-browser">
      {studies.map((study) => (
        <section key={study.studyInstanceUid} className="series-browser__study" data-role={study.role}>
          <h3>{study.role === 'current' ? t('viewer.currentStudy', { date: formatDicomDate(study.studyDate) }) : t('viewer.priorStudy', { date: formatDicomDate(study.studyDate) })}</h3>
          {study.series.length === 0 && <p className="series-browser__empty">{t('viewer.priorNotCached')}</p>}
          <ul>
            {study.series.map((entry) => {
              const imageId = middleImageId(entry)
              const choice: SeriesChoice = { studyInstanceUid: study.studyInstanceUid, seriesInstanceUid: entry.series.seriesInstanceUid, role: study.role }
              const frames = entry.instances.reduce((n, i) => n + i.numberOfFrames, 0)
              return (
                <li key={entry.series.seriesInstanceUid}>
                  <button
                    type="button"
                    className="series-browser__item"
                    data-testid="series-item"
                    data-series-uid={entry.series.seriesInstanceUid}
                    draggable
                    onDragStart={(event) => {
                      event.dataTransfer.setData(SERIES_DRAG_TYPE, JSON.stringify(choice))
                      event.dataTransfer.effectAllowed = 'copy'
                    }}
                    onClick={() => onChoose(choice)}
                    title={t('viewer.seriesChooseHint')}
                  >
                    {imageId && <SeriesThumbnail imageId={imageId} readInstance={readInstance} />}
                    <span className="series-browser__text">
                      <span className="series-browser__modality">{entry.series.modality}</span> {entry.series.seriesNumber ? `#${entry.series.seriesNumber}` : ''}
                      <span className="series-browser__description">{entry.series.description || '—'}</span>
                      <span className="series-browser__count">{t('viewer.imageCount', { count: frames })}</span>
                    </span>
                  </button>
                </li>
              )
            })}
          </ul>
        </section>
      ))}
    </nav>
  )
}
