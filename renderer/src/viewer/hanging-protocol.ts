/**
 * Hanging protocols: which images go in which viewport when a study opens, chosen from its
 * modality, body part, views and priors, then adjusted by the reader's own preferences.
 */
import type { CachedInstance } from '../cache/workstation-db.ts'
import type { SeriesWithInstances } from '../repositories/study-repository.ts'
import {
  compatibleBodyParts,
  isImageSeries,
  mainSeries,
  matchingSeries,
  normaliseBodyPart,
  seriesBodyPart,
  sliceCount,
} from './hanging-series.ts'
import { chestWallEdgeFor, mammoFlip, type ChestWallEdge, type MammoOrientationProblem } from './mammo-orientation.ts'
import { findMammoViews, MAMMO_VIEWS } from './mammo-views.ts'
import { isLayoutId, layoutCellCount, type LayoutId } from './viewer-layouts.ts'

export interface StudyForHanging {
  studyInstanceUid: string
  /** YYYYMMDD, '' when unknown. */
  studyDate: string
  studyTime?: string
  series: SeriesWithInstances[]
}

export const HANGING_PROTOCOL_IDS = ['ct-mr-compare', 'ct-mr-single', 'chest-compare', 'chest-single', 'mammo-four-view', 'us-cine', 'default'] as const
export type HangingProtocolId = (typeof HANGING_PROTOCOL_IDS)[number]

export interface ViewportAssignment {
  studyInstanceUid: string
  seriesInstanceUid: string
  /** Show only this image (a mammography view, each side of a chest comparison, a US clip). */
  sopInstanceUid?: string
  role: 'current' | 'prior'
  /** A view code such as 'RCC'; the UI adds what the reader sees of the role (e.g. the prior's date). */
  label?: string
  flipHorizontal?: boolean
  /** Mammography: the cell edge the chest wall is aligned to. */
  chestWallEdge?: ChestWallEdge
  /** Mammography: why the image could not be checked for mirroring (shown as is). */
  orientationProblem?: MammoOrientationProblem
  cine?: boolean
}

/** A cell the protocol wants but the study lacks (a missing mammography view): shown empty, with its label. */
export interface EmptyViewport {
  empty: true
  role: 'current' | 'prior'
  label?: string
  chestWallEdge?: ChestWallEdge
}

export type HangingCell = ViewportAssignment | EmptyViewport

export interface HangingPage {
  layout: LayoutId
  /** Row by row; never more than the layout has cells, possibly fewer (the rest stay empty). */
  viewports: HangingCell[]
}

export interface HangingPlan {
  protocolId: HangingProtocolId
  pages: HangingPage[]
  synchronise: { scroll: boolean; voi: boolean; zoom: boolean }
  /** The first page is a current/prior pair that may be flickered. */
  flicker: boolean
}

export interface HangingPreferences {
  [protocolId: string]: { layout?: LayoutId; synchronise?: Partial<HangingPlan['synchronise']> } | undefined
}

const CROSS_SECTIONAL = ['CT', 'MR']
const RADIOGRAPHY = new Set(['CR', 'DX'])
const NO_SYNC = { scroll: false, voi: false, zoom: false }

/** Most recent first; a study without a date sorts last. */
function compareRecency(a: StudyForHanging, b: StudyForHanging): number {
  // digits only: old ACR-NEMA style dates ('1994.01.30') compare with DICOM ones ('19940130')
  const key = (s: StudyForHanging) => `${s.studyDate.replace(/\D/g, '')}|${(s.studyTime ?? '').replace(/[^\d.]/g, '')}`
  return key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0
}

/** The other studies, most recent first, leaving out the current one and any made after it. */
function priorsOf(current: StudyForHanging, priors: readonly StudyForHanging[]): StudyForHanging[] {
  const later = (p: StudyForHanging) => Boolean(current.studyDate && p.studyDate) && compareRecency(p, current) < 0
  return priors.filter((p) => p.studyInstanceUid !== current.studyInstanceUid && !later(p)).sort(compareRecency)
}

function assign(study: StudyForHanging, series: SeriesWithInstances, role: ViewportAssignment['role'], extra: Partial<ViewportAssignment> = {}): ViewportAssignment {
  return { studyInstanceUid: study.studyInstanceUid, seriesInstanceUid: series.series.seriesInstanceUid, role, ...extra }
}

