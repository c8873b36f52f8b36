/**
 * Records the server's start, log-ins, log-outs, DICOMweb study searches and retrievals by
 * watching their responses, so the
 * authentication and DICOMweb routes need no audit code of their own (and can change without
 * losing it): a login is judged by its answer (a token issued or not), a retrieval by its route
 * and status. Retrievals are logged at most once per token and study per RETRIEVAL_WINDOW_MS,
 * since a workstation fetches a study's hundreds of instances one request at a time; searches
 * once per token and query string.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { apiPaths } from '../shared/api-contract.ts'
import { DICOMWEB_ROOT } from '../shared/dicomweb-paths.ts'
import { hashToken, bearerToken } from './access-tokens.ts'
import { auditServerEvent } from './audit-server-events.ts'
import { requireCaller } from './request-auth.ts'
import type { ServerContext } from './server-context.ts'

export const RETRIEVAL_WINDOW_MS = 5 * 60_000
const MAX_REMEMBERED_RETRIEVALS = 10_000

type SignedIn = { id: string; username: string }

function routeOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? ''
}

/** The login paths: the password step and any further step (a second factor) under it. */
function isLoginRoute(route: string): boolean {
  return route === apiPaths.login || route.startsWith(`${apiPaths.login}/`)
}

function loginIssuedToken(payload: unknown): boolean {
  return typeof payload === 'string' && /"accessToken"\s*:\s*"/.test(payload)
}

async function userNamed(ctx: ServerContext, username: unknown): Promise<SignedIn | null> {
  if (typeof username !== 'string' || username === '') return null
  const { rows } = await ctx.db.query<SignedIn>('select id, username from users where username = $1', [username])
  return rows[0] ?? null
}

export function registerAuditObservers(app: FastifyInstance, ctx: ServerContext): void {
  // Who is logging out must be known before the token is revoked.
  const loggingOut = new WeakMap<FastifyRequest, SignedIn>()
  const retrievals = new Map<string, number>()

  /** True when `key` was not seen within the window (and remembers it now). */
  const remember = (key: string): boolean => {
    const now = ctx.now().getTime()
    const last = retrievals.get(key)
    if (last !== undefined && now - last < RETRIEVAL_WINDOW_MS) return false
    if (retrievals.size >= MAX_REMEMBERED_RETRIEVALS) {
      for (const [k, at] of retrievals) if (now - at >= RETRIEVAL_WINDOW_MS) retrievals.delete(k)
      if (retrievals.size >= MAX_REMEMBERED_RETRIEVALS) retrievals.clear()
    }
    retrievals.set(key, now)
    return true
  }

  // the server's own start, so a gap in the log can be told from a server that was down
  app.addHook('onReady', async () => {
    await auditServerEvent(ctx, null, { kind: 'application-start' }).catch((error: unknown) => app.log.error({ err: error }, 'operation log: could not record the start'))
  })

  app.addHook('preHandler', async (request) => {
    if (request.method !== 'POST' || routeOf(request) !== apiPaths.logout) return
    const caller = await requireCaller(ctx, request).catch(() => null)
    if (caller) loggingOut.set(request, caller.user)
  })

  app.addHook('onSend', async (request, reply, payload) => {
    if (request.method !== 'POST' || !isLoginRoute(routeOf(request))) return payload
    const status = reply.statusCode
    // 400 is a malformed request, not an attempt to sign in as anyone
    if (status === 400) return payload
    const body = request.body as { username?: unknown } | undefined
    const issued = status < 300 && loginIssuedToken(payload)
    const user = await userNamed(ctx, body?.username)
    // a 2xx without a token is a step that asks for more (a second factor): neither success nor failure yet
    if (status < 300 && !issued) return payload
    await auditServerEvent(ctx, user, {
      kind: issued ? 'login' : 'login-failed',
      outcome: issued ? 0 : 4,
      detail: { route: routeOf(request), status, ...(user ? {} : { attemptedUsername: String(body?.username ?? '').slice(0, 128) }) },
    })
    return payload
  })

  app.addHook('onResponse', async (request, reply) => {
    const route = routeOf(request)
    if (request.method === 'POST' && route === apiPaths.logout) {
      const user = loggingOut.get(request)
      if (user && reply.statusCode < 300) await auditServerEvent(ctx, user, { kind: 'logout' })
      return
    }
    if (request.method !== 'GET' || reply.statusCode >= 300) return
    const token = bearerToken(request.headers.authorization)
    if (!token) return
    if (route === `${DICOMWEB_ROOT}/studies`) {
      // a study search (QIDO-RS): recorded once per token and query within the window, like retrievals
      const query = new URLSearchParams(request.query as Record<string, string>).toString()
      if (!remember(`${hashToken(token)} ?${query}`)) return
      const caller = await requireCaller(ctx, request).catch(() => null)
      await auditServerEvent(ctx, caller?.user ?? null, { kind: 'query', detail: { route, query: query.slice(0, 1000) } })
      return
    }
    const study = (request.params as { study?: string }).study
    if (!route.startsWith(`${DICOMWEB_ROOT}/studies/:study`) || !study) return
    if (!remember(`${hashToken(token)} ${study}`)) return
    const caller = await requireCaller(ctx, request).catch(() => null)
    await auditServerEvent(ctx, caller?.user ?? null, { kind: 'study-retrieved', studyInstanceUid: study, detail: { route } })
  })
}
