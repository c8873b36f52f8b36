/** A worklist cell: how much of the study (and its priors) is on this computer, and how long the rest takes. */
import { useSyncStore } from '../app-stores.ts'
import { formatBytes, formatDuration } from '../i18n/format.ts'
import { useLanguageStore, useT } from '../i18n/language-store.ts'
import { studyProblemText } from '../sync/sync-fault-text.ts'

export function CacheProgressCell({ studyInstanceUid }: { studyInstanceUid: string }) {
  const t = useT()
  const progress = useSyncStore((s) => s.progress[studyInstanceUid])
  const language = useLanguageStore((s) => s.language)
  if (!progress) return <td className="cache-cell">—</td>
  const label =
    progress.state === 'complete'
      ? t('cache.complete')
      : progress.state === 'error'
        ? studyProblemText(t, progress)
        : progress.state === 'downloading'
          ? t('cache.downloading', { done: progress.cachedInstances, total: progress.totalInstances, size: formatBytes(progress.cachedBytes) })
          : t(progress.state === 'indexing' ? 'cache.indexing' : 'cache.queued')
  return (
    <td className={`cache-cell cache-cell--${progress.state}`} data-testid="cache-state" data-state={progress.state}>
      {progress.totalInstances > 0 && <progress max={progress.totalInstances} value={progress.cachedInstances} />}
      <span>{label}</span>
      {progress.state === 'downloading' && progress.etaSeconds !== undefined && <span className="cache-cell__eta">{t('cache.eta', { time: formatDuration(progress.etaSeconds * 1000, language) })}</span>}
    </td>
  )
}
