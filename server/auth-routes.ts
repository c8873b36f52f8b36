/**
 * Login (password, then TOTP when enrolled), token refresh, logout, "who am I", and the
 * password change. Throttling: login-throttle.ts; tokens: access-tokens.ts, refresh-tokens.ts.
 */
import type { FastifyInstance, FastifyReply } from 'fastify'
import { apiPaths, loginRequestSchema, loginResponseSchema, userSchema, type ApiError, type User } from '../shared/api-contract.ts'
import { authPaths, changePasswordRequestSchema, REFRESH_TOKEN_TTL_SECONDS, refreshRequestSchema } from '../shared/auth-contract.ts'
import { checkPasswordPolicy } from '../shared/password-policy.ts'
import { accessTokenFamily, hashToken, issueAccessToken, revokeAccessToken, revokeAccessTokenFamily } from './access-tokens.ts'
import { ApiHttpError, badRequest, unauthenticated } from './api-error.ts'
import type { Queryable } from './database.ts'
import { ADDRESS_THROTTLE, addressKey, clearFailures, lockedForSeconds, recordFailure, USER_THROTTLE, userKey } from './login-throttle.ts'
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from './password-hash.ts'
import { consumeRefreshToken, issueRefreshToken, newFamilyId, revokeRefreshFamily } from './refresh-tokens.ts'
import { requireCaller } from './request-auth.ts'
import type { ServerContext } from './server-context.ts'
import { matchTotp } from './totp.ts'
import { totpState, useRecoveryCode, useTotpStep } from './totp-repository.ts'
import { registerTotpRoutes } from './totp-routes.ts'
import { findUserForLogin, setPasswordHash } from './user-repository.ts'

const invalidCredentials = () => new ApiHttpError(401, 'invalid-credentials', 'The user name or password is incorrect.')

/** 429 with when to try again, in the body (retryAfterSeconds) and the Retry-After header. */
function sendTooManyAttempts(reply: FastifyReply, seconds: number): FastifyReply {
  const body: ApiError = {
    error: 'too-many-attempts',
    message: `Too many failed sign-ins. Try again in ${Math.ceil(seconds / 60)} minute(s).`,
    retryAfterSeconds: seconds,
  }
  return reply.code(429).header('retry-after', String(seconds)).send(body)
}

/** A new login: a token family with an access token and a refresh token. */
async function issueSession(db: Queryable, ctx: ServerContext, user: User, familyId: string, totpEnabled: boolean) {
  const now = ctx.now()
  const access = await issueAccessToken(db, user.id, ctx.tokenTtlSeconds, now, familyId)
  const refresh = await issueRefreshToken(db, user.id, familyId, REFRESH_TOKEN_TTL_SECONDS, now)
  return loginResponseSchema.parse({
    accessToken: access.token,
    expiresAt: access.expiresAt.toISOString(),
    user,
    refreshToken: refresh.token,
    refreshExpiresAt: refresh.expiresAt.toISOString(),
    totpEnabled,
  })
}