// --- mammography -------------------------------------------------------------------------

function mammoPage(study: StudyForHanging, role: ViewportAssignment['role']): HangingPage | undefined {
  const views = findMammoViews(study.series)
  if (MAMMO_VIEWS.every((v) => !views[v])) return undefined
  const viewports = MAMMO_VIEWS.map((view): HangingCell => {
    const chestWallEdge = chestWallEdgeFor(view.startsWith('R') ? 'R' : 'L')
    const image = views[view]
    if (!image) return { empty: true, role, label: view, chestWallEdge }
    const flip = mammoFlip(image.instance.attributes?.patientOrientation, chestWallEdge)
    return assign(study, image.series, role, {
      sopInstanceUid: image.instance.sopInstanceUid,
      label: view,
      flipHorizontal: flip.flipHorizontal,
      chestWallEdge,
      ...(flip.problem ? { orientationProblem: flip.problem } : {}),
    })
  })
  return { layout: '2x2', viewports }
}

function planMammo(current: StudyForHanging, priors: StudyForHanging[]): HangingPlan | undefined {
  const page = mammoPage(current, 'current')
  if (!page) return undefined
  const pages = [page]
  for (const prior of priors) {
    const priorPage = mammoPage(prior, 'prior')
    if (priorPage) {
      pages.push(priorPage)
      break
    }
  }
  // the four views are compared side by side at one magnification, never scrolled together
  return { protocolId: 'mammo-four-view', pages, synchronise: { scroll: false, voi: false, zoom: true }, flicker: false }
}

// --- CT and MR ---------------------------------------------------------------------------

function crossSectionalModality(study: StudyForHanging): string | undefined {
  const counts = new Map<string, number>()
  for (const entry of study.series) {
    const modality = entry.series.modality.toUpperCase()
    if (CROSS_SECTIONAL.includes(modality) && isImageSeries(entry)) counts.set(modality, (counts.get(modality) ?? 0) + sliceCount(entry))
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0]
}

function studyBodyPart(study: StudyForHanging, main: SeriesWithInstances): string {
  return seriesBodyPart(main) || study.series.filter((s) => s.series.modality === main.series.modality).map(seriesBodyPart).find(Boolean) || ''
}

function planCrossSectional(current: StudyForHanging, priors: StudyForHanging[]): HangingPlan | undefined {
  const modality = crossSectionalModality(current)
  const main = modality ? mainSeries(current.series, modality) : undefined
  if (!modality || !main) return undefined
  const bodyPart = studyBodyPart(current, main)
  for (const prior of priors) {
    const priorMain = mainSeries(prior.series, modality)
    if (!priorMain || !compatibleBodyParts(bodyPart, studyBodyPart(prior, priorMain))) continue
    const match = matchingSeries(main, prior.series)
    if (!match) continue
    return {
      protocolId: 'ct-mr-compare',
      pages: [{ layout: '1x2', viewports: [assign(current, main, 'current'), assign(prior, match, 'prior')] }],
      synchronise: { scroll: true, voi: true, zoom: true },
      flicker: false,
    }
  }
  return { protocolId: 'ct-mr-single', pages: [{ layout: '1x1', viewports: [assign(current, main, 'current')] }], synchronise: NO_SYNC, flicker: false }
}

// --- chest radiographs -------------------------------------------------------------------

const CHEST_DESCRIPTION = /chest|thorax|胸/i
const FRONTAL_VIEWS = ['PA', 'AP']

interface ChestImage {
  series: SeriesWithInstances
  instance: CachedInstance
}

function chestImages(study: StudyForHanging): ChestImage[] {
  const images: ChestImage[] = []
  for (const entry of study.series) {
    if (!RADIOGRAPHY.has(entry.series.modality.toUpperCase()) || !isImageSeries(entry)) continue
    for (const instance of entry.instances) {
      const bodyPart = normaliseBodyPart(instance.attributes?.bodyPartExamined)
      // a radiograph that names no body part is most likely a chest: they are most of the work
      if (bodyPart === 'CHEST' || CHEST_DESCRIPTION.test(entry.series.description) || !bodyPart) images.push({ series: entry, instance })
    }
  }
  return images
}

