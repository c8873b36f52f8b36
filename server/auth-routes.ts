/** Login, logout and "who am I". */
import type { FastifyInstance } from 'fastify'
import { apiPaths, loginRequestSchema, loginResponseSchema, userSchema } from '../shared/api-contract.ts'
import { hashToken, issueAccessToken, revokeAccessToken } from './access-tokens.ts'
import { ApiHttpError, badRequest } from './api-error.ts'
import { DUMMY_PASSWORD_HASH, verifyPassword } from './password-hash.ts'
import { requireCaller } from './request-auth.ts'
import type { ServerContext } from './server-context.ts'
import { findUserForLogin } from './user-repository.ts'

export function registerAuthRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post(apiPaths.login, async (request, reply) => {
    const parsed = loginRequestSchema.safeParse(request.body)
    if (!parsed.success) throw badRequest('A user name and password are required.')
    const { username, password } = parsed.data
    const found = await findUserForLogin(ctx.db, username)
    // Verify even for an unknown user, so timing does not tell which user names exist.
    const valid = await verifyPassword(password, found?.passwordHash ?? DUMMY_PASSWORD_HASH)
    if (!found || !valid) {
      throw new ApiHttpError(401, 'invalid-credentials', 'The user name or password is incorrect.')
    }
    const issued = await issueAccessToken(ctx.db, found.user.id, ctx.tokenTtlSeconds, ctx.now())
    return reply.send(
      loginResponseSchema.parse({ accessToken: issued.token, expiresAt: issued.expiresAt.toISOString(), user: found.user }),
    )
  })

  app.post(apiPaths.logout, async (request, reply) => {
    const caller = await requireCaller(ctx, request)
    await revokeAccessToken(ctx.db, caller.token)
    ctx.accessGrants.forgetToken(hashToken(caller.token))
    return reply.code(204).send()
  })

  app.get(apiPaths.me, async (request, reply) => {
    const caller = await requireCaller(ctx, request)
    return reply.send(userSchema.parse(caller.user))
  })
}