export function registerAuthRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post(apiPaths.login, async (request, reply) => {
    const parsed = loginRequestSchema.safeParse(request.body)
    if (!parsed.success) throw badRequest('A user name and password are required.')
    const { username, password, totpCode, recoveryCode } = parsed.data
    const keys = { user: userKey(username), address: addressKey(request.ip) }
    // Locked keys are refused before the password is looked at, so a lock cannot be used to test passwords.
    const locked = Math.max(await lockedForSeconds(ctx.db, keys.user, ctx.now()), await lockedForSeconds(ctx.db, keys.address, ctx.now()))
    if (locked > 0) return sendTooManyAttempts(reply, locked)
    const fail = async () => {
      const now = ctx.now()
      const lockedNow = Math.max(
        await recordFailure(ctx.db, keys.user, USER_THROTTLE, now),
        await recordFailure(ctx.db, keys.address, ADDRESS_THROTTLE, now),
      )
      if (lockedNow > 0) return sendTooManyAttempts(reply, lockedNow)
      throw invalidCredentials()
    }

    const found = await findUserForLogin(ctx.db, username)
    // Verify even for an unknown user, so timing does not tell which user names exist.
    const valid = await verifyPassword(password, found?.passwordHash ?? DUMMY_PASSWORD_HASH)
    if (!found || !valid) return fail()

    const totp = await totpState(ctx.db, found.user.id)
    if (totp.secret) {
      if (totpCode === undefined && recoveryCode === undefined) {
        throw new ApiHttpError(401, 'totp-required', 'Enter the code from your authenticator app.')
      }
      if (totpCode !== undefined) {
        const step = matchTotp(totp.secret, totpCode, ctx.now(), totp.lastStep)
        if (step === undefined || !(await useTotpStep(ctx.db, found.user.id, step))) return fail()
      } else if (!(await useRecoveryCode(ctx.db, found.user.id, recoveryCode as string, ctx.now()))) {
        return fail()
      }
    }
    await clearFailures(ctx.db, keys.user)
    const session = await ctx.db.transaction((tx) => issueSession(tx, ctx, found.user, newFamilyId(), totp.secret !== null))
    return reply.send(session)
  })

  app.post(authPaths.refresh, async (request, reply) => {
    const parsed = refreshRequestSchema.safeParse(request.body)
    if (!parsed.success) throw badRequest('A refresh token is required.')
    const outcome = await ctx.db.transaction(async (tx) => {
      const check = await consumeRefreshToken(tx, parsed.data.refreshToken, ctx.now())
      if (!check.ok) {
        if (check.reason === 'reused') {
          for (const hash of await revokeAccessTokenFamily(tx, check.familyId)) ctx.accessGrants.forgetToken(hash)
        }
        return undefined
      }
      const found = await tx.query<{ id: string; username: string; display_name: string; role: User['role']; totp_secret: string | null }>(
        'select id, username, display_name, role, totp_secret from users where id = $1',
        [check.userId],
      )
      const row = found.rows[0]
      if (!row) return undefined
      const user: User = { id: row.id, username: row.username, displayName: row.display_name, role: row.role }
      return issueSession(tx, ctx, user, check.familyId, row.totp_secret !== null)
    })
    // Unknown, expired, revoked and reused all read the same: sign in again.
    if (!outcome) throw unauthenticated()
    return reply.send(outcome)
  })

  app.post(apiPaths.logout, async (request, reply) => {
    const caller = await requireCaller(ctx, request)
    const familyId = await accessTokenFamily(ctx.db, caller.token)
    if (familyId) {
      // the whole login: its refresh token too, so nothing from it can be used again
      await revokeRefreshFamily(ctx.db, familyId)
      for (const hash of await revokeAccessTokenFamily(ctx.db, familyId)) ctx.accessGrants.forgetToken(hash)
    } else {
      await revokeAccessToken(ctx.db, caller.token)
    }
    ctx.accessGrants.forgetToken(hashToken(caller.token))
    return reply.code(204).send()
  })

  app.get(apiPaths.me, async (request, reply) => {
    const caller = await requireCaller(ctx, request)
    return reply.send(userSchema.parse(caller.user))
  })

  app.post(authPaths.password, async (request, reply) => {
    const caller = await requireCaller(ctx, request)
    const parsed = changePasswordRequestSchema.safeParse(request.body)
    if (!parsed.success) throw badRequest('The current and the new password are required.')
    const key = userKey(caller.user.username)
    const locked = await lockedForSeconds(ctx.db, key, ctx.now())
    if (locked > 0) return sendTooManyAttempts(reply, locked)
    const found = await findUserForLogin(ctx.db, caller.user.username)
    if (!found || !(await verifyPassword(parsed.data.currentPassword, found.passwordHash))) {
      // a stolen token must not become a way to guess the password
      const lockedNow = await recordFailure(ctx.db, key, USER_THROTTLE, ctx.now())
      if (lockedNow > 0) return sendTooManyAttempts(reply, lockedNow)
      throw invalidCredentials()
    }
    const totp = await totpState(ctx.db, caller.user.id)
    const problem = checkPasswordPolicy(parsed.data.newPassword, { username: caller.user.username, hasSecondFactor: totp.secret !== null })
    if (problem) throw passwordPolicyError(problem)
    const passwordHash = await hashPassword(parsed.data.newPassword)
    const familyId = await accessTokenFamily(ctx.db, caller.token)
    await ctx.db.transaction(async (tx) => {
      await setPasswordHash(tx, caller.user.id, passwordHash)
      // whoever else is signed in as this user (perhaps with the old password) is signed out
      await tx.query('update refresh_tokens set revoked = true where user_id = $1 and family_id is distinct from $2', [caller.user.id, familyId])
      await tx.query('update access_tokens set revoked = true where user_id = $1 and family_id is distinct from $2 and token_hash <> $3', [
        caller.user.id,
        familyId,
        hashToken(caller.token),
      ])
    })
    ctx.accessGrants.forgetUsers([caller.user.id])
    return reply.code(204).send()
  })

  registerTotpRoutes(app, ctx)
}

export function passwordPolicyError(problem: string): ApiHttpError {
  return new ApiHttpError(
    400,
    'password-policy',
    `The password does not meet the policy (${problem}): at least 13 characters, or at least 8 with two-factor sign-in.`,
  )
}
