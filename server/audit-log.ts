/**
 * The operation log's store: appending entries to the hash chain, searching them and verifying
 * the chain. Appends run one at a time (a row lock on the chain head, inside one transaction), so
 * two requests can never both link to the same predecessor and fork the chain. The table refuses
 * UPDATE, DELETE and TRUNCATE (migration 5); the chain catches whoever goes around that.
 */
import { AUDIT_KINDS, type AuditKind, type AuditOutcome } from '../shared/audit-codes.ts'
import type { AuditEntry } from '../shared/audit-contract.ts'
import { ChainVerifier, GENESIS_HASH, entryHash, type ChainBreak, type ChainedFields } from './audit-chain.ts'
import type { Queryable, ReadingDatabase } from './database.ts'

/** One event to append; the coding (EventID, type, action) follows from its kind. */
export interface NewAuditEvent {
  kind: AuditKind
  outcome?: AuditOutcome
  source: 'server' | 'workstation'
  userId?: string | null
  username?: string | null
  studyInstanceUid?: string | null
  assignmentId?: string | null
  clientTime?: string | null
  /** The workstation's id for the event; with the user, recorded at most once. */
  clientEventId?: string | null
  detail?: Record<string, unknown>
}

export interface AppendResult {
  recorded: number
  duplicates: number
}

interface AuditRow {
  seq: number | string
  kind: string
  event_id: string
  event_type: string | null
  action: string
  outcome: number
  source: string
  user_id: string | null
  username: string | null
  study_instance_uid: string | null
  assignment_id: string | null
  server_time: Date
  client_time: string | null
  client_event_id: string | null
  detail: Record<string, unknown>
  prev_hash: string
  hash: string
}

const COLUMNS =
  'seq, kind, event_id, event_type, action, outcome, source, user_id, username, study_instance_uid, assignment_id, server_time, client_time, client_event_id, detail, prev_hash, hash'

function entryOf(row: AuditRow): AuditEntry {
  return {
    seq: Number(row.seq),
    kind: row.kind as AuditKind,
    eventId: row.event_id,
    eventType: row.event_type,
    action: row.action as AuditEntry['action'],
    outcome: row.outcome as AuditOutcome,
    source: row.source as AuditEntry['source'],
    userId: row.user_id,
    username: row.username,
    studyInstanceUid: row.study_instance_uid,
    assignmentId: row.assignment_id,
    serverTime: new Date(row.server_time).toISOString(),
    clientTime: row.client_time,
    clientEventId: row.client_event_id,
    detail: row.detail ?? {},
    prevHash: row.prev_hash,
    hash: row.hash,
  }
}

function chainedFields(entry: AuditEntry): ChainedFields {
  const { hash: _hash, ...fields } = entry
  return fields
}

/**
 * Appends events in order, in one transaction; events whose (user, client id) is already in the
 * log are skipped, so a retried workstation batch is recorded once.
 */
