/**
 * What hanging protocols need to know about series: which hold images, how a cross-sectional
 * series lies, which one a reader reads first, which series of a prior matches it, and how
 * body parts compare. Attributes may be absent (studies indexed by an older version): every
 * test here then answers "unknown" rather than guessing.
 */
import type { CachedInstance } from '../cache/workstation-db.ts'
import type { SeriesWithInstances } from '../repositories/study-repository.ts'

/** Modalities whose series never hold pixels to display. */
const NON_IMAGE_MODALITIES = new Set(['SR', 'PR', 'KO', 'DOC', 'REG', 'SEG', 'RTSTRUCT', 'RTPLAN', 'RTRECORD', 'FID', 'PLAN', 'AU', 'ECG', 'HD'])

/** Whether a series has images to show. */
export function isImageSeries(entry: SeriesWithInstances): boolean {
  if (entry.instances.length === 0 || NON_IMAGE_MODALITIES.has(entry.series.modality.toUpperCase())) return false
  // attributes say rows = 0 only for objects without pixel data
  return !entry.instances.every((i) => i.attributes && i.attributes.rows === 0)
}

/** Images in a series, counting every frame of multi-frame instances. */
export function sliceCount(entry: SeriesWithInstances): number {
  return entry.instances.reduce((sum, i) => sum + Math.max(1, i.numberOfFrames), 0)
}

export type SeriesOrientation = 'axial' | 'coronal' | 'sagittal'

/** The plane an image lies in, by the largest component of its normal (so a tilted gantry is still axial). */
export function instanceOrientation(instance: CachedInstance): SeriesOrientation | undefined {
  const o = instance.attributes?.imageOrientationPatient
  if (!o) return undefined
  const [rx, ry, rz, cx, cy, cz] = o
  const normal = [Math.abs(ry * cz - rz * cy), Math.abs(rz * cx - rx * cz), Math.abs(rx * cy - ry * cx)] as const
  const largest = Math.max(...normal)
  if (largest < 1e-6) return undefined
  return normal[2] === largest ? 'axial' : normal[1] === largest ? 'coronal' : 'sagittal'
}

/** The plane of a series' first image with geometry. */
export function seriesOrientation(entry: SeriesWithInstances): SeriesOrientation | undefined {
  for (const instance of entry.instances) {
    const orientation = instanceOrientation(instance)
    if (orientation) return orientation
  }
  return undefined
}

const LOCALIZER_DESCRIPTION = /scout|locali[sz]er|topogram|surview|scanogram|pilot|survey|位置決め|スカウト|ロカライザ/i

/**
 * Whether a series is a localizer (scout). ImageType is not kept, so this goes by the
 * description, and by images lying in more than one plane (a three-plane localizer).
 */
export function isLocalizer(entry: SeriesWithInstances): boolean {
  if (LOCALIZER_DESCRIPTION.test(entry.series.description)) return true
  const planes = new Set(entry.instances.map(instanceOrientation).filter((o) => o !== undefined))
  return planes.size > 1
}

function hasGeometry(entry: SeriesWithInstances): boolean {
  return entry.instances.some((i) => i.attributes?.imageOrientationPatient && i.attributes.imagePositionPatient)
}

/** Compares by a list of numeric keys, larger first. */
function byKeysDescending<T>(keys: (item: T) => number[]): (a: T, b: T) => number {
  return (a, b) => {
    const ka = keys(a)
    const kb = keys(b)
    for (let i = 0; i < ka.length; i += 1) if (ka[i] !== kb[i]) return kb[i]! - ka[i]!
    return 0
  }
}

/**
 * The series a reader starts a CT or MR with: not a localizer, axial, with geometry, with the
 * most images; the lowest series number breaks a tie.
 */
