/** Resolving the caller of a request from its bearer token, or refusing it with the right error code. */
import type { FastifyRequest } from 'fastify'
import type { User } from '../shared/api-contract.ts'
import { bearerToken, checkAccessToken } from './access-tokens.ts'
import { adminOnly, tokenExpired, unauthenticated } from './api-error.ts'
import type { ServerContext } from './server-context.ts'
import { findUserById } from './user-repository.ts'

export interface Caller {
  user: User
  token: string
}

/** The signed-in user; throws 401 unauthenticated (missing, unknown, revoked) or token-expired. */
export async function requireCaller(ctx: ServerContext, request: FastifyRequest): Promise<Caller> {
  const token = bearerToken(request.headers.authorization)
  if (!token) throw unauthenticated()
  const check = await checkAccessToken(ctx.db, token, ctx.now())
  if (!check.ok) throw check.reason === 'expired' ? tokenExpired() : unauthenticated()
  const user = await findUserById(ctx.db, check.userId)
  if (!user) throw unauthenticated()
  return { user, token }
}

/** The signed-in user, who must be an admin; throws 401 as requireCaller does, or 403 forbidden. */
export async function requireAdmin(ctx: ServerContext, request: FastifyRequest): Promise<Caller> {
  const caller = await requireCaller(ctx, request)
  if (caller.user.role !== 'admin') throw adminOnly()
  return caller
}