export async function appendAuditEvents(db: ReadingDatabase, events: readonly NewAuditEvent[], now: Date): Promise<AppendResult> {
  if (events.length === 0) return { recorded: 0, duplicates: 0 }
  return db.transaction(async (tx) => {
    // The head row is the chain's lock: every append takes it first, so appends never interleave
    // (made here if missing, so that even the very first appends of two servers queue on it).
    await tx.query('insert into audit_chain_head (id, seq, hash) values (1, 0, $1) on conflict (id) do nothing', [GENESIS_HASH])
    const head = await tx.query<{ seq: number | string; hash: string }>('select seq, hash from audit_chain_head where id = 1 for update')
    let seq = head.rows[0] ? Number(head.rows[0].seq) : 0
    let prevHash = head.rows[0]?.hash ?? GENESIS_HASH
    let recorded = 0
    let duplicates = 0
    const seen = new Set<string>()
    for (const event of events) {
      if (event.clientEventId) {
        const key = `${event.userId ?? ''}\u0000${event.clientEventId}`
        const known = seen.has(key) || (await isRecorded(tx, event.userId ?? null, event.clientEventId))
        seen.add(key)
        if (known) {
          duplicates += 1
          continue
        }
      }
      const coding = AUDIT_KINDS[event.kind]
      seq += 1
      const fields: ChainedFields = {
        seq,
        kind: event.kind,
        eventId: coding.eventId.code,
        eventType: 'eventType' in coding ? coding.eventType.code : null,
        action: coding.action,
        outcome: event.outcome ?? 0,
        source: event.source,
        userId: event.userId ?? null,
        username: event.username ?? null,
        studyInstanceUid: event.studyInstanceUid ?? null,
        assignmentId: event.assignmentId ?? null,
        serverTime: now.toISOString(),
        clientTime: event.clientTime ?? null,
        clientEventId: event.clientEventId ?? null,
        // stored as jsonb: what comes back must hash the same, so only JSON values go in
        detail: JSON.parse(JSON.stringify(event.detail ?? {})) as Record<string, unknown>,
        prevHash,
      }
      const hash = entryHash(fields)
      await tx.query(
        `insert into audit_events (${COLUMNS}) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
        [
          fields.seq, fields.kind, fields.eventId, fields.eventType, fields.action, fields.outcome, fields.source, fields.userId,
          fields.username, fields.studyInstanceUid, fields.assignmentId, now, fields.clientTime, fields.clientEventId,
          JSON.stringify(fields.detail), fields.prevHash, hash,
        ],
      )
      prevHash = hash
      recorded += 1
    }
    if (recorded > 0) await tx.query('update audit_chain_head set seq = $1, hash = $2 where id = 1', [seq, prevHash])
    return { recorded, duplicates }
  })
}

async function isRecorded(db: Queryable, userId: string | null, clientEventId: string): Promise<boolean> {
  const { rows } = await db.query('select 1 from audit_events where user_id is not distinct from $1 and client_event_id = $2', [userId, clientEventId])
  return rows.length > 0
}

export interface AuditSearch {
  /** A user id or user name. */
  user?: string
  study?: string
  kind?: AuditKind
  from?: Date
  to?: Date
  limit: number
  /** Oldest first (export) instead of newest first (search). */
  ascending?: boolean
}

/** Entries matching every given filter; `to` is exclusive. */
export async function searchAuditEvents(db: Queryable, search: AuditSearch): Promise<{ entries: AuditEntry[]; truncated: boolean }> {
  const where: string[] = []
  const params: unknown[] = []
  const add = (sql: (p: string) => string, value: unknown) => {
    params.push(value)
    where.push(sql(`$${params.length}`))
  }
  if (search.user !== undefined) add((p) => `(user_id = ${p} or username = ${p})`, search.user)
  if (search.study !== undefined) add((p) => `study_instance_uid = ${p}`, search.study)
  if (search.kind !== undefined) add((p) => `kind = ${p}`, search.kind)
  if (search.from !== undefined) add((p) => `server_time >= ${p}`, search.from)
  if (search.to !== undefined) add((p) => `server_time < ${p}`, search.to)
  params.push(search.limit + 1)
  const { rows } = await db.query<AuditRow>(
    `select ${COLUMNS} from audit_events ${where.length ? `where ${where.join(' and ')}` : ''}
      order by seq ${search.ascending ? 'asc' : 'desc'} limit $${params.length}`,
    params,
  )
  return { entries: rows.slice(0, search.limit).map(entryOf), truncated: rows.length > search.limit }
}

export interface AuditVerification {
  ok: boolean
  checked: number
  firstBroken: ChainBreak | null
}

/** Walks the whole chain in pages and names the first entry that does not hold. */
export async function verifyAuditChain(db: Queryable, pageSize = 1000): Promise<AuditVerification> {
  const verifier = new ChainVerifier()
  let after = 0
  for (;;) {
    const { rows } = await db.query<AuditRow>(`select ${COLUMNS} from audit_events where seq > $1 order by seq limit $2`, [after, pageSize])
    for (const row of rows) {
      const entry = entryOf(row)
      if (!verifier.add({ ...chainedFields(entry), hash: entry.hash })) break
    }
    if (verifier.broken || rows.length < pageSize) break
    after = Number(rows[rows.length - 1]!.seq)
  }
  const head = await db.query<{ seq: number | string; hash: string }>('select seq, hash from audit_chain_head where id = 1')
  const headRow = head.rows[0]
  const firstBroken = verifier.finish(headRow ? { seq: Number(headRow.seq), hash: headRow.hash } : null)
  return { ok: firstBroken === null, checked: verifier.checked, firstBroken }
}
