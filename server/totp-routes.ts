/** TOTP enrolment: the server makes the secret; the user's first code from the app confirms it and gets the recovery codes. */
import type { FastifyInstance } from 'fastify'
import { authPaths, totpConfirmRequestSchema, totpConfirmResponseSchema, totpEnrolmentSchema } from '../shared/auth-contract.ts'
import { ApiHttpError, badRequest } from './api-error.ts'
import { requireCaller } from './request-auth.ts'
import type { ServerContext } from './server-context.ts'
import { generateTotpSecret, matchTotp, otpauthUri } from './totp.ts'
import { enableTotp, setPendingTotpSecret, totpState } from './totp-repository.ts'

/** The issuer authenticator apps show above the code. */
export const TOTP_ISSUER = 'Reading Workstation'

const alreadyEnrolled = () => new ApiHttpError(409, 'conflict', 'Two-factor sign-in is already set up for this user.')

export function registerTotpRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post(authPaths.totpEnrolment, async (request, reply) => {
    const caller = await requireCaller(ctx, request)
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
