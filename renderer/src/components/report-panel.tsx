/**
 * The structured report beside the images: findings picked from the master by keyboard
 * (type-ahead → Enter → body part number → judgement → Enter), the measurements each finding
 * links, the overall judgement, the impression, inline rule messages, and Submit (Ctrl+Enter)
 * once the rules pass.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import type { Assignment } from '../../../shared/api-contract.ts'
import type { Finding } from '../../../shared/finding-master.ts'
import { computedOverall, scaleOf } from '../../../shared/report-rules.ts'
import { useReportStore, useStudyStore, useViewerStore } from '../app-stores.ts'
import { formatDicomDate } from '../i18n/format.ts'
import { cachedImageId, sopInstanceUidOf } from '../viewer/cached-image-id.ts'
import { useLanguageStore, useT } from '../i18n/language-store.ts'
import { fillTemplate, searchFindings } from './finding-search.ts'
import { ImpressionEditor, type ImpressionEditorHandle } from './impression-editor.tsx'
import { measurementDetails, measurementLabel } from './measurement-label.ts'

const SIDE_WORDS = { ja: { R: '右', L: '左', B: '両側' }, en: { R: 'right ', L: 'left ', B: 'bilateral ' } } as const

type Step = { kind: 'search' } | { kind: 'body-part'; finding: Finding } | { kind: 'laterality'; finding: Finding; bodyPart: string } | { kind: 'judgement'; index: number }

export function ReportPanel({ assignment }: { assignment: Assignment }) {
  const t = useT()
  const language = useLanguageStore((s) => s.language)
  const state = useReportStore()
  const currentImageId = useStudyStore((s) => s.currentImageId)
  const requestImage = useStudyStore((s) => s.requestImage)
  const currentSop = currentImageId ? sopInstanceUidOf(currentImageId) : null
  const [query, setQuery] = useState('')
  const [highlight, setHighlight] = useState(0)
  const [step, setStep] = useState<Step>({ kind: 'search' })
  const searchRef = useRef<HTMLInputElement>(null)
  const stepRef = useRef<HTMLDivElement>(null)
  const editorRef = useRef<ImpressionEditorHandle>(null)
  const { open, close } = state

  useEffect(() => {
    void open(assignment)
    return close
  }, [assignment, open, close])

  useEffect(() => {
    if (step.kind === 'search') searchRef.current?.focus()
    else stepRef.current?.focus()
  }, [step, state.status])

  const master = state.master
  const content = state.content
  const results = useMemo(() => (master && content ? searchFindings(master, assignment.modalities, query, content.scale).slice(0, 8) : []), [master, content, assignment.modalities, query])

  // double-ui: the priors the viewer showed beside this study are the priors compared (kept in the case record)
  const priorsOnScreen = useViewerStore((s) => [...new Set(s.cells.flatMap((c) => (c && !('empty' in c) && c.role === 'prior' ? [c.studyInstanceUid] : [])))].sort().join(' '))
  const priorsCompared = content?.priorsCompared
  const { setPriorComparison, status } = state
  useEffect(() => {
    if (status !== 'editing' || !priorsOnScreen) return
    const known = priorsCompared ?? []
    const added = priorsOnScreen.split(' ').filter((uid) => !known.includes(uid))
    if (added.length > 0) setPriorComparison({ priorsCompared: [...known, ...added] })
  }, [priorsOnScreen, priorsCompared, status, setPriorComparison])
  if (state.status === 'loading') return <aside className="report-panel">{t('report.loading')}</aside>
  if (state.status === 'error' || !master || !content) return <aside className="report-panel report-panel--error" role="alert">{t('report.error', { detail: state.error ?? '' })}</aside>

  const scale = scaleOf(master, content.scale)
  const label = (v: { ja: string; en: string }) => v[language]
  const editable = state.status === 'editing'
  const overall = computedOverall(master, content)
  const findingOf = (code: string) => master.findings.find((f) => f.code === code)
  // "M2 Length 23.4 mm": numbered in the report's order, as the SR export numbers them
  const measurementName = (id: string) => {
    const index = content.measurements.findIndex((m) => m.id === id)
    const m = content.measurements[index]
    return m ? `M${index + 1} ${measurementLabel(m, t)}` : id
  }

  const pickBodyPart = (finding: Finding, bodyPart: string) => {
    if (master.bodyParts.find((b) => b.code === bodyPart)?.lateralityApplies) setStep({ kind: 'laterality', finding, bodyPart })
    else setStep({ kind: 'judgement', index: state.addFinding(finding.code, bodyPart) })
  }

  const choose = (finding: Finding) => {
    setQuery('')
    setHighlight(0)
    if (finding.bodyParts.length === 1) pickBodyPart(finding, finding.bodyParts[0]!)
    else setStep({ kind: 'body-part', finding })
  }

  const onSearchKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') setHighlight((h) => Math.min(h + 1, results.length - 1))
    else if (e.key === 'ArrowUp') setHighlight((h) => Math.max(h - 1, 0))
    else if (e.key === 'Enter' && !e.ctrlKey && results[highlight]) choose(results[highlight])
    else return
    e.preventDefault()
  }

  const onStepKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') setStep({ kind: 'search' })
    else if (step.kind === 'body-part') {
      const part = step.finding.bodyParts[Number(e.key) - 1]
      if (!part) return
      pickBodyPart(step.finding, part)
    } else if (step.kind === 'laterality') {
      const side = ({ r: 'R', l: 'L', b: 'B' } as const)[e.key.toLowerCase() as 'r' | 'l' | 'b']
      if (!side) return
      setStep({ kind: 'judgement', index: state.addFinding(step.finding.code, step.bodyPart, side) })
    } else if (step.kind === 'judgement') {
      const entry = content.findings[step.index]
      const allowed = entry ? (findingOf(entry.findingCode)?.allowedJudgements ?? []) : []
      if (e.key === 'Enter' && !e.ctrlKey) setStep({ kind: 'search' })
      else {
        const picked = allowed.find((code) => code.toLowerCase() === e.key.toLowerCase()) ?? allowed[Number(e.key) - 1]
        if (!picked) return
        state.updateFinding(step.index, { judgement: picked })
        setStep({ kind: 'search' })
      }
    } else return
    e.preventDefault()
  }

  const onPanelKey = (e: KeyboardEvent<HTMLElement>) => {
    if (e.key.toLowerCase() === 'k' && e.altKey) {
      // Alt+K: the image on screen becomes a key image of the last finding
      e.preventDefault()
      if (currentSop && content.findings.length && editable) state.toggleFindingKeyImage(content.findings.length - 1, currentSop)
    } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault()
      void state.submit()
    } else if (e.key === 't' && e.ctrlKey) {
      e.preventDefault()
      const text = content.findings
        .map((f) => {
          const finding = findingOf(f.findingCode)
          const side = f.laterality ? SIDE_WORDS[language][f.laterality] : ''
          // the default location already names the side (右肺野): do not say it twice
          const laterality = side && !f.location?.startsWith(side) ? side : ''
          return finding ? fillTemplate(label(finding.template), { location: f.location, size: f.size, laterality }, { location: t('report.field.location'), size: t('report.field.size'), laterality: '' }) : ''
        })
        .filter(Boolean)
        .join('\n')
      if (text) editorRef.current?.insert(text)
    }
  }

  const statusText =
    state.error
      ? state.error
      : state.status === 'sent' ? t('report.status.sent') : state.status === 'queued' ? t('report.status.queued') : state.unsavedChanges ? t('report.status.saving') : state.savedAt ? t('report.status.saved', { time: new Date(state.savedAt).toLocaleTimeString() }) : t('report.status.new')

  return (
    <aside className="report-panel" onKeyDown={onPanelKey} aria-label={t('report.heading')}>
      <header className="report-panel__header">
        <h3>{t('report.heading')}</h3>
        <span className="report-panel__status" data-testid="report-status" data-status={state.status}>
          {statusText}
        </span>
      </header>
      {state.rejection && (
        <p className="report-panel__rejection" role="alert">
          {t('report.rejected', { detail: state.rejection })}
        </p>
      )}
      {editable && (
        <div className="report-panel__search">
          <input
            ref={searchRef}
            value={query}
            onChange={(e) => {
              setQuery(e.target.value)
              setHighlight(0)
              setStep({ kind: 'search' })
            }}
            onKeyDown={onSearchKey}
            placeholder={t('report.search')}
            aria-label={t('report.search')}
            data-testid="finding-search"
          />
          {query && (
            <ul className="report-panel__results" role="listbox">
              {results.map((f, i) => (
                <li key={f.code} role="option" aria-selected={i === highlight} className={i === highlight ? 'is-highlighted' : ''} onMouseDown={() => choose(f)}>
                  {label(f.name)} <small>{f.kana}</small>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {step.kind !== 'search' && (
        <div className="report-panel__step" tabIndex={0} ref={stepRef} onKeyDown={onStepKey} data-testid="report-step">
          {step.kind === 'body-part' && (
            <>
              <p>{t('report.pickBodyPart')}</p>
              <ol>
                {step.finding.bodyParts.map((code) => (
                  <li key={code}>{label(master.bodyParts.find((b) => b.code === code)?.name ?? { ja: code, en: code })}</li>
                ))}
              </ol>
            </>
          )}
          {step.kind === 'laterality' && <p>{t('report.pickLaterality')}</p>}
          {step.kind === 'judgement' && <p>{t('report.pickJudgement', { value: content.findings[step.index]?.judgement ?? '' })}</p>}
        </div>
      )}
      <ol className="report-panel__findings" data-testid="report-findings">
        {content.findings.map((entry, index) => {
          const finding = findingOf(entry.findingCode)
          const part = master.bodyParts.find((b) => b.code === entry.bodyPartCode)
          const issues = state.issues.filter((i) => i.findingIndex === index)
          return (
            <li key={index} data-testid="report-finding">
              <div className="report-panel__finding-line">
                <strong>{finding ? label(finding.name) : entry.findingCode}</strong>
                <span>{part ? label(part.name) : entry.bodyPartCode}</span>
                <select value={entry.judgement} disabled={!editable} aria-label={t('report.judgement')} onChange={(e) => state.updateFinding(index, { judgement: e.target.value })}>
                  {(finding?.allowedJudgements ?? [entry.judgement]).map((code) => (
                    <option key={code} value={code}>
                      {code} {label(scale?.values.find((v) => v.code === code)?.label ?? { ja: '', en: '' })}
                    </option>
                  ))}
                </select>
                {editable && (
                  <button type="button" onClick={() => state.removeFinding(index)} aria-label={t('report.remove')}>
                    ×
                  </button>
                )}
              </div>
              <div className="report-panel__key-images">
                <span data-testid="key-image-count">{t('report.keyImages', { count: entry.keyImages.length })}</span>
                {entry.keyImages.map((sop, k) => (
                  <button key={sop} type="button" className="report-panel__key-image" onClick={() => requestImage(cachedImageId(sop))} title={sop}>
                    {t('report.showKeyImage', { n: k + 1 })}
                  </button>
                ))}
                {editable && currentSop && (
                  <button type="button" onClick={() => state.toggleFindingKeyImage(index, currentSop)}>
                    {entry.keyImages.includes(currentSop) ? t('report.unlinkKeyImage') : t('report.linkKeyImage')}
                  </button>
                )}
              </div>
              {(entry.measurements.length > 0 || (editable && content.measurements.length > 0)) && (
                <div className="report-panel__measurements" data-testid="finding-measurements" style={{ display: 'flex', flexWrap: 'wrap', gap: 6, alignItems: 'center', fontSize: 12 }}>
                  <span>{t('measurement.linked')}:</span>
                  {entry.measurements.map((id) => {
                    const m = content.measurements.find((x) => x.id === id)
                    const name = measurementName(id)
                    return (
                      <span key={id} className="report-panel__measurement" data-testid="linked-measurement" title={m ? measurementDetails(m, t) : undefined}>
                        {name}
                        {editable && (
                          <button type="button" aria-label={t('measurement.unlink', { label: name })} onClick={() => state.toggleMeasurementLink(index, id)}>
                            ×
                          </button>
                        )}
                      </span>
                    )
                  })}
                  {editable && content.measurements.some((m) => !entry.measurements.includes(m.id)) && (
                    <select
                      value=""
                      aria-label={t('measurement.link')}
                      data-testid="link-measurement"
                      onChange={(e) => {
                        if (e.target.value) state.toggleMeasurementLink(index, e.target.value)
                      }}
                    >
                      <option value="">{t('measurement.link')}</option>
                      {content.measurements
                        .filter((m) => !entry.measurements.includes(m.id))
                        .map((m) => (
                          <option key={m.id} value={m.id} title={measurementDetails(m, t)}>
                            {measurementName(m.id)}
                          </option>
                        ))}
                    </select>
                  )}
                </div>
              )}
              <input value={entry.location ?? ''} disabled={!editable} placeholder={t('report.field.location')} aria-label={t('report.field.location')} onChange={(e) => state.updateFinding(index, { location: e.target.value })} />
              {issues.map((issue, i) => (
                <p key={i} className="report-panel__issue">
                  {label(issue.message)}
                </p>
              ))}
            </li>
          )
        })}
      </ol>
      <div className="report-panel__overall" data-testid="overall-judgement">
        {t('report.overall')}: <strong>{content.overallOverride?.judgement ?? overall?.code ?? '—'}</strong> {overall && label(overall.label)}
        {overall?.requiresFurtherExamination && <span className="report-panel__flag">{t('report.furtherExamination')}</span>}
      </div>
      {editable && scale && (
        <div className="report-panel__override">
          <select
            aria-label={t('report.override')}
            value={content.overallOverride?.judgement ?? ''}
            onChange={(e) => state.setOverride(e.target.value ? { judgement: e.target.value, reason: content.overallOverride?.reason ?? '' } : undefined)}
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
              onChange={(e) => state.setOverride({ judgement: content.overallOverride!.judgement, reason: e.target.value })}
            />
          )}
        </div>
      )}
      <div className="report-panel__priors" style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center', fontSize: 13 }}>
        <label>
          <input
            type="checkbox"
            data-testid="needs-prior-comparison"
            checked={content.needsPriorComparison ?? false}
            disabled={!editable}
            onChange={(e) => state.setPriorComparison({ needsPriorComparison: e.target.checked })}
          />{' '}
          {t('report.needsPriorComparison')}
        </label>
        {(content.priorsCompared?.length ?? 0) > 0 && (
          <small data-testid="priors-compared" style={{ color: 'var(--muted)' }}>
            {t('report.priorsCompared', {
              list: content.priorsCompared!.map((uid) => formatDicomDate(assignment.priors.find((p) => p.studyInstanceUid === uid)?.studyDate ?? '') || uid).join(', '),
            })}
          </small>
        )}
      </div>
      {state.issues.filter((i) => i.findingIndex === undefined).map((issue, i) => (
        <p key={i} className="report-panel__issue">
          {label(issue.message)}
        </p>
      ))}
      <label className="report-panel__impression">
        {t('report.impression')} <small>{t('report.templateHint')}</small>
      </label>
      <ImpressionEditor ref={editorRef} value={content.impression} onChange={state.setImpression} label={t('report.impression')} />
      <button type="button" className="report-panel__submit" disabled={!editable || state.issues.length > 0} onClick={() => void state.submit()} data-testid="submit-report">
        {t('report.submit')}
      </button>
      {state.status === 'sent' && (
        <button type="button" onClick={() => globalThis.print()}>
          {t('report.print')}
        </button>
      )}
    </aside>
  )
}
