/** Building blocks shared by the parts of the OpenAPI document (openapi.ts). */

export type Json = Record<string, unknown>

export const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` })

export const jsonContent = (schema: Json) => ({ 'application/json': { schema } })

export const errorResponse = (description: string) => ({ description, content: jsonContent(ref('ApiError')) })

export const authErrors = {
  '401': errorResponse('Missing, unknown, revoked (error "unauthenticated") or expired ("token-expired") bearer token.'),
}

export const adminErrors = {
  ...authErrors,
  '403': errorResponse('The caller is not an admin (error "forbidden").'),
}

/** An OpenAPI path template ("/assignments/{id}/report") from one of the contract's path builders, which encode their argument. */
export function pathTemplate(build: (value: string) => string, parameter: string): string {
  return build('PATH-PARAMETER').replace('PATH-PARAMETER', `{${parameter}}`)
}

export const queryParameter = (name: string, description: string, schema: Json = { type: 'string' }) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
})
