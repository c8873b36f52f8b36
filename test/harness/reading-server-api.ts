/**
 * The calls a test makes to a reading server as a user or as the admin (login, the worklist,
 * creating and removing assignments), checked against the shared contract.
 */
import {
  apiErrorSchema,
  apiPaths,
  assignmentSchema,
  loginResponseSchema,
  worklistResponseSchema,
  type Assignment,
  type CreateAssignmentRequest,
  type WorklistResponse,
} from '../../shared/api-contract.ts'
import { DEMO_PASSWORD } from '../../server/demo-seed.ts'

async function call(serverUrl: string, path: string, init: { method?: string; token?: string; body?: unknown } = {}): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (init.token) headers.authorization = `Bearer ${init.token}`
  if (init.body !== undefined) headers['content-type'] = 'application/json'
  return fetch(serverUrl + path, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  })
}

/** Fails with the server's own error message, which says more than a status code. */
async function expectStatus(response: Response, status: number, what: string): Promise<Response> {
  if (response.status === status) return response
  const body = apiErrorSchema.safeParse(await response.json().catch(() => undefined))
  throw new Error(`${what}: expected ${status}, got ${response.status}${body.success ? ` (${body.data.error}: ${body.data.message})` : ''}`)
}

/** Logs a demo user in and returns the bearer token. */
export async function loginAs(serverUrl: string, username: string): Promise<string> {
  const response = await call(serverUrl, apiPaths.login, { method: 'POST', body: { username, password: DEMO_PASSWORD } })
  await expectStatus(response, 200, `login of ${username}`)
  return loginResponseSchema.parse(await response.json()).accessToken
}

export async function fetchWorklist(serverUrl: string, token: string): Promise<WorklistResponse> {
  const response = await expectStatus(await call(serverUrl, apiPaths.worklist, { token }), 200, 'worklist')
  return worklistResponseSchema.parse(await response.json())
}

export async function createAssignment(serverUrl: string, adminToken: string, request: CreateAssignmentRequest): Promise<Assignment> {
  const response = await call(serverUrl, apiPaths.adminAssignments, { method: 'POST', token: adminToken, body: request })
  await expectStatus(response, 201, `assigning ${request.studyInstanceUid} to ${request.username}`)
  return assignmentSchema.parse(await response.json())
}

export async function deleteAssignment(serverUrl: string, adminToken: string, assignmentId: string): Promise<void> {
  const response = await call(serverUrl, `${apiPaths.adminAssignments}/${encodeURIComponent(assignmentId)}`, { method: 'DELETE', token: adminToken })
  await expectStatus(response, 204, `removing assignment ${assignmentId}`)
}
