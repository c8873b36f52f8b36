/** Unauthenticated service endpoints: health and the OpenAPI description. */
import type { FastifyInstance } from 'fastify'
import { apiPaths, healthResponseSchema } from '../shared/api-contract.ts'
import { buildOpenApiDocument } from '../shared/openapi.ts'
import { SERVER_VERSION } from './server-version.ts'

export function registerServiceRoutes(app: FastifyInstance): void {
  app.get(apiPaths.health, async (_request, reply) => {
    return reply.header('cache-control', 'no-store').send(healthResponseSchema.parse({ status: 'ok', version: SERVER_VERSION }))
  })

  // Built from the same function that writes shared/openapi.json; its test keeps the two equal.
  let openApiJson: string | undefined
  app.get(apiPaths.openapi, async (_request, reply) => {
    openApiJson ??= JSON.stringify(buildOpenApiDocument(), null, 2)
    return reply.type('application/json; charset=utf-8').send(openApiJson)
  })
}
