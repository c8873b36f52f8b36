/** The login form: server URL (defaults to the built-in server), user name, password. */
import { useState, type FormEvent } from 'react'
import { useSessionStore } from '../app-stores.ts'
import { useT } from '../i18n/language-store.ts'
import type { MessageKey } from '../i18n/messages.ts'

export function LoginScreen() {
  const t = useT()
  const defaultServerUrl = useSessionStore((s) => s.defaultServerUrl)
  const busy = useSessionStore((s) => s.status === 'logging-in')
  const problem = useSessionStore((s) => s.problem)
  const login = useSessionStore((s) => s.login)
  const [serverUrl, setServerUrl] = useState(defaultServerUrl)
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')

  const submit = (event: FormEvent) => {
    event.preventDefault()
    void login(serverUrl, username, password).then(() => setPassword(''))
  }

  const problemKey: MessageKey | null = problem
    ? problem.kind === 'other'
      ? 'login.error.other'
      : (`login.error.${problem.kind}` as MessageKey)
    : null

  return (
    <main className="login">
      <form className="login__form" onSubmit={submit} aria-labelledby="login-heading">
        <h1 id="login-heading">{t('login.heading')}</h1>
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
