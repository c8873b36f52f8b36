/**
 * The decision on two reads that disagree: the comparison reader (or the second reader when the
 * case has no comparison) records the consensus (a final judgement from the reads' scale and
 * why) or sends the case to the committee (why); at the committee a checker or an administrator
 * records its decision. The reason is required, as the server requires it; a decision on its
 * way disables the buttons so that a second click sends nothing.
 */
import { useState, type CSSProperties } from 'react'
import type { JudgementScale } from '../../../shared/finding-master.ts'
import type { ConsensusRequest } from '../../../shared/reading-case-contract.ts'
import { useLanguageStore, useT } from '../i18n/language-store.ts'

export interface CaseDecisionFormProps {
  /** 'comparison': consensus or committee; 'committee': the committee's decision. */
  stage: 'comparison' | 'committee'
  /** The reads' judgement scale; null when the master could not be loaded. */
  scale: JudgementScale | null
  /** Judgements offered when there is no scale: those the reads reached. */
  fallbackJudgements: readonly string[]
  /** Why the case went to the committee (shown at the committee). */
  committeeReason?: string
  busy: boolean
  /** What went wrong with the last decision, in words. */
  failure: string | null
  onConsensus(decision: ConsensusRequest): void
  onSendToCommittee(reason: string): void
  onCommitteeDecision(decision: ConsensusRequest): void
}

const formStyle: CSSProperties = { display: 'flex', flexDirection: 'column', gap: 6, padding: 8, border: '1px solid #4ea1ff', borderRadius: 4, marginTop: 8 }
const labelStyle: CSSProperties = { display: 'flex', flexDirection: 'column', gap: 2, color: '#8a939d', fontSize: 12 }

export function CaseDecisionForm(props: CaseDecisionFormProps) {
  const t = useT()
  const language = useLanguageStore((s) => s.language)
  const [judgement, setJudgement] = useState('')
  const [reason, setReason] = useState('')
  const reasonGiven = reason.trim().length > 0
  const options = props.scale ? props.scale.values.map((v) => ({ code: v.code, label: `${v.code} ${v.label[language]}` })) : props.fallbackJudgements.map((code) => ({ code, label: code }))
  const decision = { overallJudgement: judgement, reason: reason.trim() }

  return (
    <form
      className="case-decision-form"
      data-testid="case-decision-form"
      data-stage={props.stage}
      style={formStyle}
      aria-busy={props.busy}
      onSubmit={(e) => {
        // Enter in the judgement select does not send: each decision has its own button
        e.preventDefault()
      }}
    >
      <strong>{props.stage === 'comparison' ? t('decision.heading') : t('decision.committeeHeading')}</strong>
      {props.committeeReason && <p style={{ margin: 0 }}>{t('decision.committeeReason', { reason: props.committeeReason })}</p>}
      <label style={labelStyle}>
        {t('decision.judgement')}
        <select value={judgement} onChange={(e) => setJudgement(e.target.value)} data-testid="decision-judgement" disabled={props.busy}>
          <option value="">{t('decision.pick')}</option>
          {options.map((o) => (
            <option key={o.code} value={o.code}>
              {o.label}
            </option>
          ))}
        </select>
      </label>
      <label style={labelStyle}>
        {t('decision.reason')}
        <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={3} maxLength={2000} required data-testid="decision-reason" disabled={props.busy} />
      </label>
      <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
        {props.stage === 'comparison' ? (
          <>
            <button type="button" data-testid="record-consensus" disabled={props.busy || !judgement || !reasonGiven} onClick={() => props.onConsensus(decision)}>
              {t('decision.consensus')}
            </button>
            <button type="button" data-testid="send-to-committee" disabled={props.busy || !reasonGiven} onClick={() => props.onSendToCommittee(decision.reason)}>
              {t('decision.committee')}
            </button>
          </>
        ) : (
          <button type="button" data-testid="record-committee-decision" disabled={props.busy || !judgement || !reasonGiven} onClick={() => props.onCommitteeDecision(decision)}>
            {t('decision.committeeDecision')}
          </button>
        )}
        {props.busy && <span role="status">{t('decision.busy')}</span>}
      </div>
      {props.failure && (
        <p role="alert" style={{ color: '#ff5d5d', margin: 0 }} data-testid="decision-failure">
          {t('decision.failed', { detail: props.failure })}
        </p>
      )}
    </form>
  )
}
