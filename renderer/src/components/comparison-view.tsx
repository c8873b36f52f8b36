/**
 * Two independent reads of one study side by side, once both may be seen: findings matched by
 * body part and finding code (shared/read-comparison.ts), each row marked agree, judgement
 * differs, location differs or only in one read (by colour and in words, so the difference is
 * not told by colour alone), the overall judgements compared, each finding's key images listed
 * with a button that shows the image in the viewer when the open study holds it.
 */
import type { CSSProperties } from 'react'
import type { FindingMaster, ReportFinding } from '../../../shared/finding-master.ts'
import { compareReads, type FindingMatch } from '../../../shared/read-comparison.ts'
import { scaleOf } from '../../../shared/report-rules.ts'
import { useLanguageStore, useT } from '../i18n/language-store.ts'
import type { VisibleRead } from './case-view-rules.ts'

export interface ComparisonViewProps {
  first: VisibleRead
  second: VisibleRead
  master: FindingMaster | null
  /** How the open study names an image ("Se 2 · Im 14"), or null when the image is not in it. */
  describeImage(sopInstanceUid: string): string | null
  onShowImage(sopInstanceUid: string): void
}

/** The colours of a row's match: background and the bar on its left edge. */
export const MATCH_TONES: Record<FindingMatch, { background: string; bar: string }> = {
  agree: { background: 'rgba(89, 201, 139, 0.10)', bar: '#59c98b' },
  'judgement-differs': { background: 'rgba(255, 93, 93, 0.20)', bar: '#ff5d5d' },
  'location-differs': { background: 'rgba(255, 179, 71, 0.18)', bar: '#ffb347' },
  'only-first': { background: 'rgba(78, 161, 255, 0.16)', bar: '#4ea1ff' },
  'only-second': { background: 'rgba(190, 120, 255, 0.16)', bar: '#be78ff' },
}

const SIDES = { ja: { R: '右', L: '左', B: '両側' }, en: { R: 'right', L: 'left', B: 'bilateral' } } as const

const tableStyle: CSSProperties = { width: '100%', borderCollapse: 'collapse', fontSize: 13 }
const cellStyle: CSSProperties = { padding: '4px 6px', borderBottom: '1px solid #2c3137', verticalAlign: 'top', textAlign: 'left' }
const headStyle: CSSProperties = { ...cellStyle, color: '#8a939d', fontWeight: 'normal' }
const strongDiff: CSSProperties = { color: '#ff8a8a', fontWeight: 700 }
const placeDiff: CSSProperties = { color: '#ffc46b', fontWeight: 700 }
const tagStyle = (match: FindingMatch): CSSProperties => ({ display: 'inline-block', padding: '0 6px', borderRadius: 3, border: `1px solid ${MATCH_TONES[match].bar}`, color: MATCH_TONES[match].bar, whiteSpace: 'nowrap', fontSize: 12 })
const keyButtonStyle: CSSProperties = { fontSize: 11, padding: '0 4px', marginRight: 4 }

