/**
 * The first reader's side of a report check, in place of the report editor once their report
 * came back: returned — the checker's comment and the report to correct, sent as a new version
 * with a reason; amended — the checker's changes against the reader's last version, read-only.
 * Waiting for the check or approved, the report as the server holds it.
 */
import { useEffect, useState } from 'react'
import type { Assignment } from '../../../shared/api-contract.ts'
import { useReportCheckStore } from '../app-stores.ts'
import { useT } from '../i18n/language-store.ts'
import { CheckOutcome, CheckProblems } from './check-outcome.tsx'
import { ReportContentEditor } from './report-content-editor.tsx'
import { TrackedChanges } from './tracked-changes.tsx'
import { VersionHistory } from './version-history.tsx'
import './report-check.css'

export function ReturnedReportPanel({ assignment }: { assignment: Assignment }) {
  const t = useT()
  const state = useReportCheckStore()
  const { open, close } = state
  const [reason, setReason] = useState('')

  useEffect(() => {
    void open(assignment)
    return close
  }, [assignment, open, close])

  if (state.status === 'idle' || state.status === 'loading') return <aside className="check-panel">{t('check.loading')}</aside>
  const { readingCase, master, content, baseline } = state
  if (state.status === 'error' || !readingCase) {
    return (
      <aside className="check-panel" role="alert">
        {t('check.loadError', { detail: state.error ?? '' })}
      </aside>
    )
  }

  const checker = readingCase.reads.find((r) => r.readingType === 'check')
  const latest = state.versions.at(-1) ?? null
  const editing = readingCase.status === 'returned' && master && content && baseline ? { ...state, master, content } : null

  return (
    <aside className="check-panel" aria-label={t('returned.heading')} data-testid="returned-report-panel">
      <header className="check-panel__header">
        <h3>{readingCase.status === 'returned' ? t('returned.heading') : t('check.heading')}</h3>
        <span className="check-panel__state" data-testid="check-state" data-state={readingCase.status}>
          {t(`caseStatus.${readingCase.status}`)}
        </span>
      </header>
      {editing && baseline ? (
        <>
          <p className="check-panel__meta">{t('returned.comment', { name: checker?.readerName ?? '' })}</p>
          <p className="check-panel__comment" data-testid="return-comment">
            {readingCase.returnComment}
          </p>
          <p className="check-panel__meta">{t('returned.editHint')}</p>
          <ReportContentEditor editing={editing} modalities={assignment.modalities} disabled={state.busy} />
          <TrackedChanges before={baseline.content} after={editing.content} master={master} />
          <CheckProblems error={state.error} rejection={state.rejection} />
          <div className="check-panel__actions">
            <div className="check-panel__action">
              <textarea value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('returned.reason')} aria-label={t('returned.reason')} />
              <button type="button" data-testid="send-correction" disabled={state.busy || !reason.trim() || state.issues.length > 0} onClick={() => void state.correct(reason)}>
                {t('returned.submit')}
              </button>
              {state.busy && <p className="check-panel__meta">{t('check.busy')}</p>}
            </div>
          </div>
        </>
      ) : (
        <>
          {readingCase.status === 'check' && <p className="check-panel__meta" data-testid="correction-sent">{t('returned.sent')}</p>}
          <CheckOutcome readingCase={readingCase} baseline={baseline} latest={latest} master={master} />
          <CheckProblems error={state.error} rejection={state.rejection} />
          {master && latest && <ReportContentEditor editing={{ ...state, master, content: latest.content }} modalities={assignment.modalities} disabled />}
        </>
      )}
      <VersionHistory versions={state.versions} />
    </aside>
  )
}
