/**
 * A measurement as the report panel lists it: "Length 23.4 mm", "Ellipse ROI mean 41.2 HU",
 * "Angle 35.0°" — the kind and the value a reader looks at first, with its unit.
 */
import { formatMeasuredValue, measuredValues, type Measurement } from '../../../shared/report-annotations.ts'
import type { MessageKey } from '../i18n/messages.ts'

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string

const ROI_QUANTITIES = { mean: 'measurement.quantity.mean', stdDev: 'measurement.quantity.stdDev', min: 'measurement.quantity.min', max: 'measurement.quantity.max', area: 'measurement.quantity.area' } as const

/** One line: the kind, and the first value (an ROI names it: mean, or area when it has no mean). */
export function measurementLabel(m: Measurement, t: Translate): string {
  const kind = t(`measurement.kind.${m.kind}`)
  const [first] = measuredValues(m)
  if (!first) return `${kind} (${t('measurement.noValue')})`
  const quantity = first.quantity in ROI_QUANTITIES ? `${t(ROI_QUANTITIES[first.quantity as keyof typeof ROI_QUANTITIES])} ` : ''
  return `${kind} ${quantity}${formatMeasuredValue(first)}`
}

/** Every value of the measurement, for a tooltip: "mean 41.2 HU, SD 3.1 HU, …, area 78.5 mm²". */
export function measurementDetails(m: Measurement, t: Translate): string {
  const values = measuredValues(m).map((v) => (v.quantity in ROI_QUANTITIES ? `${t(ROI_QUANTITIES[v.quantity as keyof typeof ROI_QUANTITIES])} ` : '') + formatMeasuredValue(v))
  const notes = [m.label?.trim(), m.lengthUnit === 'px' ? t('measurement.uncalibrated') : ''].filter(Boolean)
  return [...values, ...notes].join(', ')
}
