/**
 * The session lock around the logged-in workstation. Locked, the workstation stays mounted (the
 * report editor keeps its draft and keeps saving it) but is hidden, inert and aria-hidden, and a
 * full-screen cover asks for the password (and TOTP code). The window title loses any patient
 * detail while locked. Ctrl+L (⌘L) locks at once.
 */
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react'
import { useSessionStore } from '../app-stores.ts'
import { useT } from '../i18n/language-store.ts'
import type { MessageKey } from '../i18n/messages.ts'
import { createSessionLockStore } from '../stores/session-lock-store.ts'
import './session-lock.css'

export const useSessionLockStore = createSessionLockStore({
  reauthenticate: (password, second) => useSessionStore.getState().reauthenticate(password, second),
})

const ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const

/** Ctrl+L or ⌘L; the browser's "focus the address bar" is of no use in the workstation. */
export function isLockShortcut(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>): boolean {
  return (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'l'
}

export function SessionLockGuard({ children }: { children: ReactNode }) {
  const loggedIn = useSessionStore((s) => s.status === 'logged-in')
  const locked = useSessionLockStore((s) => s.locked)

  useEffect(() => {
    if (!loggedIn) return
    const lock = useSessionLockStore.getState()
    lock.start()
    const onActivity = () => useSessionLockStore.getState().activity()
    const onKey = (event: KeyboardEvent) => {
      if (!isLockShortcut(event)) return
      event.preventDefault()
      useSessionLockStore.getState().lock()
    }
    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, onActivity, { capture: true, passive: true })
    window.addEventListener('keydown', onKey, { capture: true })
    return () => {
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, onActivity, { capture: true })
      window.removeEventListener('keydown', onKey, { capture: true })
      useSessionLockStore.getState().stop()
    }
  }, [loggedIn])

  const shown = locked && loggedIn
  useLockedTitle(shown)
  return (
    <>
      <div className={shown ? 'session-lock__content session-lock__content--hidden' : 'session-lock__content'} inert={shown} aria-hidden={shown || undefined}>
        {children}
      </div>
      {shown && <SessionLockCover />}
    </>
  )
}

/** While locked the title is the application's name: it may otherwise name the patient. */
function useLockedTitle(locked: boolean) {
  const t = useT()
  const saved = useRef<string | null>(null)
  useEffect(() => {
    if (!locked) return
    saved.current = document.title
    const title = t('app.title')
    document.title = title
    // whatever sets the title underneath (the study screen) is overruled until unlocked
    const observer = new MutationObserver(() => {
      if (document.title !== title) document.title = title
    })
    const head = document.querySelector('title') ?? document.head
    observer.observe(head, { childList: true, characterData: true, subtree: true })
    return () => {
      observer.disconnect()
      if (saved.current !== null) document.title = saved.current
    }
  }, [locked, t])
}

function SessionLockCover() {
  const t = useT()
  const displayName = useSessionStore((s) => s.user?.displayName ?? '')
  const logout = useSessionStore((s) => s.logout)
  const { unlocking, codeNeeded, problem, unlock } = useSessionLockStore()
  const [password, setPassword] = useState('')
  const [code, setCode] = useState('')

  const submit = (event: FormEvent) => {
    event.preventDefault()
    void unlock(password, codeNeeded ? code.trim() : undefined).then((ok) => {
      setCode('')
      if (ok) setPassword('')
    })
  }

  const problemKey: MessageKey | null = !problem
    ? null
    : problem.kind === 'invalid-credentials' || problem.kind === 'locked'
      ? `lock.error.${problem.kind}`
      : 'lock.error.other'

  return (
    <div className="session-lock" role="dialog" aria-modal="true" aria-labelledby="session-lock-heading">
      <form className="session-lock__form" onSubmit={submit}>
        <h1 id="session-lock-heading">{t('lock.heading')}</h1>
        <p>{t('lock.explain', { name: displayName })}</p>
        <label>
          {t('lock.password')}
          <input name="lock-password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} required autoFocus autoComplete="current-password" />
        </label>
        {codeNeeded && (
          <label>
            {t('lock.code')}
            <input name="lock-totp-code" value={code} onChange={(e) => setCode(e.target.value)} required autoFocus inputMode="numeric" pattern="[0-9]{6}" maxLength={6} autoComplete="one-time-code" />
          </label>
        )}
        {problemKey && (
          <p className="session-lock__error" role="alert">
            {t(problemKey, { detail: problem?.detail ?? '' })}
          </p>
        )}
        <div className="session-lock__actions">
          <button type="submit" disabled={unlocking}>
            {unlocking ? t('lock.checking') : t('lock.submit')}
          </button>
          <button type="button" onClick={() => void logout()}>
            {t('lock.logout')}
          </button>
        </div>
      </form>
    </div>
  )
}

/** The top bar's button that locks at once. */
export function LockNowButton() {
  const t = useT()
  const lock = useSessionLockStore((s) => s.lock)
  return (
    <button type="button" onClick={lock} title="Ctrl+L">
      {t('lock.now')}
    </button>
  )
}

const IDLE_CHOICES_MINUTES = [1, 5, 10, 15, 30] as const

/** The idle period before the screen locks, kept per computer (a value set elsewhere, e.g. by a test, is listed too). */
export function AutoLockSetting() {
  const t = useT()
  const idleMs = useSessionLockStore((s) => s.idleMs)
  const setIdleMs = useSessionLockStore((s) => s.setIdleMs)
  const choices = IDLE_CHOICES_MINUTES.map((m) => m * 60_000)
  const values = choices.includes(idleMs) ? choices : [idleMs, ...choices]
  const label = (ms: number) => (ms % 60_000 === 0 ? t('lock.idle.minutes', { n: ms / 60_000 }) : t('lock.idle.seconds', { n: Math.round(ms / 1000) }))
  return (
    <label className="session-lock__setting">
      {t('lock.idle.label')}
      <select value={idleMs} onChange={(e) => setIdleMs(Number(e.target.value))} data-testid="auto-lock-setting">
        {values.map((ms) => (
          <option key={ms} value={ms}>
            {label(ms)}
          </option>
        ))}
      </select>
    </label>
  )
}
