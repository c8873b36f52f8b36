/** Online or offline, when the worklist was last synced, and any problem the reader must know about. */
import { useSyncStore, useWorklistStore } from '../app-stores.ts'
import { useT } from '../i18n/language-store.ts'

export function SyncStatusBar() {
  const t = useT()
  const status = useSyncStore((s) => s.status)
  const alert = useSyncStore((s) => s.alert)
  const fromCache = useWorklistStore((s) => s.fromCache)
  const synced = status.lastSyncedAt ? t('sync.lastSynced', { time: new Date(status.lastSyncedAt).toLocaleTimeString() }) : t('sync.neverSynced')
  return (
    <>
      {!status.online && status.problem && (
        <div className="banner banner--offline" role="status" data-testid="offline-banner">
          {t('sync.offline')}
        </div>
      )}
      {alert && (
        <div className="banner banner--alert" role="alert">
          {t(`alert.${alert.kind}`, { detail: alert.detail })}
        </div>
      )}
      <div className="sync-status" data-testid="sync-status" data-online={status.online}>
        <span className={`sync-status__dot sync-status__dot--${status.online ? 'online' : 'offline'}`} />
        <span>{status.online ? t('sync.online') : t('sync.offlineShort')}</span>
        <span data-testid="last-synced">{synced}</span>
        {fromCache && <span>{t('sync.fromCache')}</span>}
      </div>
    </>
  )
}
