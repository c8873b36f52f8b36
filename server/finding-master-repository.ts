/**
 * Finding master versions per facility. A version is written once and never changed (the
 * table's trigger refuses it); importing adds the next version, and a version becomes frozen
 * when the first report uses it.
 */
import type { FindingMaster } from '../shared/finding-master.ts'
import type { MasterImportRequest } from '../shared/report-contract.ts'
import type { Queryable } from './database.ts'

/** A master's content as stored: everything but the columns facility, version and frozen. */
export type MasterContent = Omit<MasterImportRequest, 'facilityId'>

interface MasterRow {
  facility_id: string
  version: number
  content: MasterContent
  frozen: boolean
}

function toMaster(row: MasterRow): FindingMaster {
  const { name, scales, bodyParts, findings, rules } = row.content
  return { facilityId: row.facility_id, version: row.version, name, frozen: row.frozen, scales, bodyParts, findings, rules }
}

/** The facility's newest version, or undefined when it has none. */
export async function latestMaster(db: Queryable, facilityId: string): Promise<FindingMaster | undefined> {
  const { rows } = await db.query<MasterRow>(
    'select facility_id, version, content, frozen from finding_masters where facility_id = $1 order by version desc limit 1',
    [facilityId],
  )
  return rows[0] && toMaster(rows[0])
}

export async function masterVersion(db: Queryable, facilityId: string, version: number): Promise<FindingMaster | undefined> {
  const { rows } = await db.query<MasterRow>(
    'select facility_id, version, content, frozen from finding_masters where facility_id = $1 and version = $2',
    [facilityId, version],
  )
  return rows[0] && toMaster(rows[0])
}

/**
 * Stores the content as the facility's next version and returns its number. Locks the
 * facility row first, so two imports at once get consecutive versions instead of a conflict.
 * Returns undefined for an unknown facility.
 */
export async function insertNextMasterVersion(tx: Queryable, facilityId: string, content: MasterContent): Promise<number | undefined> {
  const facility = await tx.query('select 1 from facilities where id = $1 for update', [facilityId])
  if (facility.rows.length === 0) return undefined
  const { rows } = await tx.query<{ version: number }>(
    `insert into finding_masters (facility_id, version, content)
     select $1, coalesce(max(version), 0) + 1, $2::jsonb from finding_masters where facility_id = $1
     returning version`,
    [facilityId, JSON.stringify(content)],
  )
  return rows[0]?.version
}

/** Marks the version as used by a report; it may never change again (it never does anyway). */
export async function freezeMasterVersion(tx: Queryable, facilityId: string, version: number): Promise<void> {
  await tx.query('update finding_masters set frozen = true where facility_id = $1 and version = $2 and not frozen', [facilityId, version])
}
