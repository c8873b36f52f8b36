/**
 * What a reading case's record holds once it is decided: the final judgement, how it was
 * reached (agreement, consensus, committee), why, by whom and when, and every transition of
 * the case (who, when, from and to), oldest first.
 */
import type { CSSProperties } from 'react'
import type { FindingMaster } from '../../../shared/finding-master.ts'
import type { ReadingCase } from '../../../shared/reading-case-contract.ts'
import { scaleOf } from '../../../shared/report-rules.ts'
import { useLanguageStore, useT } from '../i18n/language-store.ts'
import { messages, type MessageKey } from '../i18n/messages.ts'

const dtStyle: CSSProperties = { color: '#8a939d' }
const gridStyle: CSSProperties = { display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '2px 10px', margin: 0, fontSize: 13 }

/** The name of whoever did something in the case: from its events or its reads; the id when neither names them. */
function nameOf(readingCase: ReadingCase, userId: string | undefined): string {
  if (!userId) return ''
  return readingCase.events.find((e) => e.actorId === userId)?.actorName ?? readingCase.reads.find((r) => r.readerId === userId)?.readerName ?? userId
}

export function CaseFinalRecord({ readingCase, master }: { readingCase: ReadingCase; master: FindingMaster | null }) {
  const t = useT()
  const language = useLanguageStore((s) => s.language)
  const final = readingCase.final
  const scaleCode = readingCase.reads.find((r) => r.latest)?.latest?.content.scale
  const value = final && master && scaleCode ? scaleOf(master, scaleCode)?.values.find((v) => v.code === final.overallJudgement) : undefined
  const eventName = (event: string) => {
    const key = `caseEvent.${event}`
    return key in messages.ja ? t(key as MessageKey) : event
  }

  return (
    <section data-testid="case-final-record" data-method={final?.method ?? ''} style={{ marginTop: 8 }} aria-label={t('record.heading')}>
      {final && (
        <>
          <h4 style={{ margin: '4px 0' }}>{t('record.heading')}</h4>
          <dl style={gridStyle}>
            <dt style={dtStyle}>{t('record.judgement')}</dt>
            <dd style={{ margin: 0 }} data-testid="final-judgement">
              <strong>{final.overallJudgement}</strong> {value?.label[language]}
              {final.requiresFurtherExamination && ` · ${t('comparison.furtherExamination')}`}
            </dd>
            <dt style={dtStyle}>{t('record.method')}</dt>
            <dd style={{ margin: 0 }} data-testid="final-method">
              {t(`finalMethod.${final.method}`)}
            </dd>
            {final.reason && (
              <>
                <dt style={dtStyle}>{t('record.reason')}</dt>
                <dd style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{final.reason}</dd>
              </>
            )}
            {final.decidedBy && (
              <>
                <dt style={dtStyle}>{t('record.decidedBy')}</dt>
                <dd style={{ margin: 0 }}>{nameOf(readingCase, final.decidedBy)}</dd>
              </>
            )}
            <dt style={dtStyle}>{t('record.decidedAt')}</dt>
            <dd style={{ margin: 0 }}>{new Date(final.decidedAt).toLocaleString()}</dd>
          </dl>
        </>
      )}
      {readingCase.events.length > 0 && (
        <>
          <h4 style={{ margin: '8px 0 4px' }}>{t('record.events')}</h4>
          <ol style={{ margin: 0, paddingLeft: 18, fontSize: 12 }} data-testid="case-events">
            {readingCase.events.map((e, i) => (
              <li key={i}>
                {new Date(e.at).toLocaleString()} — {e.actorName}: {eventName(e.event)} ({e.fromStatus ? `${t(`caseStatus.${e.fromStatus}`)} → ` : ''}
                {t(`caseStatus.${e.toStatus}`)}){e.detail && e.event !== 'read-submitted' ? ` — ${e.detail}` : ''}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  )
}
