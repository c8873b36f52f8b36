/** The MPR viewer's strings in the reader's language (the viewer takes its text as props). */
import { useMemo } from 'react'
import { useLanguageStore } from '../i18n/language-store.ts'
import { translate, type Language } from '../i18n/messages.ts'
import type { MprLabels } from '../viewer/mpr-viewer.tsx'

/** Every MprLabels string for one language. */
export function mprLabels(language: Language): MprLabels {
  const t = (key: Parameters<typeof translate>[1]) => translate(language, key)
  return {
    planes: { axial: t('mpr.axial'), sagittal: t('mpr.sagittal'), coronal: t('mpr.coronal') },
    slabThickness: t('mpr.slabThickness'),
    mip: t('mpr.mip'),
    loading: t('mpr.loading'),
    loadFailed: t('mpr.loadFailed'),
    refused: t('mpr.refused'),
    reasons: {
      'too-few-slices': t('mpr.reason.too-few-slices'),
      'no-geometry': t('mpr.reason.no-geometry'),
      'multi-frame': t('mpr.reason.multi-frame'),
      'mixed-size': t('mpr.reason.mixed-size'),
      'mixed-orientation': t('mpr.reason.mixed-orientation'),
      'gantry-tilt': t('mpr.reason.gantry-tilt'),
      'uneven-spacing': t('mpr.reason.uneven-spacing'),
      'not-cross-sectional': t('mpr.reason.not-cross-sectional'),
    },
    hint: t('mpr.hint'),
  }
}

/** The MPR labels of the current language, the same object until the language changes. */
export function useMprLabels(): MprLabels {
  const language = useLanguageStore((s) => s.language)
  return useMemo(() => mprLabels(language), [language])
}
