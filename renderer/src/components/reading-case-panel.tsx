/**
 * The double-reading side of an open study: for the comparison reader the whole panel (the
 * reads as they come in, then the comparison and the decision); for a first or second reader,
 * the comparison once their own read is in and the case allows it. Nothing of a read the server
 * keeps blinded is ever here: the case comes from the reading-case store, which holds only what
 * the server sent this reader.
 */
import { useCallback, type CSSProperties } from 'react'
import { scaleOf } from '../../../shared/report-rules.ts'
import { useReadingCaseStore, useSessionStore, useStudyStore, useViewerStore } from '../app-stores.ts'
import { useT } from '../i18n/language-store.ts'
import { imageIdsForInstance } from '../viewer/cached-image-id.ts'
import { CaseDecisionForm } from './case-decision-form.tsx'
import { CaseFinalRecord } from './case-final-record.tsx'
import { comparedReads, decisionStage } from './case-view-rules.ts'
import { ComparisonView } from './comparison-view.tsx'

const panelStyle: CSSProperties = {
  // beside the report editor on a narrower screen the images keep most of the width
  width: 'clamp(360px, 32vw, 560px)',
  flex: 'none',
  display: 'flex',
  flexDirection: 'column',
  gap: 6,
  padding: '10px 12px',
  borderLeft: '1px solid #2c3137',
  background: '#1a1d21',
  overflowY: 'auto',
}

/** How long a key image waits for its series to be hung before the request is dropped. */
const HANG_WAIT_MS = 10_000

export function ReadingCasePanel() {
  const t = useT()
  const assignment = useStudyStore((s) => s.assignment)
  const series = useStudyStore((s) => s.series)
  const requestImage = useStudyStore((s) => s.requestImage)
  const user = useSessionStore((s) => s.user)
  const state = useReadingCaseStore()
  const { readingCase, master } = state

  const describeImage = useCallback(
    (sop: string) => {
      for (const entry of series) {
        const instance = entry.instances.find((i) => i.sopInstanceUid === sop)
        if (instance) return `Se ${entry.series.seriesNumber} · Im ${instance.instanceNumber}`
      }
      return null
    },
    [series],
  )

  /** Shows a key image: its series is hung in the active viewport first when it is not there. */
  const showImage = useCallback(
    (sop: string) => {
      if (!assignment) return
      const entry = series.find((s) => s.instances.some((i) => i.sopInstanceUid === sop))
      const instance = entry?.instances.find((i) => i.sopInstanceUid === sop)
      if (!entry || !instance) return
      const imageId = imageIdsForInstance(sop, instance.numberOfFrames)[0]!
      const viewer = useViewerStore.getState()
      const cell = viewer.cells[viewer.activeCell]
      const hung = cell && !('empty' in cell) && cell.studyInstanceUid === assignment.studyInstanceUid && cell.seriesInstanceUid === entry.series.seriesInstanceUid && (!cell.sopInstanceUid || cell.sopInstanceUid === sop)
      if (!hung) {
        viewer.assign({ studyInstanceUid: assignment.studyInstanceUid, seriesInstanceUid: entry.series.seriesInstanceUid, role: 'current' })
        // the new stack shows its first image before it can scroll: ask again once it does
        const stop = useStudyStore.subscribe((now, before) => {
          if (now.currentImageId === before.currentImageId) return
          stop()
          now.requestImage(imageId)
        })
        setTimeout(stop, HANG_WAIT_MS)
      }
      requestImage(imageId)
    },
    [assignment, series, requestImage],
  )

  if (!assignment?.readingCase || assignment.readingCase.workflow !== 'double') return null
  const isComparer = assignment.readingType === 'comparison'
  const reads = readingCase ? comparedReads(readingCase) : null
  const stage = readingCase ? decisionStage(readingCase, user) : null
  // a first or second reader sees this panel only once there is something to compare or decide
  if (!isComparer && !reads && !stage && !readingCase?.final) return null

  const scaleCode = reads?.first.latest.content.scale
  const scale = master && scaleCode ? (scaleOf(master, scaleCode) ?? null) : null
  const loadProblem = state.problem?.during === 'load' ? state.problem : null
  const problem = loadProblem && (loadProblem.kind === 'offline' ? t('case.offline') : t('case.error', { detail: loadProblem.detail }))

  return (
    <aside className="reading-case-panel" data-testid="reading-case-panel" data-case-status={readingCase?.status ?? ''} style={panelStyle} aria-label={t('case.heading')}>
      <header style={{ display: 'flex', alignItems: 'baseline', justifyContent: 'space-between', gap: 8 }}>
        <h3 style={{ margin: 0, fontSize: 15 }}>{t('case.heading')}</h3>
        {readingCase && (
          <span data-testid="reading-case-status" data-status={readingCase.status} style={{ color: '#8a939d', fontSize: 12 }}>
            {t(`caseStatus.${readingCase.status}`)}
          </span>
        )}
      </header>
      {state.phase === 'loading' && <p>{t('case.loading')}</p>}
      {problem && (
        <p role="alert" className={loadProblem?.kind === 'offline' ? 'banner banner--offline' : 'banner banner--alert'} data-testid="reading-case-problem">
          {problem}{' '}
          <button type="button" onClick={() => void state.refresh()}>
            {t('case.retry')}
          </button>
        </p>
      )}
      {readingCase && !reads && (
        <>
          <ul style={{ margin: 0, paddingLeft: 18, fontSize: 13 }} data-testid="reading-case-reads" aria-label={t('case.reads')}>
            {readingCase.reads
              .filter((r) => r.readingType === 'first' || r.readingType === 'second')
              .map((r) => (
                <li key={r.assignmentId}>
                  {t(`readingType.${r.readingType}`)}: {r.readerName} — {r.submittedAt ? t('case.readSubmitted', { time: new Date(r.submittedAt).toLocaleString() }) : t('case.readPending')}
                  {r.blinded && r.submittedAt ? ` (${t('case.readBlinded')})` : ''}
                </li>
              ))}
          </ul>
          {!readingCase.final && <p style={{ color: '#8a939d', margin: 0 }}>{t('case.waitingReads')}</p>}
        </>
      )}
      {reads && <ComparisonView first={reads.first} second={reads.second} master={master} describeImage={describeImage} onShowImage={showImage} />}
      {readingCase && stage && (
        <CaseDecisionForm
          key={`${readingCase.id}:${stage}`}
          stage={stage}
          scale={scale}
          fallbackJudgements={reads ? [...new Set([reads.first.latest.overallJudgement, reads.second.latest.overallJudgement])] : []}
          {...(readingCase.committeeReason ? { committeeReason: readingCase.committeeReason } : {})}
          busy={state.busy}
          failure={state.problem?.during === 'decision' ? state.problem.detail : null}
          onConsensus={(decision) => void state.consensus(decision)}
          onSendToCommittee={(reason) => void state.sendToCommittee(reason)}
          onCommitteeDecision={(decision) => void state.committeeDecision(decision)}
        />
      )}
      {readingCase && (readingCase.final || readingCase.events.length > 0) && <CaseFinalRecord readingCase={readingCase} master={master} />}
    </aside>
  )
}
