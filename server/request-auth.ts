/** Resolving the caller of a request from its bearer token, or refusing it with the right error code. */
import type { FastifyRequest } from 'fastify'
import type { User } from '../shared/api-contract.ts'
import { bearerToken, checkAccessToken, hashToken } from './access-tokens.ts'
import { adminOnly, tokenExpired, unauthenticated } from './api-error.ts'
import type { ServerContext } from './server-context.ts'
import { requireStudyAccess, type StudyAccess } from './study-access.ts'
import { findUserById } from './user-repository.ts'

export interface Caller {
  user: User
  token: string
  tokenExpiresAt: Date
}

/** The signed-in user; throws 401 unauthenticated (missing, unknown, revoked) or token-expired. */
export async function requireCaller(ctx: ServerContext, request: FastifyRequest): Promise<Caller> {
  const token = bearerToken(request.headers.authorization)
  if (!token) throw unauthenticated()
  const check = await checkAccessToken(ctx.db, token, ctx.now())
  if (!check.ok) throw check.reason === 'expired' ? tokenExpired() : unauthenticated()
  const user = await findUserById(ctx.db, check.userId)
  if (!user) throw unauthenticated()
  return { user, token, tokenExpiresAt: check.expiresAt }
}

/** The signed-in user, who must be an admin; throws 401 as requireCaller does, or 403 forbidden. */
export async function requireAdmin(ctx: ServerContext, request: FastifyRequest): Promise<Caller> {
  const caller = await requireCaller(ctx, request)
  if (caller.user.role !== 'admin') throw adminOnly()
  return caller
}

/**
 * The caller's access to a study: 401 as requireCaller, 403/404 as requireStudyAccess. Grants
 * come from ctx.accessGrants when fresh (see access-grant-cache.ts for how stale they can be);
 * token expiry is checked on every request either way. `studyUid` validates the path's raw
 * value and runs after authentication, so a bad token answers 401 whatever the path says.
 */
export async function requireStudyReader(
  ctx: ServerContext,
  request: FastifyRequest,
  rawStudyUid: string | undefined,
  studyUid: () => string,
): Promise<StudyAccess> {
  const token = bearerToken(request.headers.authorization)
  if (!token) throw unauthenticated()
  const tokenHash = hashToken(token)
  const known = rawStudyUid === undefined ? undefined : ctx.accessGrants.get(tokenHash, rawStudyUid)
  if (known) {
    if (known.tokenExpiresAt.getTime() <= ctx.now().getTime()) throw tokenExpired()
    return known.access
  }
  const lookup = ctx.accessGrants.begin()
  const caller = await requireCaller(ctx, request)
  const access = await requireStudyAccess(ctx.db, caller.user, studyUid())
  ctx.accessGrants.remember(lookup, {
    tokenHash,
    userId: caller.user.id,
    studyInstanceUid: access.studyInstanceUid,
    tokenExpiresAt: caller.tokenExpiresAt,
    access,
  })
  return access
}
