/** The versions of a submitted report, oldest first: original, corrections, the checker's amendment, each with who, when and why. */
import type { ReportVersion } from '../../../shared/reading-case-contract.ts'
import { formatDateTime } from '../i18n/locale-format.ts'
import { useLanguageStore, useT } from '../i18n/language-store.ts'

export function VersionHistory({ versions }: { versions: readonly ReportVersion[] }) {
  const t = useT()
  const language = useLanguageStore((s) => s.language)
  if (versions.length === 0) return null
  return (
    <details className="check-panel__history" open={versions.length > 1}>
      <summary>{t('versions.heading')}</summary>
      <ol className="check-panel__versions" data-testid="report-versions">
        {versions.map((v) => (
          <li key={v.version} data-kind={v.kind}>
            {t('versions.line', { version: v.version, kind: t(`versions.kind.${v.kind}`), name: v.authorName, time: formatDateTime(v.createdAt, language) })}
            {v.reason && <> — {t('check.reason', { reason: v.reason })}</>}
          </li>
        ))}
      </ol>
    </details>
  )
}
