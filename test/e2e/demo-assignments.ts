/** Looks into the demo server's database: a reader's assignment of a study, and the reports stored for it. */
import type { RunningReadingServer } from '../../server/start-reading-server.ts'

/** The id of `username`'s (only) assignment of the study. */
export async function assignmentIdOf(server: RunningReadingServer, username: string, studyInstanceUid: string): Promise<string> {
  const { rows } = await server.db.query<{ id: string }>(
    'select a.id from assignments a join users u on u.id = a.reader_user_id where u.username = $1 and a.study_instance_uid = $2',
    [username, studyInstanceUid],
  )
  if (rows.length !== 1) throw new Error(`${username} has ${rows.length} assignments of ${studyInstanceUid}`)
  return rows[0]!.id
}

/** The impressions of the reports the server stored for an assignment (exactly once means one). */
export async function storedReports(server: RunningReadingServer, assignmentId: string): Promise<Array<{ impression: string }>> {
  const { rows } = await server.db.query<{ impression: string }>("select content->>'impression' as impression from reports where assignment_id = $1", [assignmentId])
  return rows
}
