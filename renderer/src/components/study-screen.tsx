/** An open study: the caching progress bar, the viewer (series browser, toolbar, viewports) and the report. */
import { useStudyStore, useSyncStore } from '../app-stores.ts'
import { formatBytes } from '../i18n/format.ts'
import { useT } from '../i18n/language-store.ts'
import { studyProblemText } from '../sync/sync-fault-text.ts'
import { ReadingCasePanel } from './reading-case-panel.tsx'
import { ReportCheckSwitch } from './report-check-switch.tsx'
import { ReportPanel } from './report-panel.tsx'
import { ViewerArea } from './viewer-area.tsx'

export function StudyScreen() {
  const t = useT()
  const assignment = useStudyStore((s) => s.assignment)
  const phase = useStudyStore((s) => s.phase)
  const series = useStudyStore((s) => s.series)
  const error = useStudyStore((s) => s.error)
  const close = useStudyStore((s) => s.close)
  const progress = useSyncStore((s) => (assignment ? s.progress[assignment.studyInstanceUid] : undefined))

  const hasImages = series.some((s) => s.instances.length > 0)
  if (!assignment) return null

  return (
    <section className="study" aria-label={assignment.studyDescription || assignment.studyInstanceUid}>
      <header className="study__header">
        <button type="button" onClick={close}>
          ← {t('study.back')}
        </button>
        {progress && progress.totalInstances > 0 && (
          <div className="study__progress">
            <progress data-testid="cache-progress" max={progress.totalInstances} value={progress.cachedInstances} />
            <span>
              {progress.state === 'complete'
                ? t('study.cached', { total: progress.totalInstances, size: formatBytes(progress.cachedBytes) })
                : progress.state === 'error'
                  ? studyProblemText(t, progress)
                  : t('study.caching', { done: progress.cachedInstances, total: progress.totalInstances, size: formatBytes(progress.cachedBytes) })}
            </span>
          </div>
        )}
      </header>
      {phase === 'waiting' && <p className="study__waiting">{progress?.state === 'error' ? studyProblemText(t, progress) : t('study.waiting')}</p>}
      {phase === 'error' && error && (
        <p className="study__error" role="alert">
          {t('study.error', { detail: error })}
        </p>
      )}
      {phase === 'ready' && !hasImages && <p>{t('study.noImages')}</p>}
      <div className="study__body">
        <div className="study__images">{phase === 'ready' && hasImages && <ViewerArea />}</div>
        {/* a comparison is decided on the reading case, never written as a report (the server answers 409) */}
        {/* check-ui: a report check shows the checker's review, or the first reader's returned/amended report, in place of the editor */}
        <ReportCheckSwitch assignment={assignment}>
          {assignment.readingType !== 'comparison' && <ReportPanel assignment={assignment} />}
        </ReportCheckSwitch>
        <ReadingCasePanel />
      </div>
    </section>
  )
}
