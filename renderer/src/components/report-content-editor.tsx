/**
 * A submitted report's content edited in place: the checker's amendment and the first reader's
 * correction. The same parts as the report panel (finding search, judgement, location, overall
 * override, the impression in the same tiptap editor) over any store that edits content, so it
 * composes with the report panel's pieces rather than with its store.
 */
import { useMemo, useState } from 'react'
import type { Finding, FindingMaster, ReportContent, ReportFinding, ReportIssue } from '../../../shared/finding-master.ts'
import { computedOverall, scaleOf } from '../../../shared/report-rules.ts'
import { useStudyStore } from '../app-stores.ts'
import { useLanguageStore, useT } from '../i18n/language-store.ts'
import { cachedImageId } from '../viewer/cached-image-id.ts'
import { searchFindings } from './finding-search.ts'
import { ImpressionEditor } from './impression-editor.tsx'
import './report-check.css'

/** What the editor needs of a store: the content, its problems, and the edits. */
export interface ReportContentEditing {
  master: FindingMaster
  content: ReportContent
  issues: ReportIssue[]
  addFinding(findingCode: string, bodyPartCode: string, laterality?: 'R' | 'L' | 'B'): number
  updateFinding(index: number, changes: Partial<ReportFinding>): void
  removeFinding(index: number): void
  setImpression(text: string): void
  setOverride(override: ReportContent['overallOverride'] | undefined): void
}

type Picking = { finding: Finding; bodyPart?: string } | null

