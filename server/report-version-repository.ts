/**
 * Versions of a submitted report. Version 1 is the report as submitted (the reports row);
 * corrections by its reader and amendments by its checker are versions 2.., each stored once
 * (idempotency key) and never changed (a trigger refuses it).
 */
import type { ReportContent } from '../shared/finding-master.ts'
import type { ReportVersion } from '../shared/reading-case-contract.ts'
import type { Queryable } from './database.ts'

interface VersionRow {
  report_id: string
  version: number
  kind: ReportVersion['kind']
  author_id: string
  display_name: string
  reason: string
  content: ReportContent
  overall_judgement: string
  requires_further_examination: boolean
  created_at: Date
}

const toVersion = (r: VersionRow): ReportVersion => ({
  reportId: r.report_id,
  version: r.version,
  kind: r.kind,
  authorId: r.author_id,
  authorName: r.display_name,
  reason: r.reason,
  content: r.content,
  overallJudgement: r.overall_judgement,
  requiresFurtherExamination: r.requires_further_examination,
  createdAt: r.created_at.toISOString(),
})

const VERSIONS_SQL = `
  select r.id as report_id, 1 as version, 'original' as kind, r.reader_id as author_id, u.display_name, '' as reason,
         r.content, r.overall_judgement, r.requires_further_examination, r.submitted_at as created_at
    from reports r join users u on u.id = r.reader_id where r.id = $1
  union all
  select v.report_id, v.version, v.kind, v.author_id, u.display_name, v.reason,
         v.content, v.overall_judgement, v.requires_further_examination, v.created_at
    from report_versions v join users u on u.id = v.author_id where v.report_id = $1
  order by version`

/** Every version, the original first; empty for an unknown report. */
export async function reportVersions(db: Queryable, reportId: string): Promise<ReportVersion[]> {
  const { rows } = await db.query<VersionRow>(VERSIONS_SQL, [reportId])
  return rows.map(toVersion)
}

export async function latestReportVersion(db: Queryable, reportId: string): Promise<ReportVersion | undefined> {
  return (await reportVersions(db, reportId)).at(-1)
}

export interface NewReportVersion {
  reportId: string
  kind: 'correction' | 'amendment'
  authorId: string
  reason: string
  content: ReportContent
  overallJudgement: string
  requiresFurtherExamination: boolean
  idempotencyKey: string
  createdAt: Date
}

/** Appends the next version unless the key already stored one; returns its number, or undefined for a replayed key. */
export async function appendReportVersion(tx: Queryable, v: NewReportVersion): Promise<number | undefined> {
  const { rows } = await tx.query<{ version: number }>(
    `insert into report_versions (report_id, version, kind, author_id, reason, content, overall_judgement, requires_further_examination, idempotency_key, created_at)
     values ($1, (select coalesce(max(version), 1) + 1 from report_versions where report_id = $1), $2, $3, $4, $5::jsonb, $6, $7, $8, $9)
     on conflict (idempotency_key) do nothing
     returning version`,
    [v.reportId, v.kind, v.authorId, v.reason, JSON.stringify(v.content), v.overallJudgement, v.requiresFurtherExamination, v.idempotencyKey, v.createdAt],
  )
  return rows[0]?.version
}

/** The report and version a key stored, for answering a retried request. */
export async function versionByKey(db: Queryable, key: string): Promise<{ reportId: string; version: number } | undefined> {
  const { rows } = await db.query<{ report_id: string; version: number }>('select report_id, version from report_versions where idempotency_key = $1', [key])
  return rows[0] && { reportId: rows[0].report_id, version: rows[0].version }
}
