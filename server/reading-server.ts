/**
 * The reading server's Fastify app: JSON API, DICOMweb, CORS and optionally the workstation's
 * static files. Built from an open database; starting and stopping lives in start-reading-server.ts.
 */
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify'
import { API_PREFIX, type ApiError } from '../shared/api-contract.ts'
import { DICOMWEB_ROOT } from '../shared/dicomweb-paths.ts'
import { registerAdminRoutes } from './admin-routes.ts'
import { registerAuditRoutes } from './audit-routes.ts'
import { ApiHttpError } from './api-error.ts'
import { registerAuthRoutes } from './auth-routes.ts'
import { trackConnections } from './connection-drain.ts'
import { registerCors } from './cors-hook.ts'
import { registerDicomwebRoutes } from './dicomweb-routes.ts'
import { registerMasterImportRoutes } from './master-import-routes.ts'
import { registerReadingCaseRoutes } from './reading-case-routes.ts'
import { registerReportRoutes } from './report-routes.ts'
import { registerStatisticsRoutes } from './statistics-routes.ts'
import type { ServerContext } from './server-context.ts'
import { registerServiceRoutes } from './service-routes.ts'
import { createStaticApp } from './static-app.ts'
import { registerWorklistRoutes } from './worklist-routes.ts'

export interface ReadingServerAppOptions {
  /** Serve this folder at / (the built workstation). */
  appDir?: string
  /** Log every request; otherwise only server errors are logged. */
  log?: boolean
}

function isServicePath(url: string): boolean {
  return url.startsWith(`${API_PREFIX}/`) || url === API_PREFIX || url.startsWith(`${DICOMWEB_ROOT}/`) || url === DICOMWEB_ROOT
}

function errorBody(error: ApiError['error'], message: string): ApiError {
  return { error, message }
}

export async function buildReadingServer(ctx: ServerContext, options: ReadingServerAppOptions = {}): Promise<FastifyInstance> {
  // Without request logging, failures (5xx) are still logged: they are the server's bugs.
  const app = Fastify({ logger: { level: options.log ? 'info' : 'error' } })

  // Clients often POST with a JSON content type and no body (logout): treat that as no body, not an error.
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8')
    if (text.trim() === '') return done(null, undefined)
    try {
      done(null, JSON.parse(text))
    } catch {
      done(new ApiHttpError(400, 'bad-request', 'The request body is not valid JSON.'), undefined)
    }
  })

  // CSV bodies (finding master imports) arrive as bytes: their charset may be Shift_JIS, which the route decodes.
  app.addContentTypeParser('text/csv', { parseAs: 'buffer' }, (_request, body, done) => done(null, body))

  registerCors(app)
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-content-type-options', 'nosniff')
    // API answers carry tokens and patient data: no shared or browser cache may keep them.
    if (isServicePath(request.url) && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store')
  })

  registerServiceRoutes(app)
  registerAuthRoutes(app, ctx)
  registerWorklistRoutes(app, ctx)
  registerAdminRoutes(app, ctx)
  registerReportRoutes(app, ctx)
  registerReadingCaseRoutes(app, ctx)
  registerStatisticsRoutes(app, ctx)
  registerMasterImportRoutes(app, ctx)
  registerDicomwebRoutes(app, ctx)
  registerAuditRoutes(app, ctx)
  // On close, answer the waiting long-polls and end connections with nothing in flight; close()
  // would otherwise wait for the polls to time out and for clients to drop their spare connections.
  const connections = trackConnections(app.server)
  app.addHook('preClose', async () => {
    ctx.worklistChanges.close()
    connections.drain()
  })

  const staticApp = options.appDir ? await createStaticApp(options.appDir) : undefined
  app.setNotFoundHandler(async (request, reply) => {
    const isRead = request.method === 'GET' || request.method === 'HEAD'
    if (staticApp && isRead && !isServicePath(request.url) && (await staticApp.send(request.url, reply))) return reply
    return reply.code(404).send(errorBody('not-found', `No resource at ${request.method} ${request.url.split('?')[0]}.`))
  })

  app.setErrorHandler<FastifyError | ApiHttpError>(async (error, request, reply) => {
    if (error instanceof ApiHttpError) return reply.code(error.statusCode).send(error.body)
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500
    if (status >= 400 && status < 500) {
      // Fastify's own refusals (bad JSON, wrong content type, body too large) in the contract's shape.
      return reply.code(status).send(errorBody('bad-request', error.message))
    }
    request.log.error({ err: error }, 'request failed')
    return reply.code(500).send(errorBody('internal', 'The server could not complete the request.'))
  })

  return app
}