export function ReportContentEditor({ editing, modalities, disabled = false }: { editing: ReportContentEditing; modalities: readonly string[]; disabled?: boolean }) {
  const t = useT()
  const language = useLanguageStore((s) => s.language)
  const { master, content, issues } = editing
  const requestImage = useStudyStore((s) => s.requestImage)
  const [query, setQuery] = useState('')
  const [picking, setPicking] = useState<Picking>(null)
  const results = useMemo(() => (query ? searchFindings(master, modalities, query, content.scale).slice(0, 8) : []), [master, modalities, query, content.scale])
  const label = (v: { ja: string; en: string }) => v[language]
  const scale = scaleOf(master, content.scale)
  const overall = computedOverall(master, content)
  const bodyPartOf = (code: string) => master.bodyParts.find((b) => b.code === code)

  const pickBodyPart = (finding: Finding, bodyPart: string) => {
    if (bodyPartOf(bodyPart)?.lateralityApplies) setPicking({ finding, bodyPart })
    else {
      editing.addFinding(finding.code, bodyPart)
      setPicking(null)
    }
  }
  const choose = (finding: Finding) => {
    setQuery('')
    if (finding.bodyParts.length === 1) pickBodyPart(finding, finding.bodyParts[0]!)
    else setPicking({ finding })
  }

  return (
    <div className="content-editor" data-testid="content-editor">
      {!disabled && (
        <div className="report-panel__search">
          <input
            value={query}
            onChange={(e) => {
              setQuery(e.target.value)
              setPicking(null)
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && results[0]) {
                e.preventDefault()
                choose(results[0])
              }
            }}
            placeholder={t('report.search')}
            aria-label={t('report.search')}
          />
          {results.length > 0 && (
            <ul className="report-panel__results" role="listbox">
              {results.map((f) => (
                <li key={f.code} role="option" aria-selected={false} onMouseDown={() => choose(f)}>
                  {label(f.name)} <small>{f.kana}</small>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {picking && (
        <div className="content-editor__picker" data-testid="content-editor-picker">
          {picking.bodyPart === undefined ? (
            <>
              <span>{t('editor.pickBodyPart')}</span>
              {picking.finding.bodyParts.map((code) => (
                <button key={code} type="button" onClick={() => pickBodyPart(picking.finding, code)}>
                  {label(bodyPartOf(code)?.name ?? { ja: code, en: code })}
                </button>
              ))}
            </>
          ) : (
            <>
              <span>{t('editor.pickLaterality')}</span>
              {(['R', 'L', 'B'] as const).map((side) => (
                <button
                  key={side}
                  type="button"
                  onClick={() => {
                    editing.addFinding(picking.finding.code, picking.bodyPart!, side)
                    setPicking(null)
                  }}
                >
                  {t(`editor.side.${side}`)}
                </button>
              ))}
            </>
          )}
          <button type="button" onClick={() => setPicking(null)}>
            {t('editor.cancel')}
          </button>
        </div>
      )}
      <ol className="report-panel__findings" data-testid="report-findings">
        {content.findings.map((entry, index) => {
          const finding = master.findings.find((f) => f.code === entry.findingCode)
          const part = bodyPartOf(entry.bodyPartCode)
          return (
            <li key={index} data-testid="report-finding">
              <div className="report-panel__finding-line">
                <strong>{finding ? label(finding.name) : entry.findingCode}</strong>
                <span>{part ? label(part.name) : entry.bodyPartCode}</span>
                <select value={entry.judgement} disabled={disabled} aria-label={t('report.judgement')} onChange={(e) => editing.updateFinding(index, { judgement: e.target.value })}>
                  {(finding?.allowedJudgements ?? [entry.judgement]).map((code) => (
                    <option key={code} value={code}>
                      {code} {label(scale?.values.find((v) => v.code === code)?.label ?? { ja: '', en: '' })}
                    </option>
                  ))}
                </select>
                {!disabled && (
                  <button type="button" onClick={() => editing.removeFinding(index)} aria-label={t('report.remove')}>
                    ×
                  </button>
                )}
              </div>
              {entry.keyImages.length > 0 && (
                <div className="report-panel__key-images">
                  <span>{t('report.keyImages', { count: entry.keyImages.length })}</span>
                  {entry.keyImages.map((sop, k) => (
                    <button key={sop} type="button" className="report-panel__key-image" onClick={() => requestImage(cachedImageId(sop))} title={sop}>
                      {t('report.showKeyImage', { n: k + 1 })}
                    </button>
                  ))}
                </div>
              )}
              <input
                value={entry.location ?? ''}
                disabled={disabled}
                placeholder={t('report.field.location')}
                aria-label={t('report.field.location')}
                onChange={(e) => editing.updateFinding(index, { location: e.target.value })}
              />
              {issues
                .filter((i) => i.findingIndex === index)
                .map((issue, i) => (
                  <p key={i} className="report-panel__issue">
                    {label(issue.message)}
                  </p>
                ))}
            </li>
          )
        })}
      </ol>
      <div className="report-panel__overall" data-testid="overall-judgement">
        {t('report.overall')}: <strong>{content.overallOverride?.judgement ?? overall?.code ?? '—'}</strong> {overall && !content.overallOverride && label(overall.label)}
        {overall?.requiresFurtherExamination && <span className="report-panel__flag">{t('report.furtherExamination')}</span>}
      </div>
      {!disabled && scale && (
        <div className="report-panel__override">
          <select
            aria-label={t('report.override')}
            value={content.overallOverride?.judgement ?? ''}
            onChange={(e) => editing.setOverride(e.target.value ? { judgement: e.target.value, reason: content.overallOverride?.reason ?? '' } : undefined)}
          >
            <option value="">{t('report.overrideNone')}</option>
            {scale.values.map((v) => (
              <option key={v.code} value={v.code}>
                {v.code} {label(v.label)}
              </option>
            ))}
          </select>
          {content.overallOverride && (
            <input
              value={content.overallOverride.reason}
              placeholder={t('report.overrideReason')}
              aria-label={t('report.overrideReason')}
              onChange={(e) => editing.setOverride({ judgement: content.overallOverride!.judgement, reason: e.target.value })}
            />
          )}
        </div>
      )}
      {issues
        .filter((i) => i.findingIndex === undefined)
        .map((issue, i) => (
          <p key={i} className="report-panel__issue">
            {label(issue.message)}
          </p>
        ))}
      <label className="report-panel__impression">{t('report.impression')}</label>
      {disabled ? (
        <p className="tracked-changes__text" data-testid="impression-text">
          {content.impression}
        </p>
      ) : (
        <ImpressionEditor value={content.impression} onChange={editing.setImpression} label={t('report.impression')} />
      )}
    </div>
  )
}