export function ComparisonView({ first, second, master, describeImage, onShowImage }: ComparisonViewProps) {
  const t = useT()
  const language = useLanguageStore((s) => s.language)
  const comparison = compareReads(first.latest, second.latest)
  const scale = master ? scaleOf(master, first.latest.content.scale) : undefined
  const judgementLabel = (code: string) => {
    const value = scale?.values.find((v) => v.code === code)
    return value ? `${code} ${value.label[language]}` : code
  }
  const findingName = (code: string) => master?.findings.find((f) => f.code === code)?.name[language] ?? code
  const bodyPartName = (code: string) => master?.bodyParts.find((b) => b.code === code)?.name[language] ?? code

  const keyImages = (sops: readonly string[]) =>
    sops.length > 0 && (
      <div data-testid="comparison-key-images">
        <small style={{ color: '#8a939d' }}>{t('comparison.keyImages')}: </small>
        {sops.map((sop) => {
          const label = describeImage(sop)
          return label ? (
            <button key={sop} type="button" style={keyButtonStyle} data-testid="comparison-key-image" data-sop={sop} title={t('comparison.keyImageShow', { label })} onClick={() => onShowImage(sop)}>
              {label}
            </button>
          ) : (
            <small key={sop} data-testid="comparison-key-image-elsewhere" data-sop={sop} style={{ marginRight: 4 }}>
              {t('comparison.keyImageElsewhere', { uid: sop })}
            </small>
          )
        })}
      </div>
    )

  const findingCell = (finding: ReportFinding | undefined, match: FindingMatch) => {
    if (!finding) return <span style={{ color: '#8a939d' }}>{t('comparison.absent')}</span>
    // the default location already names the side (右上肺野): it is not said twice
    const namesSide = finding.laterality && [SIDES.ja[finding.laterality], SIDES.en[finding.laterality]].some((word) => finding.location?.toLowerCase().startsWith(word))
    const side = finding.laterality && !namesSide ? SIDES[language][finding.laterality] : ''
    const place = [side, finding.location ?? '', finding.size ?? ''].filter(Boolean).join(' ')
    return (
      <>
        <div style={match === 'judgement-differs' ? strongDiff : undefined} data-testid="comparison-judgement">
          {judgementLabel(finding.judgement)}
        </div>
        {place && <div style={match === 'location-differs' ? placeDiff : undefined}>{place}</div>}
        {keyImages(finding.keyImages)}
      </>
    )
  }

  const readHeader = (read: VisibleRead, title: string) => (
    <th style={headStyle} scope="col">
      <div>
        {title}: <strong style={{ color: '#d8dde3' }}>{read.readerName}</strong>
      </div>
      {read.submittedAt && <small style={{ whiteSpace: 'nowrap' }}>{new Date(read.submittedAt).toLocaleString()}</small>}
      {read.latest.content.needsPriorComparison && (
        <div>
          <span style={{ ...tagStyle('location-differs') }} data-testid="comparison-needs-priors">
            {t('comparison.needsPriors')}
          </span>
        </div>
      )}
      {(read.latest.content.priorsCompared?.length ?? 0) > 0 && <div>{t('comparison.priorsCompared', { count: read.latest.content.priorsCompared!.length })}</div>}
    </th>
  )

  const overallCell = (read: VisibleRead) => (
    <td style={{ ...cellStyle, ...(comparison.overallAgrees ? {} : strongDiff) }} data-testid="comparison-overall-judgement">
      {judgementLabel(read.latest.overallJudgement)}
      {read.latest.requiresFurtherExamination && <div style={{ fontWeight: 400 }}>{t('comparison.furtherExamination')}</div>}
    </td>
  )

  const overallTone = comparison.overallAgrees ? MATCH_TONES.agree : MATCH_TONES['judgement-differs']
  return (
    <section className="comparison-view" data-testid="comparison-view" data-disagreements={comparison.disagreements} aria-label={t('comparison.heading')}>
      <header style={{ display: 'flex', alignItems: 'baseline', justifyContent: 'space-between', gap: 8 }}>
        <h4 style={{ margin: '4px 0' }}>{t('comparison.heading')}</h4>
        <span data-testid="comparison-disagreements" style={comparison.disagreements > 0 ? { color: '#ff8a8a' } : { color: '#59c98b' }}>
          {comparison.disagreements > 0 ? t('comparison.disagreements', { count: comparison.disagreements }) : t('comparison.overallAgrees')}
        </span>
      </header>
      <table style={tableStyle}>
        <thead>
          <tr>
            <th style={headStyle} scope="col">
              {t('comparison.finding')}
            </th>
            {readHeader(first, t('comparison.first'))}
            {readHeader(second, t('comparison.second'))}
            <th style={headStyle} scope="col">
              {t('comparison.result')}
            </th>
          </tr>
        </thead>
        <tbody>
          <tr data-testid="comparison-overall" data-agrees={String(comparison.overallAgrees)} style={{ background: overallTone.background, boxShadow: `inset 3px 0 0 ${overallTone.bar}` }}>
            <th style={{ ...cellStyle, whiteSpace: 'nowrap' }} scope="row">
              {t('comparison.overall')}
            </th>
            {overallCell(first)}
            {overallCell(second)}
            <td style={cellStyle}>
              <span style={tagStyle(comparison.overallAgrees ? 'agree' : 'judgement-differs')}>{comparison.overallAgrees ? t('comparison.overallAgrees') : t('comparison.overallDiffers')}</span>
            </td>
          </tr>
          {comparison.findings.map((row, index) => (
            <tr
              key={index}
              data-testid="comparison-row"
              data-match={row.match}
              data-finding={row.findingCode}
              style={{ background: MATCH_TONES[row.match].background, boxShadow: `inset 3px 0 0 ${MATCH_TONES[row.match].bar}` }}
            >
              <th style={{ ...cellStyle, fontWeight: 'normal', whiteSpace: 'nowrap' }} scope="row">
                <strong>{findingName(row.findingCode)}</strong>
                <div style={{ color: '#8a939d' }}>{bodyPartName(row.bodyPartCode)}</div>
              </th>
              <td style={cellStyle}>{findingCell(row.first, row.match)}</td>
              <td style={cellStyle}>{findingCell(row.second, row.match)}</td>
              <td style={cellStyle}>
                <span style={tagStyle(row.match)} data-testid="comparison-match">
                  {t(`comparison.match.${row.match}`)}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 8, marginTop: 8, fontSize: 13 }}>
        {[first, second].map((read) => (
          <div key={read.assignmentId} data-testid="comparison-impression" style={{ border: '1px solid #2c3137', borderRadius: 4, padding: 6 }}>
            <div style={{ color: '#8a939d' }}>
              {t(read.readingType === 'first' ? 'comparison.first' : 'comparison.second')} — {t('comparison.impression')}
            </div>
            <div style={{ whiteSpace: 'pre-wrap' }}>{read.latest.content.impression}</div>
            {keyImages([...new Set(read.latest.content.keyImages.map((k) => k.sopInstanceUid))])}
          </div>
        ))}
      </div>
    </section>
  )
}
