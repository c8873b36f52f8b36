/**
 * The login form: server URL (defaults to the built-in server), user name, password; then, for
 * a user with two-factor sign-in, the authenticator's code (or a one-time recovery code).
 */
import { useState, type FormEvent } from 'react'
import { useSessionStore } from '../app-stores.ts'
import { useT } from '../i18n/language-store.ts'
import type { MessageKey } from '../i18n/messages.ts'
import type { SessionProblem } from '../stores/session-store.ts'

/** The message for a login problem; on the code step a refusal means the code was wrong. */
export function loginProblemKey(problem: SessionProblem | null, codeStep: boolean): MessageKey | null {
  if (!problem) return null
  if (problem.kind === 'other') return 'login.error.other'
  if (codeStep && problem.kind === 'invalid-credentials') return 'login.error.invalid-code'
  return `login.error.${problem.kind}` as MessageKey
}

export function LoginScreen() {
  const t = useT()
  const defaultServerUrl = useSessionStore((s) => s.defaultServerUrl)
  const busy = useSessionStore((s) => s.status === 'logging-in')
  const problem = useSessionStore((s) => s.problem)
  const codeStep = useSessionStore((s) => s.secondFactorRequired)
  const login = useSessionStore((s) => s.login)
  const cancelSecondFactor = useSessionStore((s) => s.cancelSecondFactor)
  const [serverUrl, setServerUrl] = useState(defaultServerUrl)
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [code, setCode] = useState('')
  const [useRecovery, setUseRecovery] = useState(false)

  const submit = (event: FormEvent) => {
    event.preventDefault()
    const second = !codeStep ? undefined : useRecovery ? { recoveryCode: code.trim() } : { totpCode: code.trim() }
    void login(serverUrl, username, password, second).then(() => {
      setCode('')
      // the password is kept only while the code step needs to send it again
      if (!useSessionStore.getState().secondFactorRequired) setPassword('')
    })
  }

  const problemKey = loginProblemKey(problem, codeStep)

  return (
    <main className="login">
      <form className="login__form" onSubmit={submit} aria-labelledby="login-heading">
        <h1 id="login-heading">{t('login.heading')}</h1>
        {!codeStep ? (
          <>
            <label>
              {t('login.server')}
              <input name="server" type="url" value={serverUrl} onChange={(e) => setServerUrl(e.target.value)} required autoComplete="url" />
            </label>
            <label>
              {t('login.username')}
              <input name="username" value={username} onChange={(e) => setUsername(e.target.value)} required autoComplete="username" autoFocus />
            </label>
            <label>
              {t('login.password')}
              <input name="password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} required autoComplete="current-password" />
            </label>
          </>
        ) : (
          <>
            <p>{t(useRecovery ? 'login.recovery.prompt' : 'login.totp.prompt')}</p>
            <label>
              {t(useRecovery ? 'login.recovery.code' : 'login.totp.code')}
              <input
                name={useRecovery ? 'recovery-code' : 'totp-code'}
                value={code}
                onChange={(e) => setCode(e.target.value)}
                required
                autoFocus
                autoComplete="one-time-code"
                {...(useRecovery ? {} : { inputMode: 'numeric' as const, pattern: '[0-9]{6}', maxLength: 6 })}
              />
            </label>
            <button type="button" className="login__link" onClick={() => (setUseRecovery(!useRecovery), setCode(''))}>
              {t(useRecovery ? 'login.totp.use-app' : 'login.totp.use-recovery')}
            </button>
            <button
              type="button"
              className="login__link"
              onClick={() => {
                cancelSecondFactor()
                setPassword('')
                setCode('')
              }}
            >
              {t('login.totp.back')}
            </button>
          </>
        )}
        {problemKey && (
          <p className="login__error" role="alert">
            {t(problemKey, { detail: problem?.detail ?? '' })}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? t('login.submitting') : t('login.submit')}
        </button>
      </form>
    </main>
  )
}