/** The image to compare: a frontal view when there is one (the same projection as `like` if possible). */
function pickChestImage(images: ChestImage[], like?: string): ChestImage | undefined {
  const rank = (image: ChestImage) => {
    const view = image.instance.attributes?.viewPosition ?? ''
    if (like && view === like) return 0
    const frontal = FRONTAL_VIEWS.indexOf(view)
    return frontal >= 0 ? 1 + frontal : view ? 4 : 3
  }
  return images.reduce<ChestImage | undefined>((best, image) => (!best || rank(image) < rank(best) ? image : best), undefined)
}

function planChest(current: StudyForHanging, priors: StudyForHanging[]): HangingPlan | undefined {
  const image = pickChestImage(chestImages(current))
  if (!image) return undefined
  for (const prior of priors) {
    const priorImage = pickChestImage(chestImages(prior), image.instance.attributes?.viewPosition)
    if (!priorImage) continue
    const viewports = [
      assign(current, image.series, 'current', { sopInstanceUid: image.instance.sopInstanceUid }),
      assign(prior, priorImage.series, 'prior', { sopInstanceUid: priorImage.instance.sopInstanceUid }),
    ]
    return { protocolId: 'chest-compare', pages: [{ layout: '1x2', viewports }], synchronise: { scroll: false, voi: false, zoom: true }, flicker: true }
  }
  return { protocolId: 'chest-single', pages: [{ layout: '1x1', viewports: [assign(current, image.series, 'current')] }], synchronise: NO_SYNC, flicker: false }
}

// --- ultrasound, anything else -----------------------------------------------------------

function planUltrasoundCine(current: StudyForHanging): HangingPlan | undefined {
  for (const entry of current.series) {
    if (entry.series.modality.toUpperCase() !== 'US') continue
    const clip = entry.instances.find((i) => i.numberOfFrames > 1)
    if (clip) {
      const viewport = assign(current, entry, 'current', { sopInstanceUid: clip.sopInstanceUid, cine: true })
      return { protocolId: 'us-cine', pages: [{ layout: '1x1', viewports: [viewport] }], synchronise: NO_SYNC, flicker: false }
    }
  }
  return undefined
}

function planDefault(current: StudyForHanging): HangingPlan {
  const first = current.series.find(isImageSeries)
  return { protocolId: 'default', pages: [{ layout: '1x1', viewports: first ? [assign(current, first, 'current')] : [] }], synchronise: NO_SYNC, flicker: false }
}

// --- preferences -------------------------------------------------------------------------

/** The reader's layout and synchronisation for this protocol; a smaller layout spreads the cells over more pages. */
function applyPreferences(plan: HangingPlan, preferences: HangingPreferences | undefined): HangingPlan {
  const preference = preferences?.[plan.protocolId]
  if (!preference) return plan
  const synchronise = { ...plan.synchronise, ...preference.synchronise }
  const layout = preference.layout
  if (!layout || !isLayoutId(layout)) return { ...plan, synchronise }
  const cells = layoutCellCount(layout)
  const pages = plan.pages.flatMap((page) => {
    if (page.viewports.length <= cells) return [{ layout, viewports: page.viewports }]
    const split: HangingPage[] = []
    for (let i = 0; i < page.viewports.length; i += cells) split.push({ layout, viewports: page.viewports.slice(i, i + cells) })
    return split
  })
  return { ...plan, pages, synchronise }
}

/**
 * The hanging plan for a study and the reader's other studies of the same patient. Tried in
 * order: mammography four-view, CT/MR (beside the most recent relevant prior), US cine,
 * chest radiograph (beside the most recent chest prior, for flicker), then the first series.
 */
export function planHanging(current: StudyForHanging, priors: readonly StudyForHanging[], preferences?: HangingPreferences): HangingPlan {
  const earlier = priorsOf(current, priors)
  const plan = planMammo(current, earlier) ?? planCrossSectional(current, earlier) ?? planUltrasoundCine(current) ?? planChest(current, earlier) ?? planDefault(current)
  return applyPreferences(plan, preferences)
}
