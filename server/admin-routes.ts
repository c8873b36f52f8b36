/**
 * Admin endpoints for assignments: create, change the status, remove. Every change wakes the
 * affected reader's worklist long-polls, so their workstation sees it within a moment.
 */
import type { FastifyInstance } from 'fastify'
import type { z } from 'zod'
import {
  apiPaths,
  assignmentSchema,
  createAssignmentRequestSchema,
  updateAssignmentRequestSchema,
  type Assignment,
} from '../shared/api-contract.ts'
import type { User } from '../shared/api-contract.ts'
import type { ReadingType } from '../shared/domain.ts'
import { ApiHttpError, badRequest, notFound } from './api-error.ts'
import { pickReader } from './case-routing.ts'
import type { Queryable } from './database.ts'
import { assignmentExists, deleteAssignment, insertAssignment, updateAssignmentStatus } from './assignment-repository.ts'
import { reportByAssignment } from './report-repository.ts'
import { requireAdmin } from './request-auth.ts'
import type { ServerContext } from './server-context.ts'
import { findUserById, findUserByUsername } from './user-repository.ts'
import { assignmentById } from './worklist-query.ts'

/** The first problem in a body, in one line: `dueAt: Invalid ISO datetime`. */
function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]
  if (!issue) return 'The request body is invalid.'
  return issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message
}

function bodyOf<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body)
  if (!parsed.success) throw badRequest(firstIssue(parsed.error))
  return parsed.data
}

/**
 * The user a second read, comparison or check goes to when the admin names none (case-routing.ts):
 * never someone already in the study's case. 409 same-reader when nobody is left. The preferred
 * role's users are tried alone: a checker already in the case does not hand a comparison to a reader.
 */
async function routedReader(db: Queryable, studyUid: string, readingType: ReadingType): Promise<User | undefined> {
  if (readingType === 'first') throw badRequest('A first read must name its reader (username).')
  const { rows } = await db.query<{ id: string; username: string; role: string; open: number }>(
    `select u.id, u.username, u.role,
            (select count(*)::int from assignments a where a.reader_user_id = u.id and a.status <> 'submitted') as open
       from users u where u.role in ('reader', 'checker')`,
  )
  // Second reads go to readers, comparisons and checks to checkers (seniors); either falls back to everyone.
  const preferred = readingType === 'second' ? 'reader' : 'checker'
  const pool = rows.some((r) => r.role === preferred) ? rows.filter((r) => r.role === preferred) : rows
  const members = await db.query<{ reader_user_id: string; reading_type: ReadingType }>(
    'select a.reader_user_id, a.reading_type from assignments a join reading_cases c on c.id = a.case_id where c.study_instance_uid = $1',
    [studyUid],
  )
  const picked = pickReader(
    pool.map((r) => ({ userId: r.id, username: r.username, openAssignments: r.open })),
    members.rows.map((m) => ({ readerUserId: m.reader_user_id, readingType: m.reading_type })),
  )
  if (!picked) throw new ApiHttpError(409, 'same-reader', 'Every reader is already in this reading case; name one to route it to.')
  return findUserById(db, picked)
}

export function registerAdminRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const assignmentPath = `${apiPaths.adminAssignments}/:id`

  /** The assignment as the contract shows it, after a change that must have left it in place. */
  const loadAssignment = async (id: string): Promise<Assignment> => {
    const assignment = await assignmentById(ctx.db, id)
    if (!assignment) throw notFound('Assignment')
    return assignmentSchema.parse(assignment)
  }

  app.post(apiPaths.adminAssignments, async (request, reply) => {
    await requireAdmin(ctx, request)
    const body = bodyOf(createAssignmentRequestSchema, request.body)
    const study = await ctx.db.query('select 1 from studies where study_instance_uid = $1', [body.studyInstanceUid])
    if (study.rows.length === 0) throw notFound('Study')
    const reader = body.username === undefined ? await routedReader(ctx.db, body.studyInstanceUid, body.readingType) : await findUserByUsername(ctx.db, body.username)
    if (!reader || (reader.role !== 'reader' && reader.role !== 'checker')) {
      throw badRequest(`There is no reader or checker named "${body.username}".`)
    }
    const key = { studyInstanceUid: body.studyInstanceUid, readerUserId: reader.id, readingType: body.readingType }
    const id = await ctx.db.transaction(async (tx) => {
      if (await assignmentExists(tx, key)) {
        throw badRequest(`${reader.username} already has the ${body.readingType} reading of this study.`)
      }
      return insertAssignment(tx, { ...key, priority: body.priority, dueAt: new Date(body.dueAt) }, ctx.now())
    })
    ctx.worklistChanges.notify([reader.id])
    const assignment = await loadAssignment(id)
    return reply.code(201).header('location', `${apiPaths.adminAssignments}/${id}`).send(assignment)
  })

  app.patch(assignmentPath, async (request, reply) => {
    await requireAdmin(ctx, request)
    const { id } = request.params as { id: string }
    const { status } = bodyOf(updateAssignmentRequestSchema, request.body)
    const readerUserId = await updateAssignmentStatus(ctx.db, id, status)
    if (readerUserId === undefined) throw notFound('Assignment')
    ctx.worklistChanges.notify([readerUserId])
    return reply.send(await loadAssignment(id))
  })

  app.delete(assignmentPath, async (request, reply) => {
    await requireAdmin(ctx, request)
    const { id } = request.params as { id: string }
    // A submitted report must keep its assignment; the table refuses the delete, this says why.
    if (await reportByAssignment(ctx.db, id)) throw new ApiHttpError(409, 'already-submitted', 'The assignment has a submitted report and cannot be removed.')
    const readerUserId = await deleteAssignment(ctx.db, id)
    if (readerUserId === undefined) throw notFound('Assignment')
    ctx.worklistChanges.notify([readerUserId])
    return reply.code(204).send()
  })
}
