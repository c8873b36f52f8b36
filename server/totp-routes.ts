/** TOTP enrolment: the server makes the secret; the user's first code from the app confirms it and gets the recovery codes. */
import type { FastifyInstance } from 'fastify'
import {
  authPaths,
  totpConfirmRequestSchema,
  totpConfirmResponseSchema,
  totpEnrolmentRequestSchema,
  totpEnrolmentSchema,
} from '../shared/auth-contract.ts'
import { ApiHttpError, badRequest } from './api-error.ts'
import { lockedForSeconds, recordFailure, USER_THROTTLE, userKey } from './login-throttle.ts'
import { verifyPassword } from './password-hash.ts'
import { requireCaller } from './request-auth.ts'
import type { ServerContext } from './server-context.ts'
import { generateTotpSecret, matchTotp, otpauthUri } from './totp.ts'
import { enableTotp, setPendingTotpSecret, totpState } from './totp-repository.ts'
import { findUserForLogin } from './user-repository.ts'

/** The issuer authenticator apps show above the code. */
export const TOTP_ISSUER = 'Reading Workstation'

const alreadyEnrolled = () => new ApiHttpError(409, 'conflict', 'Two-factor sign-in is already set up for this user.')

export function registerTotpRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post(authPaths.totpEnrolment, async (request, reply) => {
    const caller = await requireCaller(ctx, request)
    const parsed = totpEnrolmentRequestSchema.safeParse(request.body)
    if (!parsed.success) throw badRequest('The password is required.')
    // the password check counts towards the user's lock-out like a log-in
    const key = userKey(caller.user.username)
    const locked = await lockedForSeconds(ctx.db, key, ctx.now())
    if (locked > 0) {
      return reply
        .code(429)
        .header('retry-after', String(locked))
        .send({ error: 'too-many-attempts', message: 'Too many failed attempts; try again later.', retryAfterSeconds: locked })
    }
    const found = await findUserForLogin(ctx.db, caller.user.username)
    if (!found || !(await verifyPassword(parsed.data.password, found.passwordHash))) {
      await recordFailure(ctx.db, key, USER_THROTTLE, ctx.now())
      throw new ApiHttpError(401, 'invalid-credentials', 'The password is incorrect.')
    }
    const state = await totpState(ctx.db, caller.user.id)
    if (state.secret) throw alreadyEnrolled()
    // a new secret each time: an abandoned enrolment's secret (maybe photographed) is never activated
    const secret = generateTotpSecret()
    await setPendingTotpSecret(ctx.db, caller.user.id, secret)
    return reply.send(totpEnrolmentSchema.parse({ secret, otpauthUri: otpauthUri(secret, TOTP_ISSUER, caller.user.username) }))
  })

  app.post(authPaths.totpConfirm, async (request, reply) => {
    const caller = await requireCaller(ctx, request)
    const parsed = totpConfirmRequestSchema.safeParse(request.body)
    if (!parsed.success) throw badRequest('A 6-digit code is required.')
    const recoveryCodes = await ctx.db.transaction(async (tx) => {
      const state = await totpState(tx, caller.user.id)
      if (state.secret) throw alreadyEnrolled()
      if (!state.pendingSecret) throw new ApiHttpError(409, 'conflict', 'Start the enrolment first.')
      const step = matchTotp(state.pendingSecret, parsed.data.code, ctx.now(), null)
      if (step === undefined) throw badRequest('The code does not match; check the time on the phone and try the next code.')
      return enableTotp(tx, caller.user.id, state.pendingSecret, step)
    })
    return reply.send(totpConfirmResponseSchema.parse({ recoveryCodes }))
  })
}
