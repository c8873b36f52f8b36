/** The workstation's frame: top bar, then login, worklist (or reader statistics) or the open study. */
import { useEffect, useState } from 'react'
import { clearLocalData, useSessionStore, useStudyStore, useWorklistStore } from '../app-stores.ts'
import { useLanguageStore, useT } from '../i18n/language-store.ts'
import { LoginScreen } from './login-screen.tsx'
import { PasswordChangeButton } from './password-change.tsx'
import { AutoLockSetting, LockNowButton, SessionLockGuard } from './session-lock.tsx'
import { AuditLogScreen } from './audit-log-screen.tsx'
import { StatisticsScreen } from './statistics-screen.tsx'
import { StudyScreen } from './study-screen.tsx'
import { TotpEnrolmentButton } from './totp-enrolment.tsx'
import { WorklistScreen } from './worklist-screen.tsx'

function TopBar({ onStatistics, onAudit }: { onStatistics: (() => void) | null; onAudit: (() => void) | null }) {
  const t = useT()
  const user = useSessionStore((s) => s.user)
  const logout = useSessionStore((s) => s.logout)
  const language = useLanguageStore((s) => s.language)
  const setLanguage = useLanguageStore((s) => s.setLanguage)
  const closeStudy = useStudyStore((s) => s.close)
  const clearWorklist = useWorklistStore((s) => s.clear)
  return (
    <header className="top-bar">
      <span className="top-bar__title">{t('app.title')}</span>
      <span className="top-bar__spacer" />
      {onStatistics && (
        <button type="button" onClick={onStatistics} data-testid="open-statistics">
          {t('stats.open')}
        </button>
      )}
      {onAudit && (
        <button type="button" onClick={onAudit} data-testid="open-audit-log">
          {t('audit.open')}
        </button>
      )}
      {user && <span className="top-bar__user">{t('session.user', { name: user.displayName, role: t(`role.${user.role}`) })}</span>}
      <button
        type="button"
        onClick={() => {
          if (globalThis.confirm(t('settings.clearCacheConfirm'))) void clearLocalData()
        }}
      >
        {t('settings.clearCache')}
      </button>
      <button type="button" onClick={() => setLanguage(language === 'ja' ? 'en' : 'ja')} data-testid="language-switch">
        {t('app.language')}
      </button>
      {user && <TotpEnrolmentButton />}
      {user && <PasswordChangeButton />}
      {user && <AutoLockSetting />}
      {user && <LockNowButton />}
      {user && (
        <button
          type="button"
          onClick={() => {
            closeStudy()
            clearWorklist()
            void logout()
          }}
        >
          {t('session.logout')}
        </button>
      )}
    </header>
  )
}

export function App() {
  const status = useSessionStore((s) => s.status)
  const start = useSessionStore((s) => s.start)
  const studyOpen = useStudyStore((s) => s.assignment !== null)
  const [screen, setScreen] = useState<'worklist' | 'statistics' | 'audit'>('worklist')
  const isAdmin = useSessionStore((s) => s.user?.role === 'admin')
  const loggedIn = status === 'logged-in'

  useEffect(() => {
    void start()
  }, [start])
  // the next login starts at the worklist
  useEffect(() => {
    if (!loggedIn) setScreen('worklist')
  }, [loggedIn])

  return (
    <SessionLockGuard>
      <div className="app">
        <TopBar
          onStatistics={loggedIn && !studyOpen && screen === 'worklist' ? () => setScreen('statistics') : null}
          onAudit={loggedIn && isAdmin && !studyOpen && screen === 'worklist' ? () => setScreen('audit') : null}
        />
        {status === 'starting' ? null : !loggedIn ? (
          <LoginScreen />
        ) : studyOpen ? (
          <StudyScreen />
        ) : screen === 'statistics' ? (
          <StatisticsScreen onBack={() => setScreen('worklist')} />
        ) : screen === 'audit' ? (
          <AuditLogScreen onBack={() => setScreen('worklist')} />
        ) : (
          <WorklistScreen />
        )}
      </div>
    </SessionLockGuard>
  )
}
