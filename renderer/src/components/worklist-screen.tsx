/** The reader's worklist: one row per assignment, most urgent first; Enter or double click opens. */
import { useEffect, useLayoutEffect, useState } from 'react'
import type { Assignment } from '../../../shared/api-contract.ts'
import { readInstanceFromCache, refreshWorklist, useStudyStore, useWorklistStore } from '../app-stores.ts'
import { formatDicomDate } from '../i18n/format.ts'
import { markStudyOpen, markWorklistArrived, markWorklistPainted } from '../perf-marks.ts'
import { warmUpViewer } from '../viewer/cornerstone-setup.ts'
import { useLanguageStore, useT } from '../i18n/language-store.ts'
import { CacheProgressCell } from './cache-progress-cell.tsx'
import { dueTimeView } from './due-time.ts'
import { SyncStatusBar } from './sync-status-bar.tsx'

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs)
    return () => clearInterval(timer)
  }, [intervalMs])
  return now
}

export function WorklistScreen() {
  const t = useT()
  const assignments = useWorklistStore((s) => s.assignments)
  const loading = useWorklistStore((s) => s.loading)
  const open = useStudyStore((s) => s.open)
  const now = useNow(30_000)
  const language = useLanguageStore((s) => s.language)

  useEffect(() => warmUpViewer(readInstanceFromCache), [])
  // benchmark marks: the list's arrival in the store, and its rows painted
  useEffect(
    () =>
      useWorklistStore.subscribe((s, previous) => {
        if (s.assignments !== previous.assignments) markWorklistArrived(s.assignments.length)
      }),
    [],
  )
  useLayoutEffect(() => markWorklistPainted(assignments.length), [assignments])

  const openRow = (assignment: Assignment) => {
    markStudyOpen()
    void open(assignment)
  }

  return (
    <section className="worklist" aria-labelledby="worklist-heading">
      <header className="worklist__header">
        <h2 id="worklist-heading">{t('worklist.heading')}</h2>
        <span className="worklist__count">{t('worklist.count', { count: assignments.length })}</span>
        <button type="button" onClick={refreshWorklist}>
          {t('worklist.refresh')}
        </button>
      </header>
      <SyncStatusBar />
      {loading && assignments.length === 0 && <p>{t('worklist.loading')}</p>}
      {!loading && assignments.length === 0 && <p>{t('worklist.empty')}</p>}
      {assignments.length > 0 && (
        <table className="worklist__table">
          <thead>
            <tr>
              <th>{t('worklist.col.priority')}</th>
              <th>{t('worklist.col.due')}</th>
              <th>{t('worklist.col.facility')}</th>
              <th>{t('worklist.col.patient')}</th>
              <th>{t('worklist.col.modality')}</th>
              <th>{t('worklist.col.bodyPart')}</th>
              <th>{t('worklist.col.studyDate')}</th>
              <th>{t('worklist.col.readingType')}</th>
              <th>{t('worklist.col.images')}</th>
              <th>{t('worklist.col.cache')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {assignments.map((a) => {
              const due = dueTimeView(a.dueAt, now, language)
              return (
                <tr
                  key={a.id}
                  className={`worklist__row worklist__row--${a.priority}`}
                  tabIndex={0}
                  data-testid="worklist-row"
                  data-study-uid={a.studyInstanceUid}
                  onDoubleClick={() => openRow(a)}
                  onKeyDown={(e) => e.key === 'Enter' && openRow(a)}
                >
                  <td>
                    <span className={`priority priority--${a.priority}`}>{t(`priority.${a.priority}`)}</span>
                  </td>
                  <td className={`due due--${due.tone}`} title={new Date(a.dueAt).toLocaleString()}>
                    {t(due.text.key, { time: due.text.time })}
                  </td>
                  <td>{a.facilityName}</td>
                  <td>{a.patientDisplay}</td>
                  <td>{a.modalities.join(', ')}</td>
                  <td>{a.bodyPart}</td>
                  <td>{formatDicomDate(a.studyDate)}</td>
                  <td>{t(`readingType.${a.readingType}`)}</td>
                  <td>{a.instanceCount}</td>
                  <CacheProgressCell studyInstanceUid={a.studyInstanceUid} />
                  <td>
                    <button type="button" onClick={() => openRow(a)}>
                      {t('worklist.open')}
                    </button>
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
    </section>
  )
}
