/** Online or offline, when the worklist was last synced, and any problem the reader must know about. */
import { useSyncStore, useWorklistStore } from '../app-stores.ts'
import { useT } from '../i18n/language-store.ts'

export function SyncStatusBar() {
  const t = useT()
  const status = useSyncStore((s) => s.status)
  const alert = useSyncStore((s) => s.alert)
  const fromCache = useWorklistStore((s) => s.fromCache)
  const synced = status.lastSyncedAt ? t('sync.lastSynced', { time: new Date(status.lastSyncedAt).toLocaleTimeString() }) : t('sync.neverSynced')
  const storageFull = alert?.kind === 'storage-full'
  return (
    <>
      {!status.online && status.problem && (
        <div className="banner banner--offline" role="status" data-testid="offline-banner">
          {t('sync.offline')}
        </div>
      )}
      {storageFull && (
        // what stopped, that the reader's work is safe, and what to do: the browser's own error is
        // only the detail (it names no cause a reader can act on)
        <div className="banner banner--alert" role="alert" data-testid="storage-full-alert">
          <strong>{t('storage.full')}</strong> {t('storage.fullSafe')} {t('storage.fullAction')}
          {alert.detail && <small className="banner__detail">{alert.detail}</small>}
        </div>
      )}
      {alert && !storageFull && (
        <div className="banner banner--alert" role="alert">
          {t(`alert.${alert.kind}`, { detail: alert.detail })}
        </div>
      )}
      <div className="sync-status" data-testid="sync-status" data-online={status.online}>
        <span className={`sync-status__dot sync-status__dot--${status.online ? 'online' : 'offline'}`} />
        <span>{status.online ? t('sync.online') : t('sync.offlineShort')}</span>
        <span data-testid="last-synced">{synced}</span>
        {fromCache && <span>{t('sync.fromCache')}</span>}
        {storageFull && <span className="sync-status__problem" data-testid="storage-full-indicator">{t('storage.fullShort')}</span>}
      </div>
    </>
  )
}
