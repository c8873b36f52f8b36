/** Creating, changing and removing assignments. Reading them as the contract shows them is worklist-query.ts. */
import { randomUUID } from 'node:crypto'
import type { AssignmentStatus, Priority, ReadingType } from '../shared/domain.ts'
import type { Queryable } from './database.ts'
import { placeInCase } from './reading-case-repository.ts'

export interface NewAssignment {
  studyInstanceUid: string
  readerUserId: string
  readingType: ReadingType
  priority: Priority
  dueAt: Date
  status?: AssignmentStatus
}

/**
 * Inserts an assignment into its study's reading case and returns its id. Routing is checked
 * there: 409 when the reader already holds a reading of the case or the workflow cannot take it.
 */
export async function insertAssignment(db: Queryable, assignment: NewAssignment, assignedAt: Date): Promise<string> {
  const id = randomUUID()
  const caseId = await placeInCase(db, assignment.studyInstanceUid, assignment.readerUserId, assignment.readingType)
  await db.query(
    `insert into assignments (id, study_instance_uid, reader_user_id, reading_type, priority, status, due_at, assigned_at, case_id)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      id,
      assignment.studyInstanceUid,
      assignment.readerUserId,
      assignment.readingType,
      assignment.priority,
      assignment.status ?? 'assigned',
      assignment.dueAt,
      assignedAt,
      caseId,
    ],
  )
  return id
}

/** Whether the reader already holds this reading of the study (the table allows one). */
export async function assignmentExists(
  db: Queryable,
  key: Pick<NewAssignment, 'studyInstanceUid' | 'readerUserId' | 'readingType'>,
): Promise<boolean> {
  const { rows } = await db.query(
    'select 1 from assignments where study_instance_uid = $1 and reader_user_id = $2 and reading_type = $3',
    [key.studyInstanceUid, key.readerUserId, key.readingType],
  )
  return rows.length > 0
}

/** Sets the status; returns the reader whose worklist changed, or undefined for an unknown id. */
export async function updateAssignmentStatus(db: Queryable, id: string, status: AssignmentStatus): Promise<string | undefined> {
  const { rows } = await db.query<{ reader_user_id: string }>(
    'update assignments set status = $2 where id = $1 returning reader_user_id',
    [id, status],
  )
  return rows[0]?.reader_user_id
}

/**
 * Deletes the assignment; returns the reader whose worklist changed, or undefined for an unknown id.
 * While no read of its case is in, the case's workflow follows the assignments that remain, so
 * an admin can undo a mistaken routing (a second read removed makes it a single read again).
 */
export async function deleteAssignment(db: Queryable, id: string): Promise<string | undefined> {
  const { rows } = await db.query<{ reader_user_id: string; case_id: string | null }>('delete from assignments where id = $1 returning reader_user_id, case_id', [id])
  const caseId = rows[0]?.case_id
  if (caseId) {
    await db.query(
      `update reading_cases c set workflow = case
           when exists (select 1 from assignments a where a.case_id = c.id and a.reading_type in ('second', 'comparison')) then 'double'
           when exists (select 1 from assignments a where a.case_id = c.id and a.reading_type = 'check') then 'check'
           else 'single' end
        where c.id = $1 and c.status = 'first-read'
          and not exists (select 1 from reports r join assignments a on a.id = r.assignment_id where a.case_id = c.id)`,
      [caseId],
    )
  }
  return rows[0]?.reader_user_id
}
