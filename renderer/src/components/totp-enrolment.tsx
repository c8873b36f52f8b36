/**
 * Two-factor enrolment for a signed-in user without TOTP: the password again (a token alone
 * cannot enrol), then the server makes the secret; the user
 * adds it to an authenticator app and proves it with the first code; the recovery codes are
 * shown once. No QR image yet (no QR encoder among the dependencies): the key and the
 * otpauth:// URI are shown as text to type or paste into the app.
 */
import { useState, type FormEvent } from 'react'
import type { TotpEnrolment } from '../../../shared/auth-contract.ts'
import { useSessionStore } from '../app-stores.ts'
import { useT } from '../i18n/language-store.ts'
import './session-lock.css'

type Step = { kind: 'closed' } | { kind: 'password' } | { kind: 'code'; enrolment: TotpEnrolment } | { kind: 'done'; recoveryCodes: string[] }

/** The top bar's button, shown while the user has no TOTP, and the enrolment dialog it opens. */
export function TotpEnrolmentButton() {
  const t = useT()
  const totpEnabled = useSessionStore((s) => s.totpEnabled)
  const startEnrolment = useSessionStore((s) => s.startTotpEnrolment)
  const confirmEnrolment = useSessionStore((s) => s.confirmTotpEnrolment)
  const [step, setStep] = useState<Step>({ kind: 'closed' })
  const [code, setCode] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [password, setPassword] = useState('')

  const open = () => {
    setError(null)
    setStep({ kind: 'password' })
  }

  const begin = (event: FormEvent) => {
    event.preventDefault()
    setError(null)
    setBusy(true)
    startEnrolment(password)
      .then((enrolment) => setStep({ kind: 'code', enrolment }))
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
      .finally(() => {
        setBusy(false)
        setPassword('')
      })
  }

  const confirm = (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    confirmEnrolment(code.trim())
      .then(({ recoveryCodes }) => setStep({ kind: 'done', recoveryCodes }))
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
      .finally(() => {
        setBusy(false)
        setCode('')
      })
  }

  const close = () => {
    setStep({ kind: 'closed' })
    setError(null)
  }

  if (totpEnabled && step.kind === 'closed') return null
  return (
    <>
      {step.kind === 'closed' && (
        <button type="button" onClick={open} disabled={busy} data-testid="totp-enrol-open">
          {t('totp.enrol.open')}
        </button>
      )}
      {step.kind === 'closed' && error && (
        <span className="totp-enrolment__error" role="alert">
          {t('totp.enrol.error', { detail: error })}
        </span>
      )}
      {step.kind !== 'closed' && (
        <div className="totp-enrolment" role="dialog" aria-modal="true" aria-labelledby="totp-enrolment-heading">
          <div className="totp-enrolment__panel">
            <h2 id="totp-enrolment-heading">{t('totp.enrol.heading')}</h2>
            {step.kind === 'password' ? (
              <form onSubmit={begin}>
                <label>
                  {t('totp.enrol.password')}
                  <input name="totp-enrol-password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} required autoFocus autoComplete="current-password" />
                </label>
                {error && (
                  <p className="totp-enrolment__error" role="alert">
                    {t('totp.enrol.error', { detail: error })}
                  </p>
                )}
                <div className="totp-enrolment__actions">
                  <button type="submit" disabled={busy}>
                    {t('totp.enrol.next')}
                  </button>
                  <button type="button" onClick={close}>
                    {t('totp.enrol.close')}
                  </button>
                </div>
              </form>
            ) : step.kind === 'code' ? (
              <form onSubmit={confirm}>
                <p>{t('totp.enrol.explain')}</p>
                <dl>
                  <dt>{t('totp.enrol.secret')}</dt>
                  <dd>
                    <code data-testid="totp-secret">{step.enrolment.secret.replace(/(.{4})/g, '$1 ').trim()}</code>
                  </dd>
                  <dt>{t('totp.enrol.uri')}</dt>
                  <dd>
                    <code className="totp-enrolment__uri" data-testid="totp-uri">
                      {step.enrolment.otpauthUri}
                    </code>
                  </dd>
                </dl>
                <label>
                  {t('totp.enrol.code')}
                  <input
                    name="totp-enrol-code"
                    value={code}
                    onChange={(e) => setCode(e.target.value)}
                    required
                    autoFocus
                    inputMode="numeric"
                    pattern="[0-9]{6}"
                    maxLength={6}
                    autoComplete="one-time-code"
                  />
                </label>
                {error && (
                  <p className="totp-enrolment__error" role="alert">
                    {t('totp.enrol.error', { detail: error })}
                  </p>
                )}
                <div className="totp-enrolment__actions">
                  <button type="submit" disabled={busy}>
                    {t('totp.enrol.confirm')}
                  </button>
                  <button type="button" onClick={close}>
                    {t('totp.enrol.close')}
                  </button>
                </div>
              </form>
            ) : (
              <>
                <p>{t('totp.enrol.recovery')}</p>
                <ul className="totp-enrolment__codes" data-testid="recovery-codes">
                  {step.recoveryCodes.map((c) => (
                    <li key={c}>
                      <code>{c}</code>
                    </li>
                  ))}
                </ul>
                <button type="button" onClick={close} autoFocus>
                  {t('totp.enrol.close')}
                </button>
              </>
            )}
          </div>
        </div>
      )}
    </>
  )
}
