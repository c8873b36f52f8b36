/**
 * Tracked changes between two versions of a report (shared/report-diff.ts): the impression and
 * comments as kept, inserted (<ins>) and deleted (<del>) runs, findings added, removed or
 * changed (with the fields that changed), and the overall judgement's change. Insertions are
 * underlined and deletions struck through, so they differ without colour too.
 */
import { useMemo } from 'react'
import type { FindingMaster, ReportContent, ReportFinding } from '../../../shared/finding-master.ts'
import { diffReports, type FindingChangeField, type TextChange } from '../../../shared/report-diff.ts'
import { overallJudgement } from '../../../shared/report-rules.ts'
import { useLanguageStore, useT } from '../i18n/language-store.ts'
import type { MessageKey } from '../i18n/messages.ts'
import './report-check.css'

const FIELD_LABELS: Record<FindingChangeField, MessageKey> = {
  judgement: 'report.judgement',
  laterality: 'changes.field.laterality',
  location: 'report.field.location',
  size: 'report.field.size',
}

function TextRuns({ changes, testId }: { changes: TextChange[]; testId: string }) {
  const t = useT()
  return (
    <p className="tracked-changes__text" data-testid={testId}>
      {changes.map((c, i) =>
        c.kind === 'insert' ? (
          <ins key={i} title={t('changes.inserted')}>
            {c.text}
          </ins>
        ) : c.kind === 'delete' ? (
          <del key={i} title={t('changes.deleted')}>
            {c.text}
          </del>
        ) : (
          <span key={i}>{c.text}</span>
        ),
      )}
    </p>
  )
}

export function TrackedChanges({ before, after, master, heading }: { before: ReportContent; after: ReportContent; master: FindingMaster | null; heading?: string }) {
  const t = useT()
  const language = useLanguageStore((s) => s.language)
  const changes = useMemo(() => diffReports(before, after), [before, after])
  const label = (v: { ja: string; en: string }) => v[language]
  const findingName = (f: ReportFinding) => {
    const finding = master?.findings.find((x) => x.code === f.findingCode)
    const part = master?.bodyParts.find((b) => b.code === f.bodyPartCode)
    return `${finding ? label(finding.name) : f.findingCode}（${part ? label(part.name) : f.bodyPartCode}）`
  }
  const judgementText = (code: string | undefined) => {
    if (!code) return t('changes.empty')
    const value = master?.scales.find((s) => s.code === after.scale)?.values.find((v) => v.code === code)
    return value ? `${code} ${label(value.label)}` : code
  }
  const fieldValue = (f: ReportFinding, field: FindingChangeField) => (field === 'judgement' ? judgementText(f.judgement) : f[field] || t('changes.empty'))

  // the judgement the report states (computed from the findings, or overridden); without the master, only an override's change is known
  const overall = master
    ? { before: overallJudgement(master, before)?.code, after: overallJudgement(master, after)?.code }
    : { before: changes.overallOverride?.before, after: changes.overallOverride?.after }
  const overallChanged = overall.before !== overall.after
  const commentsChanged = changes.comments.some((c) => c.kind !== 'same')
  const impressionChanged = changes.impression.some((c) => c.kind !== 'same')

  return (
    <section className="tracked-changes" data-testid="tracked-changes" data-changed={changes.changed || overallChanged ? 'true' : 'false'} aria-label={heading ?? t('changes.heading')}>
      <h4>{heading ?? t('changes.heading')}</h4>
      <div className="tracked-changes__legend">
        <ins>{t('changes.inserted')}</ins>
        <del>{t('changes.deleted')}</del>
      </div>
      {!changes.changed && !overallChanged && <p className="tracked-changes__none">{t('changes.none')}</p>}
      {overallChanged && (
        <p className="tracked-changes__overall" data-testid="tracked-overall">
          {t('report.overall')}: <del>{judgementText(overall.before)}</del>
          <span className="tracked-changes__arrow">→</span>
          <ins>{judgementText(overall.after)}</ins>
        </p>
      )}
      {changes.findings.length > 0 && (
        <>
          <p className="tracked-changes__label">{t('changes.findings')}</p>
          <ul className="tracked-changes__findings" data-testid="tracked-findings">
            {changes.findings.map((c, i) =>
              c.kind === 'added' ? (
                <li key={i} data-change="added">
                  {t('changes.added')}: <ins>{`${findingName(c.finding)} ${judgementText(c.finding.judgement)}${c.finding.location ? ` ${c.finding.location}` : ''}`}</ins>
                </li>
              ) : c.kind === 'removed' ? (
                <li key={i} data-change="removed">
                  {t('changes.removed')}: <del>{`${findingName(c.finding)} ${judgementText(c.finding.judgement)}${c.finding.location ? ` ${c.finding.location}` : ''}`}</del>
                </li>
              ) : (
                <li key={i} data-change="changed">
                  {t('changes.changed')}: {findingName(c.after)}
                  {c.fields.map((field) => (
                    <span key={field} data-field={field}>
                      {' · '}
                      {t(FIELD_LABELS[field])} <del>{fieldValue(c.before, field)}</del>
                      <span className="tracked-changes__arrow">→</span>
                      <ins>{fieldValue(c.after, field)}</ins>
                    </span>
                  ))}
                </li>
              ),
            )}
          </ul>
        </>
      )}
      {impressionChanged && (
        <>
          <p className="tracked-changes__label">{t('report.impression')}</p>
          <TextRuns changes={changes.impression} testId="tracked-impression" />
        </>
      )}
      {commentsChanged && (
        <>
          <p className="tracked-changes__label">{t('changes.comments')}</p>
          <TextRuns changes={changes.comments} testId="tracked-comments" />
        </>
      )}
    </section>
  )
}
