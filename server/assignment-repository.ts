/** Creating, changing and removing assignments. Reading them as the contract shows them is worklist-query.ts. */
import { randomUUID } from 'node:crypto'
import type { AssignmentStatus, Priority, ReadingType } from '../shared/domain.ts'
import type { Queryable } from './database.ts'

export interface NewAssignment {
  studyInstanceUid: string
  readerUserId: string
  readingType: ReadingType
  priority: Priority
  dueAt: Date
  status?: AssignmentStatus
}

/** Inserts an assignment and returns its id. */
export async function insertAssignment(db: Queryable, assignment: NewAssignment, assignedAt: Date): Promise<string> {
  const id = randomUUID()
  await db.query(
    `insert into assignments (id, study_instance_uid, reader_user_id, reading_type, priority, status, due_at, assigned_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      id,
      assignment.studyInstanceUid,
      assignment.readerUserId,
      assignment.readingType,
      assignment.priority,
      assignment.status ?? 'assigned',
      assignment.dueAt,
      assignedAt,
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

/** Deletes the assignment; returns the reader whose worklist changed, or undefined for an unknown id. */
export async function deleteAssignment(db: Queryable, id: string): Promise<string | undefined> {
  const { rows } = await db.query<{ reader_user_id: string }>('delete from assignments where id = $1 returning reader_user_id', [id])
  return rows[0]?.reader_user_id
}
