/** An open study: the caching progress bar, then the first image series in the viewer. */
import { useMemo } from 'react'
import { readInstanceFromCache, useStudyStore, useSyncStore } from '../app-stores.ts'
import { formatBytes, formatDicomDate } from '../i18n/format.ts'
import { useT } from '../i18n/language-store.ts'
import { imageIdsForInstance } from '../viewer/cached-image-id.ts'
import { StackViewer } from '../viewer/stack-viewer.tsx'
import { ReportPanel } from './report-panel.tsx'

export function StudyScreen() {
  const t = useT()
  const assignment = useStudyStore((s) => s.assignment)
  const phase = useStudyStore((s) => s.phase)
  const series = useStudyStore((s) => s.series)
  const error = useStudyStore((s) => s.error)
  const close = useStudyStore((s) => s.close)
  const showImage = useStudyStore((s) => s.showImage)
  const requestedImage = useStudyStore((s) => s.requestedImage)
  const progress = useSyncStore((s) => (assignment ? s.progress[assignment.studyInstanceUid] : undefined))

  const shown = series.find((s) => s.instances.length > 0)
  const imageIds = useMemo(
    () =>
      shown
? shown.instances.flatMap((i) => imageIdsForInstance(i.sopInstanceUid, i.numberOfFrames)) : [],
    [shown],
  )
  const loadFailed = t('viewer.loadFailed')
  const labels = useMemo(() => ({ loadFailed }), [loadFailed])
  if (!assignment) return null

  const corners = {
    topLeft: [assignment.patientDisplay, `${assignment.patientSex} ${assignment.patientAge}`.trim(), assignment.facilityName],
    topRight: [formatDicomDate(assignment.studyDate), assignment.modalities.join(', '), assignment.studyDescription],
  }

  return (
    <section className="study" aria-label={assignment.studyDescription || assignment.studyInstanceUid}>
      <header className="study__header">
        <button type="button" onClick={close}>
          ← {t('study.back')}
        </button>
        {shown && (
          <span className="study__series">
            {t('study.series', { number: shown.series.seriesNumber, description: shown.series.description, count: shown.instances.length })}
          </span>
        )}
        {progress && progress.totalInstances > 0 && (
          <div className="study__progress">
            <progress data-testid="cache-progress" max={progress.totalInstances} value={progress.cachedInstances} />
            <span>
              {progress.state === 'complete'
                ? t('study.cached', { total: progress.totalInstances, size: formatBytes(progress.cachedBytes) })
                : progress.state === 'error'
                  ? t('cache.error', { detail: progress.error ?? '' })
                  : t('study.caching', { done: progress.cachedInstances, total: progress.totalInstances, size: formatBytes(progress.cachedBytes) })}
            </span>
          </div>
        )}
      </header>
      {phase === 'waiting' && <p className="study__waiting">{progress?.state === 'error' ? t('study.error', { detail: progress.error ?? '' }) : t('study.waiting')}</p>}
      {phase === 'error' && error && (
        <p className="study__error" role="alert">
          {t('study.error', { detail: error })}
        </p>
      )}
      {phase === 'ready' && imageIds.length === 0 && <p>{t('study.noImages')}</p>}
      <div className="study__body">
        <div className="study__images">
          {phase === 'ready' && imageIds.length > 0 && (
            <>
              <StackViewer imageIds={imageIds} readInstance={readInstanceFromCache} corners={corners} labels={labels} onImageShown={showImage} requestedImage={requestedImage} />
              <p className="study__hint">{t('viewer.hint')}</p>
            </>
          )}
        </div>
        <ReportPanel assignment={assignment} />
      </div>
    </section>
  )
}
