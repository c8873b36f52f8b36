/**
 * Keeps Cornerstone's annotations and the report draft's measurements in step: what the
 * reader draws, edits or deletes becomes a Measurement (world coordinates plus the values
 * Cornerstone computed), and the draft's measurements become annotations again when a study
 * is reopened — so measurements survive a restart with the draft that holds them.
 */
import { eventTarget, getRenderingEngines } from '@cornerstonejs/core'
import { annotation as annotationApi, AngleTool, EllipticalROITool, Enums, LengthTool, ProbeTool, RectangleROITool, type Types } from '@cornerstonejs/tools'
import type { Measurement } from '../../../shared/report-annotations.ts'
import { frameOf, sopInstanceUidOf } from './cached-image-id.ts'
import { lengthUnitOf } from './measurement-units.ts'

type Kind = Measurement['kind']
type Point3 = [number, number, number]

const TOOL_OF_KIND: Record<Kind, string> = {
  length: LengthTool.toolName,
  angle: AngleTool.toolName,
  ellipse: EllipticalROITool.toolName,
  rectangle: RectangleROITool.toolName,
  probe: ProbeTool.toolName,
}
const KIND_OF_TOOL = new Map(Object.entries(TOOL_OF_KIND).map(([kind, tool]) => [tool, kind as Kind]))

type Stats = Record<string, unknown>
const finite = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined)
const point3 = (p: ArrayLike<number>): Point3 => [Number(p[0]), Number(p[1]), Number(p[2])]

/** The measurement an annotation stands for, or null for annotations that are not measurements (or not of a cached image). */
export function measurementOf(annotation: Types.Annotation, seriesOf: (sopInstanceUid: string) => string | undefined): Measurement | null {
  const metadata = annotation.metadata
  const kind = metadata && KIND_OF_TOOL.get(metadata.toolName)
  const imageId = metadata?.referencedImageId
  const uid = annotation.annotationUID
  if (!metadata || !kind || !imageId || !uid || !imageId.startsWith('wscache:')) return null
  const sopInstanceUid = sopInstanceUidOf(imageId)
  const seriesInstanceUid = seriesOf(sopInstanceUid)
  const points = annotation.data.handles?.points ?? []
  if (!seriesInstanceUid || points.length === 0) return null
  const stats = (Object.values(annotation.data.cachedStats ?? {})[0] ?? {}) as Stats
  const values: Measurement['values'] = {}
  for (const name of ['angle', 'mean', 'stdDev', 'min', 'max', 'value'] as const) {
    const v = finite(stats[name])
    if (v !== undefined) values[name] = v
  }
  // lengths and areas only in a unit the report knows (cm becomes mm; %, dB and the like are left out)
  const lengthUnit = lengthUnitOf(typeof stats.unit === 'string' ? stats.unit : undefined)
  const areaUnit = lengthUnitOf(typeof stats.areaUnit === 'string' ? stats.areaUnit : undefined)
  const length = finite(stats.length)
  const area = finite(stats.area)
  if (length !== undefined && lengthUnit) values.length = length * lengthUnit.factor
  if (area !== undefined && areaUnit) values.area = area * areaUnit.factor ** 2
  const unit = lengthUnit?.unit ?? areaUnit?.unit
  const frame = frameOf(imageId)
  const { viewPlaneNormal, viewUp, FrameOfReferenceUID } = metadata
  return {
    id: uid,
    kind,
    sopInstanceUid,
    ...(frame !== undefined ? { frame } : {}),
    seriesInstanceUid,
    ...(FrameOfReferenceUID ? { frameOfReferenceUid: FrameOfReferenceUID } : {}),
    viewPlaneNormal: viewPlaneNormal ? point3(viewPlaneNormal) : [0, 0, 1],
    viewUp: viewUp ? point3(viewUp) : [0, -1, 0],
    points: points.slice(0, 8).map(point3),
    values,
    // Cornerstone says 'px' (or 'px²') when the image has no usable pixel spacing
    ...(unit && kind !== 'angle' && kind !== 'probe' ? { lengthUnit: unit } : {}),
    ...(typeof stats.modalityUnit === 'string' ? { intensityUnit: stats.modalityUnit } : {}),
    ...(annotation.data.label ? { label: String(annotation.data.label).slice(0, 200) } : {}),
  }
}

