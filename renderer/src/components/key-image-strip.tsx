/**
 * The report's key images as a horizontal strip: each named as the study screen describes it
 * ("Se 2 · Im 14"), shown again by a click, taken off by its × button. The strip holds
 * references only (SOP Instance UID and frame); what an item looks like is the caller's business.
 */
import type { CSSProperties } from 'react'
import type { KeyImageRef } from '../../../shared/report-annotations.ts'
import { useT } from '../i18n/language-store.ts'

export interface KeyImageStripProps {
  keyImages: readonly KeyImageRef[]
  describe(ref: KeyImageRef): string
  onShow(ref: KeyImageRef): void
  onRemove(ref: KeyImageRef): void
}

const stripStyle: CSSProperties = { display: 'flex', alignItems: 'center', gap: 6, overflowX: 'auto', whiteSpace: 'nowrap', padding: '2px 4px', fontSize: 12 }
const entryStyle: CSSProperties = { display: 'inline-flex', alignItems: 'center', gap: 2, flex: 'none' }
const removeStyle: CSSProperties = { padding: '0 4px', lineHeight: 1 }

const keyOf = (ref: KeyImageRef) => `${ref.sopInstanceUid}#${ref.frame ?? 1}`

export function KeyImageStrip({ keyImages, describe, onShow, onRemove }: KeyImageStripProps) {
  const t = useT()
  return (
    <div className="key-image-strip" data-testid="key-image-strip" style={stripStyle} aria-label={t('keyImage.strip')}>
      <span className="key-image-strip__title">
        {t('keyImage.strip')} ({keyImages.length})
      </span>
      {keyImages.length === 0 && <span className="key-image-strip__empty">{t('keyImage.empty')}</span>}
      <ul style={{ ...stripStyle, listStyle: 'none', margin: 0, padding: 0 }}>
        {keyImages.map((ref) => {
          const label = describe(ref)
          return (
            <li key={keyOf(ref)} style={entryStyle}>
              <button type="button" className="key-image-strip__item" data-testid="key-image-item" title={t('keyImage.show', { label })} onClick={() => onShow(ref)}>
                {label}
              </button>
              <button type="button" className="key-image-strip__remove" style={removeStyle} aria-label={t('keyImage.remove', { label })} title={t('keyImage.remove', { label })} onClick={() => onRemove(ref)}>
                ×
              </button>
            </li>
          )
        })}
      </ul>
    </div>
  )
}
