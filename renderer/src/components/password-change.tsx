/**
 * Changing one's password, under the policy the server enforces (shared/password-policy.ts):
 * checked here first so the user sees the rule before sending; the server has the last word.
 */
import { useState, type FormEvent } from 'react'
import { checkPasswordPolicy } from '../../../shared/password-policy.ts'
import { useSessionStore } from '../app-stores.ts'
import { LoginLocked } from '../api/reading-server-client.ts'
import { RequestError } from '../api/request-error.ts'
import { useT } from '../i18n/language-store.ts'
import type { MessageKey } from '../i18n/messages.ts'
import './session-lock.css'

type Outcome = { key: MessageKey; detail?: string } | null

export function PasswordChangeButton() {
  const t = useT()
  const username = useSessionStore((s) => s.user?.username ?? '')
  const hasSecondFactor = useSessionStore((s) => s.totpEnabled)
  const changePassword = useSessionStore((s) => s.changePassword)
  const [open, setOpen] = useState(false)
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [again, setAgain] = useState('')
  const [problem, setProblem] = useState<Outcome>(null)
  const [done, setDone] = useState(false)
  const [busy, setBusy] = useState(false)

  const close = () => {
    setOpen(false)
    setCurrent('')
    setNext('')
    setAgain('')
    setProblem(null)
    setDone(false)
  }

  const submit = (event: FormEvent) => {
    event.preventDefault()
    const policy = checkPasswordPolicy(next, { username, hasSecondFactor })
    if (policy) return setProblem({ key: `password.error.${policy}` })
    if (next !== again) return setProblem({ key: 'password.error.mismatch' })
    setBusy(true)
    setProblem(null)
    changePassword(current, next)
      .then(() => setDone(true))
      .catch((error: unknown) => {
        if (error instanceof LoginLocked) setProblem({ key: 'password.error.locked', detail: String(Math.ceil(error.retryAfterSeconds / 60)) })
        else if (error instanceof RequestError && error.failure === 'invalid-credentials') setProblem({ key: 'password.error.current' })
        else setProblem({ key: 'password.error.other', detail: error instanceof Error ? error.message : String(error) })
      })
      .finally(() => setBusy(false))
  }

  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        {t('password.open')}
      </button>
      {open && (
        <div className="totp-enrolment" role="dialog" aria-modal="true" aria-labelledby="password-change-heading">
          <div className="totp-enrolment__panel">
            <h2 id="password-change-heading">{t('password.heading')}</h2>
            {done ? (
              <>
                <p role="status">{t('password.done')}</p>
                <button type="button" onClick={close} autoFocus>
                  {t('password.close')}
                </button>
              </>
            ) : (
              <form onSubmit={submit}>
                <p>{t(hasSecondFactor ? 'password.policy.two-factor' : 'password.policy')}</p>
                <label>
                  {t('password.current')}
                  <input name="current-password" type="password" value={current} onChange={(e) => setCurrent(e.target.value)} required autoFocus autoComplete="current-password" />
                </label>
                <label>
                  {t('password.new')}
                  <input name="new-password" type="password" value={next} onChange={(e) => setNext(e.target.value)} required autoComplete="new-password" />
                </label>
                <label>
                  {t('password.again')}
                  <input name="new-password-again" type="password" value={again} onChange={(e) => setAgain(e.target.value)} required autoComplete="new-password" />
                </label>
                {problem && (
                  <p className="totp-enrolment__error" role="alert">
                    {t(problem.key, { detail: problem.detail ?? '' })}
                  </p>
                )}
                <div className="totp-enrolment__actions">
                  <button type="submit" disabled={busy}>
                    {t('password.submit')}
                  </button>
                  <button type="button" onClick={close}>
                    {t('password.close')}
                  </button>
                </div>
              </form>
            )}
          </div>
        </div>
      )}
    </>
  )
}
