/**
 * CORS for a workstation served from another origin (an Electron custom protocol or a browser
 * page). Requests authenticate with bearer tokens, never cookies, so allowing any origin does
 * not let another site act with a reader's credentials.
 */
import type { FastifyInstance } from 'fastify'
import { IDEMPOTENCY_KEY_HEADER } from '../shared/report-contract.ts'

const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS'
// If-None-Match and ETag: the worklist's conditional requests and long-polls. Idempotency-Key:
// report submission (without it a workstation on another origin could never submit a report).
const ALLOWED_HEADERS = `Authorization, Content-Type, Accept, If-None-Match, ${IDEMPOTENCY_KEY_HEADER}`
const EXPOSED_HEADERS = 'Content-Type, Content-Length, ETag, Location'

export function registerCors(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.header('access-control-allow-origin', '*')
    reply.header('access-control-expose-headers', EXPOSED_HEADERS)
    if (request.method === 'OPTIONS') {
      // Answer every preflight here, before routing: no route declares OPTIONS itself.
      return reply
        .code(204)
        .header('access-control-allow-methods', ALLOWED_METHODS)
        .header('access-control-allow-headers', ALLOWED_HEADERS)
        .header('access-control-max-age', '600')
        .header('vary', 'Access-Control-Request-Headers')
        .send()
    }
  })
}
