/**
 * What each viewport of the grid shows, from the hanging plan's cells and the series the
 * cache holds of the study and its priors: image IDs, slice geometry for synchronised
 * scrolling, the corner text, mirroring and the label.
 */
import type { Assignment } from '../../../shared/api-contract.ts'
import type { CachedInstance } from '../cache/workstation-db.ts'
import { formatDicomDate } from '../i18n/format.ts'
import type { SeriesWithInstances } from '../repositories/study-repository.ts'
import type { OpenPrior } from '../stores/study-store.ts'
import { imageIdsForInstance } from '../viewer/cached-image-id.ts'
import type { HangingCell, ViewportAssignment } from '../viewer/hanging-protocol.ts'
import { sliceNormal, type StackGeometry } from '../viewer/slice-sync.ts'
import type { GridCellContent } from '../viewer/viewport-grid.tsx'

export interface OpenStudyImages {
  assignment: Assignment
  series: readonly SeriesWithInstances[]
  priors: readonly OpenPrior[]
}

export interface CellTexts {
  /** e.g. "前回 2024-06-10" for a prior. */
  prior(date: string): string
  /** Said on a mammography view whose mirroring could not be checked (no usable Patient Orientation). */
  orientationUnchecked: string
}

/** The series an assignment names, in the open study or one of its priors. */
export function findSeries(images: OpenStudyImages, studyInstanceUid: string, seriesInstanceUid: string): SeriesWithInstances | undefined {
  const list = studyInstanceUid === images.assignment.studyInstanceUid ? images.series : images.priors.find((p) => p.studyInstanceUid === studyInstanceUid)?.series
  return list?.find((s) => s.series.seriesInstanceUid === seriesInstanceUid)
}

/** Slice positions of a single-frame stack, for synchronised scrolling; none for multi-frame images. */
export function stackGeometry(instances: readonly CachedInstance[]): StackGeometry | undefined {
  if (instances.length < 2 || instances.some((i) => i.numberOfFrames > 1)) return undefined
  const first = instances[0]!.attributes
  const normal = sliceNormal(first?.imageOrientationPatient)
  if (!normal) return undefined
  return { frameOfReferenceUid: first?.frameOfReferenceUid, normal, positions: instances.map((i) => i.attributes?.imagePositionPatient) }
}

function cornersFor(images: OpenStudyImages, assignment: ViewportAssignment, texts: CellTexts, series: SeriesWithInstances): GridCellContent['corners'] {
  const a = images.assignment
  const prior = assignment.role === 'prior' ? images.priors.find((p) => p.studyInstanceUid === assignment.studyInstanceUid) : undefined
  const description = series.series.description || prior?.studyDescription || a.studyDescription
  return {
    topLeft: [a.patientDisplay, `${a.patientSex} ${a.patientAge}`.trim(), a.facilityName].filter(Boolean),
    topRight: [prior ? texts.prior(formatDicomDate(prior.studyDate)) : formatDicomDate(a.studyDate), series.series.modality, description].filter(Boolean),
  }
}

/** A grid cell's content, or null when its series is not (yet) in the cache or the plan left it empty. */
export function cellContent(images: OpenStudyImages, cell: HangingCell | null, texts: CellTexts): GridCellContent | null {
  if (!cell || 'empty' in cell) return null
  const series = findSeries(images, cell.studyInstanceUid, cell.seriesInstanceUid)
  if (!series) return null
  const instances = cell.sopInstanceUid ? series.instances.filter((i) => i.sopInstanceUid === cell.sopInstanceUid) : series.instances
  if (instances.length === 0) return null
  const prior = cell.role === 'prior' ? images.priors.find((p) => p.studyInstanceUid === cell.studyInstanceUid) : undefined
  const priorLabel = prior ? texts.prior(formatDicomDate(prior.studyDate)) : undefined
  return {
    key: `${cell.studyInstanceUid}/${cell.seriesInstanceUid}/${cell.sopInstanceUid ?? '*'}/${instances.length}/${cell.flipHorizontal ? 'F' : ''}`,
    imageIds: instances.flatMap((i) => imageIdsForInstance(i.sopInstanceUid, i.numberOfFrames)),
    corners: cornersFor(images, cell, texts, series),
    geometry: stackGeometry(instances),
    flipHorizontal: cell.flipHorizontal,
    alignEdge: cell.chestWallEdge,
    autoCine: cell.cine,
    label: [cell.label, priorLabel, cell.orientationProblem ? texts.orientationUnchecked : undefined].filter(Boolean).join(' ') || undefined,
    role: cell.role,
  }
}

/** The label of an empty cell the plan wanted (a missing mammography view). */
export function emptyCellLabel(cell: HangingCell | null): string | undefined {
  return cell && 'empty' in cell ? cell.label : undefined
}