function annotationOf(measurement: Measurement, imageId: string): Types.Annotation {
  return {
    annotationUID: measurement.id,
    highlighted: false,
    isLocked: false,
    isVisible: true,
    invalidated: true,
    metadata: {
      toolName: TOOL_OF_KIND[measurement.kind],
      referencedImageId: imageId,
      viewPlaneNormal: measurement.viewPlaneNormal,
      viewUp: measurement.viewUp,
      // absent, not '': annotations of an image without a frame of reference are filed under
      // that absence, and the tools look them up the same way
      FrameOfReferenceUID: measurement.frameOfReferenceUid,
    },
    data: {
      handles: { points: measurement.points.map((p) => [...p] as Point3), activeHandleIndex: null, textBox: { hasMoved: false } },
      cachedStats: {},
      label: measurement.label ?? '',
    },
  } as unknown as Types.Annotation
}

export interface MeasurementListener {
  changed(measurement: Measurement): void
  removed(id: string): void
}

/**
 * Listens to annotation events; `seriesOf` maps a SOP Instance UID of the open study or its
 * priors to its series. Returns the function that stops listening.
 */
export function listenToMeasurements(seriesOf: (sopInstanceUid: string) => string | undefined, listener: MeasurementListener): () => void {
  const onChange = (event: Event) => {
    const { annotation } = (event as CustomEvent<{ annotation: Types.Annotation }>).detail
    const measurement = annotation && measurementOf(annotation, seriesOf)
    if (measurement) listener.changed(measurement)
  }
  const onRemoved = (event: Event) => {
    const { annotation } = (event as CustomEvent<{ annotation: Types.Annotation }>).detail
    if (annotation?.annotationUID && annotation.metadata && KIND_OF_TOOL.has(annotation.metadata.toolName)) listener.removed(annotation.annotationUID)
  }
  const { ANNOTATION_COMPLETED, ANNOTATION_MODIFIED, ANNOTATION_REMOVED } = Enums.Events
  eventTarget.addEventListener(ANNOTATION_COMPLETED, onChange)
  eventTarget.addEventListener(ANNOTATION_MODIFIED, onChange)
  eventTarget.addEventListener(ANNOTATION_REMOVED, onRemoved)
  return () => {
    eventTarget.removeEventListener(ANNOTATION_COMPLETED, onChange)
    eventTarget.removeEventListener(ANNOTATION_MODIFIED, onChange)
    eventTarget.removeEventListener(ANNOTATION_REMOVED, onRemoved)
  }
}

/**
 * Makes Cornerstone's annotations match the draft: adds the draft's measurements it lacks,
 * and removes those it showed before that the draft no longer has (deleted from the report
 * panel). `shown` is the set of IDs this function put or found there, kept by the caller.
 */
export function showMeasurements(measurements: readonly Measurement[], imageIdOf: (m: Measurement) => string, shown: Set<string>): void {
  const wanted = new Set(measurements.map((m) => m.id))
  let changed = false
  for (const id of [...shown]) {
    if (wanted.has(id)) continue
    shown.delete(id)
    if (annotationApi.state.getAnnotation(id)) {
      annotationApi.state.removeAnnotation(id)
      changed = true
    }
  }
  for (const measurement of measurements) {
    shown.add(measurement.id)
    if (annotationApi.state.getAnnotation(measurement.id)) continue
    // filed by its metadata's frame of reference (a string selector is ignored), as when it was drawn
    annotationApi.state.addAnnotation(annotationOf(measurement, imageIdOf(measurement)), measurement.frameOfReferenceUid ?? '')
    changed = true
  }
  if (changed) for (const engine of getRenderingEngines() ?? []) engine.render()
}

/** Removes the selected measurements (the reader pressed Delete); false when none was selected. */
export function deleteSelectedMeasurements(): boolean {
  const selected = annotationApi.selection.getAnnotationsSelected() ?? []
  let removed = false
  for (const uid of selected) {
    const found = annotationApi.state.getAnnotation(uid)
    if (found?.metadata && KIND_OF_TOOL.has(found.metadata.toolName)) {
      annotationApi.state.removeAnnotation(uid)
      removed = true
    }
  }
  if (removed) for (const engine of getRenderingEngines() ?? []) engine.render()
  return removed
}

/** Forgets every annotation (the study was closed). */
export function clearMeasurements(): void {
  annotationApi.state.removeAllAnnotations()
}
