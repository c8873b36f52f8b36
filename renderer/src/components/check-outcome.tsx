/**
 * How a report check ended, for the checker and the first reader alike: approved (with the
 * checker's comment) or amended (the checker's reason and the tracked changes against the
 * version they checked); and what went wrong with the last request, if anything.
 */
import type { FindingMaster } from '../../../shared/finding-master.ts'
import type { ReadingCase, ReportVersion } from '../../../shared/reading-case-contract.ts'
import { formatDateTime } from '../i18n/locale-format.ts'
import { useLanguageStore, useT } from '../i18n/language-store.ts'
import { TrackedChanges } from './tracked-changes.tsx'

export function CheckOutcome({ readingCase, baseline, latest, master }: { readingCase: ReadingCase; baseline: ReportVersion | null; latest: ReportVersion | null; master: FindingMaster | null }) {
  const t = useT()
  const language = useLanguageStore((s) => s.language)
  if (readingCase.status !== 'approved' && readingCase.status !== 'amended') return null
  // the event that ended the case says who decided and when
  const decided = readingCase.events.findLast((e) => e.toStatus === readingCase.status)
  const reason = readingCase.final?.reason ?? decided?.detail ?? ''
  return (
    <div className="check-panel__outcome" data-testid="check-outcome" data-state={readingCase.status}>
      {readingCase.status === 'amended' && latest ? (
        <>
          <h4>{t('amended.heading')}</h4>
          <p className="check-panel__meta">{t('amended.by', { name: latest.authorName, time: formatDateTime(latest.createdAt, language) })}</p>
          {reason && <p className="check-panel__comment" data-testid="check-reason">{t('check.reason', { reason })}</p>}
          {baseline && baseline.version !== latest.version && <TrackedChanges before={baseline.content} after={latest.content} master={master} />}
        </>
      ) : (
        <>
          {decided && <p className="check-panel__meta">{t('check.decidedBy', { name: decided.actorName, time: formatDateTime(decided.at, language) })}</p>}
          {reason && <p className="check-panel__comment">{t('check.comment', { comment: reason })}</p>}
        </>
      )}
    </div>
  )
}

export function CheckProblems({ error, rejection }: { error: string | null; rejection: ReadonlyArray<{ ja: string; en: string }> }) {
  const t = useT()
  const language = useLanguageStore((s) => s.language)
  if (!error && rejection.length === 0) return null
  return (
    <div role="alert">
      {error && <p className="check-panel__error">{t('check.error', { detail: error })}</p>}
      {rejection.length > 0 && (
        <>
          <p className="check-panel__error">{t('check.rejected')}</p>
          {rejection.map((m, i) => (
            <p key={i} className="check-panel__issue">
              {m[language]}
            </p>
          ))}
        </>
      )}
    </div>
  )
}
