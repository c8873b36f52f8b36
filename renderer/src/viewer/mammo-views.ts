/** Finds the four standard screening views (RCC, LCC, RMLO, LMLO) among a study's images. */
import type { CachedInstance } from '../cache/workstation-db.ts'
import type { SeriesWithInstances } from '../repositories/study-repository.ts'

/** In the order the four-view page shows them: top row CC, bottom row MLO, right breast on the left. */
export const MAMMO_VIEWS = ['RCC', 'LCC', 'RMLO', 'LMLO'] as const
export type MammoView = (typeof MAMMO_VIEWS)[number]

export interface MammoImage {
  series: SeriesWithInstances
  instance: CachedInstance
}

/** Images meant for processing, not for the reader's eyes (MG and DX "For Processing"). */
const FOR_PROCESSING_SOP_CLASSES = new Set(['1.2.840.10008.5.1.4.1.1.1.2.1', '1.2.840.10008.5.1.4.1.1.1.1.1'])

/**
 * The view an image shows, from its laterality and View Position. Some modalities write the
 * side into View Position ('RCC', 'LMLO'): that is accepted too; other views (ML, XCCL, …)
 * are not part of the four-view.
 */
export function mammoViewOf(instance: CachedInstance): MammoView | undefined {
  const match = /^([RL])?\s*(CC|MLO)$/.exec((instance.attributes?.viewPosition ?? '').toUpperCase())
  if (!match) return undefined
  const side = instance.attributes?.laterality ?? match[1]
  return side ? (`${side}${match[2]}` as MammoView) : undefined
}

function preference(image: MammoImage): number[] {
  return [
    FOR_PROCESSING_SOP_CLASSES.has(image.instance.sopClassUid) ? 0 : 1,
    // a 2D view rather than a tomosynthesis stack of the same view
    image.instance.numberOfFrames > 1 ? 0 : 1,
    // a repeated view is a retake: the later one
    image.series.series.seriesNumber,
    image.instance.instanceNumber,
  ]
}

function better(a: MammoImage, b: MammoImage): boolean {
  const pa = preference(a)
  const pb = preference(b)
  for (let i = 0; i < pa.length; i += 1) if (pa[i] !== pb[i]) return pa[i]! > pb[i]!
  return false
}

/** The image for each of the four views that a study has (absent views are missing keys). */
export function findMammoViews(series: readonly SeriesWithInstances[]): Partial<Record<MammoView, MammoImage>> {
  const found: Partial<Record<MammoView, MammoImage>> = {}
  for (const entry of series) {
    for (const instance of entry.instances) {
      const view = mammoViewOf(instance)
      if (!view) continue
      const candidate = { series: entry, instance }
      const current = found[view]
      if (!current || better(candidate, current)) found[view] = candidate
    }
  }
  return found
}