export function mainSeries(series: readonly SeriesWithInstances[], modality: string): SeriesWithInstances | undefined {
  const candidates = series.filter((s) => isImageSeries(s) && s.series.modality.toUpperCase() === modality)
  return candidates.sort(
    byKeysDescending((s) => [isLocalizer(s) ? 0 : 1, seriesOrientation(s) === 'axial' ? 1 : 0, hasGeometry(s) ? 1 : 0, sliceCount(s), -s.series.seriesNumber]),
  )[0]
}

function descriptionTokens(description: string): Set<string> {
  // NFKC folds full-width letters and digits; Japanese has no spaces, so each of its characters is a token
  const text = description.normalize('NFKC').toLowerCase()
  return new Set(text.match(/[a-z0-9.]+|[^\s\p{P}\p{S}a-z0-9]/gu) ?? [])
}

/** How alike two series descriptions are, from 0 (nothing shared) to 1 (the same words). */
export function descriptionSimilarity(a: string, b: string): number {
  const ta = descriptionTokens(a)
  const tb = descriptionTokens(b)
  if (ta.size === 0 || tb.size === 0) return 0
  let shared = 0
  for (const token of ta) if (tb.has(token)) shared += 1
  return shared / (ta.size + tb.size - shared)
}

function seriesThickness(entry: SeriesWithInstances): number | undefined {
  return entry.instances.find((i) => i.attributes?.sliceThickness !== undefined)?.attributes?.sliceThickness
}

function thicknessCloseness(a: number | undefined, b: number | undefined): number {
  if (a === undefined || b === undefined || a <= 0 || b <= 0) return 0.5
  return 1 - Math.abs(a - b) / Math.max(a, b)
}

/**
 * The series of a prior that best matches the current one: of the same modality, not a
 * localizer, in the same plane when there is one, then with the closest description and
 * slice thickness.
 */
export function matchingSeries(target: SeriesWithInstances, prior: readonly SeriesWithInstances[]): SeriesWithInstances | undefined {
  const modality = target.series.modality.toUpperCase()
  let candidates = prior.filter((s) => isImageSeries(s) && s.series.modality.toUpperCase() === modality)
  const notLocalizers = candidates.filter((s) => !isLocalizer(s))
  if (notLocalizers.length > 0) candidates = notLocalizers
  const plane = seriesOrientation(target)
  const samePlane = candidates.filter((s) => seriesOrientation(s) === plane)
  if (plane && samePlane.length > 0) candidates = samePlane
  const thickness = seriesThickness(target)
  const targetCount = sliceCount(target)
  return candidates.sort(
    byKeysDescending((s) => [
      descriptionSimilarity(target.series.description, s.series.description) + thicknessCloseness(thickness, seriesThickness(s)),
      -Math.abs(sliceCount(s) - targetCount),
      -s.series.seriesNumber,
    ]),
  )[0]
}

/** Body Part Examined values that name the same region. */
const BODY_PART_SYNONYMS: Record<string, string> = {
  BRAIN: 'HEAD',
  SKULL: 'HEAD',
  頭部: 'HEAD',
  頭: 'HEAD',
  THORAX: 'CHEST',
  LUNG: 'CHEST',
  胸部: 'CHEST',
  ABD: 'ABDOMEN',
  腹部: 'ABDOMEN',
}

/** A body part in upper case with its synonyms folded, '' when unknown. */
export function normaliseBodyPart(bodyPart: string | undefined): string {
  const value = (bodyPart ?? '').normalize('NFKC').trim().toUpperCase().replace(/[\s_-]+/g, '')
  return BODY_PART_SYNONYMS[value] ?? value
}

/** The body part a series' images name, '' when none does. */
export function seriesBodyPart(entry: SeriesWithInstances): string {
  for (const instance of entry.instances) {
    const part = normaliseBodyPart(instance.attributes?.bodyPartExamined)
    if (part) return part
  }
  return ''
}

/**
 * Whether two studies may show the same region: yes when either body part is unknown, else
 * when one names (part of) the other (CHEST and CHESTABDOMEN do; HEAD and CHEST do not).
 */
export function compatibleBodyParts(a: string, b: string): boolean {
  return !a || !b || a.includes(b) || b.includes(a)
}
