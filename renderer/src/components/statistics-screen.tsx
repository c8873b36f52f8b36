/**
 * Reader statistics for a period (the last 30 days unless changed): per reader the cases read,
 * the median reading time, the agreement rate with the other reader, and the further-examination
 * rate (要精検率) by facility and modality; every reader for an administrator, only oneself for
 * a reader (the server decides). The same numbers can be saved as CSV.
 */
import { useEffect, useMemo } from 'react'
import { useSessionStore, useStatisticsStore, useWorklistStore } from '../app-stores.ts'
import { formatCount, formatRate, formatReadingTime } from '../i18n/locale-format.ts'
import { useLanguageStore, useT } from '../i18n/language-store.ts'
import './report-check.css'

export function StatisticsScreen({ onBack }: { onBack: () => void }) {
  const t = useT()
  const language = useLanguageStore((s) => s.language)
  const role = useSessionStore((s) => s.user?.role)
  const assignments = useWorklistStore((s) => s.assignments)
  const state = useStatisticsStore()
  const { open } = state

  useEffect(() => {
    void open()
  }, [open])

  // the statistics name facilities by id; the worklist knows the names of those this user reads for
  const facilityNames = useMemo(() => new Map(assignments.map((a) => [a.facilityId, a.facilityName])), [assignments])
  const readers = state.statistics?.readers ?? []

  return (
    <section className="statistics" aria-labelledby="statistics-heading" data-testid="statistics-screen">
      <header className="statistics__header">
        <button type="button" onClick={onBack}>
          ← {t('stats.back')}
        </button>
        <h2 id="statistics-heading">{t('stats.heading')}</h2>
        <form
          className="statistics__period"
          onSubmit={(e) => {
            e.preventDefault()
            void state.load()
          }}
        >
          <label>
            {t('stats.from')} <input type="date" value={state.from} onChange={(e) => state.setPeriod(e.target.value, state.to)} data-testid="statistics-from" />
          </label>
          <label>
            {t('stats.to')} <input type="date" value={state.to} onChange={(e) => state.setPeriod(state.from, e.target.value)} data-testid="statistics-to" />
          </label>
          <button type="submit" disabled={state.invalidPeriod || state.status === 'loading'}>
            {t('stats.show')}
          </button>
          <button type="button" onClick={() => void state.exportCsv()} disabled={state.invalidPeriod || state.exporting} data-testid="statistics-csv">
            {t('stats.csv')}
          </button>
        </form>
      </header>
      <p className="statistics__note">{role === 'admin' ? t('stats.allReaders') : t('stats.ownOnly')}</p>
      {state.invalidPeriod && (
        <p className="statistics__error" role="alert">
          {t('stats.invalidPeriod')}
        </p>
      )}
      {state.error && (
        <p className="statistics__error" role="alert">
          {t('stats.error', { detail: state.error })}
        </p>
      )}
      {state.exportError && (
        <p className="statistics__error" role="alert">
          {t('stats.csvError', { detail: state.exportError })}
        </p>
      )}
      {state.status === 'loading' && <p className="statistics__note">{t('stats.loading')}</p>}
      {state.status === 'ready' && readers.length === 0 && <p>{t('stats.empty')}</p>}
      {readers.length > 0 && (
        <table className="statistics__table" data-testid="statistics-table">
          <thead>
            <tr>
              <th>{t('stats.col.reader')}</th>
              <th className="statistics__number">{t('stats.col.cases')}</th>
              <th className="statistics__number">{t('stats.col.median')}</th>
              <th className="statistics__number">{t('stats.col.compared')}</th>
              <th className="statistics__number">{t('stats.col.agreement')}</th>
              <th>{t('stats.col.byFacility')}</th>
            </tr>
          </thead>
          <tbody>
            {readers.map((r) => (
              <tr key={r.readerId} data-testid="statistics-row" data-reader-id={r.readerId}>
                <td>{r.readerName}</td>
                <td className="statistics__number" data-testid="statistics-cases">
                  {formatCount(r.casesRead, language)}
                </td>
                <td className="statistics__number">{formatReadingTime(r.medianReadingSeconds, language)}</td>
                <td className="statistics__number">{formatCount(r.comparedCases, language)}</td>
                <td className="statistics__number" data-testid="statistics-agreement">
                  {formatRate(r.agreementRate, language)}
                </td>
                <td>
                  {r.byFacilityModality.length > 0 && (
                    <table className="statistics__breakdown">
                      <thead>
                        <tr>
                          <th>{t('stats.col.facility')}</th>
                          <th>{t('stats.col.modality')}</th>
                          <th className="statistics__number">{t('stats.col.reads')}</th>
                          <th className="statistics__number">{t('stats.col.further')}</th>
                          <th className="statistics__number">{t('stats.col.furtherRate')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {r.byFacilityModality.map((g) => (
                          <tr key={`${g.facilityId}\u0000${g.modality}`} data-testid="statistics-group">
                            <td title={g.facilityId}>{facilityNames.get(g.facilityId) ?? g.facilityId}</td>
                            <td>{g.modality}</td>
                            <td className="statistics__number">{formatCount(g.reads, language)}</td>
                            <td className="statistics__number">{formatCount(g.furtherExaminations, language)}</td>
                            <td className="statistics__number">{formatRate(g.furtherExaminationRate, language)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
