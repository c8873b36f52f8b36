/**
 * The checker's side of a report check (読影レポートチェック), beside the images in place of the
 * report editor: the first reader's report, edited in place, with the changes tracked live
 * against the version being checked; then Approve (the report as it is), Approve with
 * amendment (the edited report, with a reason) or Return with a comment to the first reader.
 */
import { useEffect, useState } from 'react'
import type { Assignment } from '../../../shared/api-contract.ts'
import { useReportCheckStore } from '../app-stores.ts'
import { formatDateTime } from '../i18n/locale-format.ts'
import { useLanguageStore, useT } from '../i18n/language-store.ts'
import { CheckOutcome, CheckProblems } from './check-outcome.tsx'
import { ReportContentEditor } from './report-content-editor.tsx'
import { TrackedChanges } from './tracked-changes.tsx'
import { VersionHistory } from './version-history.tsx'
import './report-check.css'

export function CheckReviewPanel({ assignment }: { assignment: Assignment }) {
  const t = useT()
  const language = useLanguageStore((s) => s.language)
  const state = useReportCheckStore()
  const { open, close } = state
  const [approveComment, setApproveComment] = useState('')
  const [amendReason, setAmendReason] = useState('')
  const [returnComment, setReturnComment] = useState('')

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

  const first = readingCase.reads.find((r) => r.readingType === 'first')
  const editing = readingCase.status === 'check' && master && content && baseline ? { ...state, master, content } : null
  const changed = Boolean(editing && baseline && JSON.stringify(editing.content) !== JSON.stringify(baseline.content))
  const latest = state.versions.at(-1)

  return (
    <aside className="check-panel" aria-label={t('check.heading')} data-testid="check-review-panel">
      <header className="check-panel__header">
        <h3>{t('check.heading')}</h3>
        <span className="check-panel__state" data-testid="check-state" data-state={readingCase.status}>
          {t(`caseStatus.${readingCase.status}`)}
        </span>
      </header>
      {first && baseline && (
        <p className="check-panel__meta" data-testid="check-first-read">
          {t('check.firstRead', { name: first.readerName, version: baseline.version, time: formatDateTime(baseline.createdAt, language) })}
        </p>
      )}
      {readingCase.status === 'first-read' && <p className="check-panel__meta">{t('check.waitingFirst')}</p>}
      {readingCase.status === 'returned' && (
        <>
          <p className="check-panel__meta">{t('check.waitingCorrection')}</p>
          {readingCase.returnComment && <p className="check-panel__comment">{readingCase.returnComment}</p>}
        </>
      )}

      {editing && baseline ? (
        <>
          <p className="check-panel__meta">{t('check.editHint')}</p>
          <ReportContentEditor editing={editing} modalities={assignment.modalities} disabled={state.busy} />
          <button type="button" onClick={state.resetContent} disabled={!changed || state.busy} data-testid="check-reset">
            {t('check.reset')}
          </button>
          <TrackedChanges before={baseline.content} after={editing.content} master={master} />
          <CheckProblems error={state.error} rejection={state.rejection} />
          <div className="check-panel__actions">
            <div className="check-panel__action">
              <input value={approveComment} onChange={(e) => setApproveComment(e.target.value)} placeholder={t('check.approveComment')} aria-label={t('check.approveComment')} disabled={changed} />
              <button type="button" data-testid="check-approve" disabled={state.busy || changed} onClick={() => void state.approve(approveComment)}>
                {t('check.approve')}
              </button>
              {changed && <small className="check-panel__meta">{t('check.approveChanged')}</small>}
            </div>
            <div className="check-panel__action">
              <textarea value={amendReason} onChange={(e) => setAmendReason(e.target.value)} placeholder={t('check.amendReason')} aria-label={t('check.amendReason')} />
              <button
                type="button"
                data-testid="check-amend"
                disabled={state.busy || !changed || !amendReason.trim() || state.issues.length > 0}
                onClick={() => void state.amend(amendReason)}
              >
                {t('check.amend')}
              </button>
              {!changed && <small className="check-panel__meta">{t('check.amendNothing')}</small>}
            </div>
            <div className="check-panel__action">
              <textarea value={returnComment} onChange={(e) => setReturnComment(e.target.value)} placeholder={t('check.returnComment')} aria-label={t('check.returnComment')} />
              <button type="button" data-testid="check-return" disabled={state.busy || !returnComment.trim()} onClick={() => void state.returnReport(returnComment)}>
                {t('check.return')}
              </button>
            </div>
            {state.busy && <p className="check-panel__meta">{t('check.busy')}</p>}
          </div>
        </>
      ) : (
        <>
          <CheckOutcome readingCase={readingCase} baseline={baseline} latest={latest ?? null} master={master} />
          <CheckProblems error={state.error} rejection={state.rejection} />
          {master && latest && (
            <ReportContentEditor editing={{ ...state, master, content: latest.content }} modalities={assignment.modalities} disabled />
          )}
        </>
      )}
      <VersionHistory versions={state.versions} />
    </aside>
  )
}
