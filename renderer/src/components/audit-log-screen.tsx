/**
 * The administrator's view of the operation log: search by user, study, kind and period; verify
 * the hash chain (naming the first broken entry); export the period as DICOM audit messages.
 */
import { useEffect } from 'react'
import { AUDIT_KIND_NAMES, AUDIT_KINDS, type AuditKind } from '../../../shared/audit-codes.ts'
import type { AuditEntry } from '../../../shared/audit-contract.ts'
import { useAuditLogStore } from '../app-stores.ts'
import { useLanguageStore, useT } from '../i18n/language-store.ts'
import './report-check.css'

function detailText(entry: AuditEntry): string {
  return Object.entries(entry.detail)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ')
}

export function AuditLogScreen({ onBack }: { onBack: () => void }) {
  const t = useT()
  const language = useLanguageStore((s) => s.language)
  const state = useAuditLogStore()
  const { search, filters, setFilters } = state

  useEffect(() => {
    void search()
  }, [search])

  const time = (iso: string | null) => (iso ? new Date(iso).toLocaleString(language === 'ja' ? 'ja-JP' : 'en-GB') : '')

  return (
    <section className="statistics" aria-labelledby="audit-heading" data-testid="audit-log-screen">
      <header className="statistics__header">
        <button type="button" onClick={onBack}>
          ← {t('audit.back')}
        </button>
        <h2 id="audit-heading">{t('audit.heading')}</h2>
        <form
          className="statistics__period"
          onSubmit={(e) => {
            e.preventDefault()
            void search()
          }}
        >
          <label>
            {t('audit.user')} <input value={filters.user} onChange={(e) => setFilters({ user: e.target.value })} data-testid="audit-user" />
          </label>
          <label>
            {t('audit.study')} <input value={filters.study} onChange={(e) => setFilters({ study: e.target.value })} data-testid="audit-study" />
          </label>
          <label>
            {t('audit.kind')}{' '}
            <select value={filters.kind} onChange={(e) => setFilters({ kind: e.target.value as AuditKind | '' })} data-testid="audit-kind">
              <option value="">{t('audit.kind.all')}</option>
              {AUDIT_KIND_NAMES.map((kind) => (
                <option key={kind} value={kind}>
                  {t(`audit.kind.${kind}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('audit.from')} <input type="date" value={filters.from} onChange={(e) => setFilters({ from: e.target.value })} />
          </label>
          <label>
            {t('audit.to')} <input type="date" value={filters.to} onChange={(e) => setFilters({ to: e.target.value })} />
          </label>
          <button type="submit" disabled={state.status === 'loading'}>
            {t('audit.search')}
          </button>
          <button type="button" onClick={() => void state.verify()} disabled={state.verifying} data-testid="audit-verify">
            {t('audit.verify')}
          </button>
          <button type="button" onClick={() => void state.exportXml()} disabled={state.exporting} data-testid="audit-export">
            {t('audit.export')}
          </button>
        </form>
      </header>
      {state.verification && (
        <p className={state.verification.ok ? 'statistics__note' : 'statistics__error'} role="status" data-testid="audit-verification">
          {state.verification.ok || !state.verification.firstBroken
            ? t('audit.verify.ok', { count: state.verification.checked })
            : t('audit.verify.broken', { seq: state.verification.firstBroken.seq, reason: state.verification.firstBroken.reason })}
        </p>
      )}
      {state.error && (
        <p className="statistics__error" role="alert">
          {t('audit.error', { detail: state.error })}
        </p>
      )}
      {state.truncated && <p className="statistics__note">{t('audit.truncated')}</p>}
      {state.status === 'ready' && state.entries.length === 0 ? (
        <p className="statistics__note">{t('audit.empty')}</p>
      ) : (
        <table className="statistics__table" data-testid="audit-table">
          <thead>
            <tr>
              <th>#</th>
              <th>{t('audit.col.time')}</th>
              <th>{t('audit.col.clientTime')}</th>
              <th>{t('audit.col.user')}</th>
              <th>{t('audit.col.event')}</th>
              <th>{t('audit.col.study')}</th>
              <th>{t('audit.col.outcome')}</th>
              <th>{t('audit.col.source')}</th>
              <th>{t('audit.col.detail')}</th>
            </tr>
          </thead>
          <tbody>
            {state.entries.map((entry) => (
              <tr key={entry.seq} data-testid="audit-row">
                <td>{entry.seq}</td>
                <td>{time(entry.serverTime)}</td>
                <td>{time(entry.clientTime)}</td>
                <td>{entry.username ?? entry.userId ?? ''}</td>
                <td title={`${AUDIT_KINDS[entry.kind].eventId.meaning} ${entry.eventType ?? ''}`}>
                  {t(`audit.kind.${entry.kind}`)} ({entry.eventId})
                </td>
                <td>{entry.studyInstanceUid ?? ''}</td>
                <td>{entry.outcome === 0 ? t('audit.outcome.success') : `${t('audit.outcome.failure')} (${entry.outcome})`}</td>
                <td>{t(`audit.source.${entry.source}`)}</td>
                <td>{detailText(entry)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
