/**
 * Reader statistics for quality control of double reading: per reader and period, cases read,
 * median reading time, agreement with the other reader, and the further-examination rate
 * (要精検率) by facility and modality. Computed from stored reads as first submitted (a later
 * correction does not improve the agreement a reader had), as a pure function over rows the
 * query below gathers, and exported as JSON or CSV.
 */
import type { ReaderStatistics } from '../shared/reading-case-contract.ts'
import { overallJudgementsAgree } from '../shared/read-comparison.ts'
import type { Queryable } from './database.ts'

export interface StatisticsRead {
  readerId: string
  readerName: string
  facilityId: string
  modality: string
  startedAt?: Date
  submittedAt: Date
  overallJudgement: string
  requiresFurtherExamination: boolean
  /** The other read of a double-read case, when it is in. */
  partner?: { overallJudgement: string; requiresFurtherExamination: boolean }
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

export function readerStatistics(reads: readonly StatisticsRead[]): ReaderStatistics['readers'] {
  const byReader = new Map<string, StatisticsRead[]>()
  for (const r of reads) byReader.set(r.readerId, [...(byReader.get(r.readerId) ?? []), r])
  return [...byReader.entries()]
    .map(([readerId, own]) => {
      const compared = own.filter((r) => r.partner)
      const agreements = compared.filter((r) => overallJudgementsAgree(r, r.partner!)).length
      const groups = new Map<string, StatisticsRead[]>()
      for (const r of own) groups.set(`${r.facilityId}\u0000${r.modality}`, [...(groups.get(`${r.facilityId}\u0000${r.modality}`) ?? []), r])
      return {
        readerId,
        readerName: own[0]!.readerName,
        casesRead: own.length,
        medianReadingSeconds: median(own.filter((r) => r.startedAt && r.startedAt <= r.submittedAt).map((r) => (r.submittedAt.getTime() - r.startedAt!.getTime()) / 1000)),
        comparedCases: compared.length,
        agreements,
        agreementRate: compared.length ? agreements / compared.length : null,
        byFacilityModality: [...groups.values()]
          .map((g) => {
            const further = g.filter((r) => r.requiresFurtherExamination).length
            return { facilityId: g[0]!.facilityId, modality: g[0]!.modality, reads: g.length, furtherExaminations: further, furtherExaminationRate: further / g.length }
          })
          .sort((a, b) => a.facilityId.localeCompare(b.facilityId) || a.modality.localeCompare(b.modality)),
      }
    })
    .sort((a, b) => a.readerName.localeCompare(b.readerName) || a.readerId.localeCompare(b.readerId))
}

/** Reads submitted in [from, to), optionally of one reader, with their double-reading partner's judgement. */
export async function statisticsReads(db: Queryable, from: Date, to: Date, readerId?: string): Promise<StatisticsRead[]> {
  const { rows } = await db.query<{
    reader_id: string
    display_name: string
    facility_id: string
    modalities: string[]
    started_at: Date | null
    submitted_at: Date
    overall_judgement: string
    requires_further_examination: boolean
    partner_judgement: string | null
    partner_further: boolean | null
  }>(
    `select r.reader_id, u.display_name, r.facility_id, s.modalities, a.started_at, r.submitted_at, r.overall_judgement,
            r.requires_further_examination, p.overall_judgement as partner_judgement, p.requires_further_examination as partner_further
       from reports r
       join assignments a on a.id = r.assignment_id
       join users u on u.id = r.reader_id
       join studies s on s.study_instance_uid = r.study_instance_uid
       left join reading_cases c on c.id = a.case_id
       left join assignments pa on c.workflow = 'double' and pa.case_id = a.case_id and pa.id <> a.id
                                and pa.reading_type in ('first', 'second') and a.reading_type in ('first', 'second')
       left join reports p on p.assignment_id = pa.id
      where r.submitted_at >= $1 and r.submitted_at < $2 and ($3::text is null or r.reader_id = $3)`,
    [from, to, readerId ?? null],
  )
  return rows.map((r) => ({
    readerId: r.reader_id,
    readerName: r.display_name,
    facilityId: r.facility_id,
    // The study's first modality names it (a CT study with an SR series is a CT).
    modality: r.modalities[0] ?? '',
    ...(r.started_at ? { startedAt: r.started_at } : {}),
    submittedAt: r.submitted_at,
    overallJudgement: r.overall_judgement,
    requiresFurtherExamination: r.requires_further_examination,
    ...(r.partner_judgement !== null ? { partner: { overallJudgement: r.partner_judgement, requiresFurtherExamination: r.partner_further ?? false } } : {}),
  }))
}

const CSV_COLUMNS = [
  'reader_id',
  'reader_name',
  'period_from',
  'period_to',
  'cases_read',
  'median_reading_seconds',
  'compared_cases',
  'agreements',
  'agreement_rate',
  'facility_id',
  'modality',
  'reads',
  'further_examinations',
  'further_examination_rate',
] as const

const csvCell = (value: string | number | null) => {
  const text = value === null ? '' : String(value)
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/**
 * One row per reader, facility and modality, the reader's totals repeated on each; UTF-8 with a
 * byte-order mark so that spreadsheet software opens Japanese names correctly.
 */
export function statisticsCsv(stats: ReaderStatistics): string {
  const lines: string[] = [CSV_COLUMNS.join(',')]
  for (const r of stats.readers) {
    const totals = [r.readerId, r.readerName, stats.from, stats.to, r.casesRead, r.medianReadingSeconds, r.comparedCases, r.agreements, r.agreementRate]
    for (const g of r.byFacilityModality) {
      lines.push([...totals, g.facilityId, g.modality, g.reads, g.furtherExaminations, g.furtherExaminationRate].map(csvCell).join(','))
    }
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`
}
