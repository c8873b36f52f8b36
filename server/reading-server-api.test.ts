import { request as httpRequest } from 'node:http'
import { readFileSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  apiErrorSchema,
  apiPaths,
  healthResponseSchema,
  loginResponseSchema,
  userSchema,
  worklistResponseSchema,
  type Assignment,
} from '../shared/api-contract.ts'
import { PRIORITIES } from '../shared/domain.ts'
import { buildOpenApiDocument } from '../shared/openapi.ts'
import { issueAccessToken } from './access-tokens.ts'
import { DEMO_ASSIGNMENTS, DEMO_PASSWORD, DEMO_USERS } from './demo-seed.ts'
import { APP_CONTENT_SECURITY_POLICY } from './static-app.ts'
import { startReadingServer, type RunningReadingServer } from './start-reading-server.ts'
import { DB_TEMPLATE_DIR } from './test-database-template.ts'


let server: RunningReadingServer
let appDir: string
const tokens = new Map<string, string>()

async function login(username: string, password = DEMO_PASSWORD): Promise<Response> {
  return fetch(`${server.url}${apiPaths.login}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })
}

function get(path: string, token?: string): Promise<Response> {
  return fetch(`${server.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} })
}

async function expectError(response: Response, status: number, error: string): Promise<void> {
  expect(response.status).toBe(status)
  const body = apiErrorSchema.parse(await response.json())
  expect(body.error).toBe(error)
  expect(body.message.length).toBeGreaterThan(0)
}

async function worklistOf(username: string): Promise<Assignment[]> {
  const response = await get(apiPaths.worklist, tokens.get(username))
  expect(response.status).toBe(200)
  return worklistResponseSchema.parse(await response.json()).assignments
}

/** GET with the path sent exactly as written (fetch would normalise ../ away). */
function rawGet(path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${server.url}/`, { path, method: 'GET' }, (response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => (body += chunk))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }))
    })
    request.on('error', reject)
    request.end()
  })
}

beforeAll(async () => {
  const root = await mkdtemp(join(tmpdir(), 'reading-server-api-'))
  appDir = join(root, 'app')
  await mkdir(join(appDir, 'assets'), { recursive: true })
  await writeFile(join(appDir, 'index.html'), '<!doctype html><title>Workstation</title><script type="module" src="/assets/app.js"></script>')
  await writeFile(join(appDir, 'assets', 'app.js'), 'export const x = 1\n')
  await writeFile(join(appDir, 'assets', 'decoder.wasm'), Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0))
  await writeFile(join(root, 'secret.txt'), 'outside the app folder')
  server = await startReadingServer({
    dataDir: join(root, 'data'),
    port: 0,
    seedDemo: true,
    appDir,
    databaseTemplateDir: DB_TEMPLATE_DIR,
  })
  for (const { username } of DEMO_USERS) {
    const response = await login(username)
    tokens.set(username, loginResponseSchema.parse(await response.json()).accessToken)
  }
})

afterAll(async () => {
  await server?.close()
  await rm(join(appDir, '..'), { recursive: true, force: true })
})

describe('sign-in', () => {
  it('listens on loopback', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  })

  it('logs in with the demo password and returns the user', async () => {
    const response = await login('reader1')
    expect(response.status).toBe(200)
    const body = loginResponseSchema.parse(await response.json())
    expect(body.user).toMatchObject({ username: 'reader1', displayName: '読影 太郎', role: 'reader' })
    const expiresIn = Date.parse(body.expiresAt) - Date.now()
    // short-lived (issue 7): the workstation refreshes it with body.refreshToken
    expect(expiresIn).toBeGreaterThan(14.9 * 60_000)
    expect(expiresIn).toBeLessThanOrEqual(15 * 60_000)
    expect(body.refreshToken).toBeDefined()
    const me = await get(apiPaths.me, body.accessToken)
    expect(userSchema.parse(await me.json())).toEqual(body.user)
  })

  it('answers a wrong password and an unknown user identically', async () => {
    const wrong = await login('reader1', 'not-the-password')
    const unknown = await login('nobody', DEMO_PASSWORD)
    expect(wrong.status).toBe(401)
    expect(unknown.status).toBe(401)
    const [a, b] = [apiErrorSchema.parse(await wrong.json()), apiErrorSchema.parse(await unknown.json())]
    expect(a.error).toBe('invalid-credentials')
    expect(b).toEqual(a)
  })

  it('refuses malformed login bodies as bad requests', async () => {
    const post = (body: string) =>
      fetch(`${server.url}${apiPaths.login}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    await expectError(await post('{"username":"reader1"}'), 400, 'bad-request')
    await expectError(await post('{not json'), 400, 'bad-request')
    await expectError(await post(''), 400, 'bad-request')
  })

  it('refuses requests without a valid token as unauthenticated', async () => {
    await expectError(await get(apiPaths.me), 401, 'unauthenticated')
    await expectError(await get(apiPaths.worklist, 'x'.repeat(43)), 401, 'unauthenticated')
    await expectError(await fetch(`${server.url}${apiPaths.me}`, { headers: { authorization: 'Basic cmVhZGVyMTpw' } }), 401, 'unauthenticated')
  })

  it('refuses an expired token as token-expired', async () => {
    const me = userSchema.parse(await (await get(apiPaths.me, tokens.get('reader1'))).json())
    const { token } = await issueAccessToken(server.db, me.id, -1)
    await expectError(await get(apiPaths.worklist, token), 401, 'token-expired')
    await expectError(await get('/dicomweb/studies', token), 401, 'token-expired')
  })

  it('revokes the token on logout', async () => {
    const { accessToken } = loginResponseSchema.parse(await (await login('reader2')).json())
    expect((await get(apiPaths.me, accessToken)).status).toBe(200)
    // a JSON content type with no body is how many clients POST: it must not be a 400
    const logout = await fetch(`${server.url}${apiPaths.logout}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
    })
    expect(logout.status).toBe(204)
    await expectError(await get(apiPaths.me, accessToken), 401, 'unauthenticated')
    await expectError(
      await fetch(`${server.url}${apiPaths.logout}`, { method: 'POST', headers: { authorization: `Bearer ${accessToken}` } }),
      401,
      'unauthenticated',
    )
  })
})

describe('worklist', () => {
  it('lists STAT, then urgent, then routine, earliest due first', async () => {
    const list = await worklistOf('reader1')
    expect(list.length).toBe(DEMO_ASSIGNMENTS.filter((a) => a.user === 'reader1').length)
    expect(list.length).toBe(8)
    const keys = list.map((a) => [PRIORITIES.indexOf(a.priority), Date.parse(a.dueAt)] as const)
    const sorted = [...keys].sort((x, y) => x[0] - y[0] || x[1] - y[1])
    expect(keys).toEqual(sorted)
    expect(list[0]).toMatchObject({ priority: 'stat', modalities: ['CT'], seriesCount: 1, instanceCount: 28 })
    // the scout of the same phantom, taken later that morning (see DEMO_STUDIES)
    expect(list[1]).toMatchObject({ priority: 'urgent', modalities: ['CT'], instanceCount: 1 })
    expect(list[2]).toMatchObject({ priority: 'urgent', modalities: ['MR'], instanceCount: 16 })
  })

  it("never shows a reader another reader's assignments", async () => {
    const [one, two] = await Promise.all([worklistOf('reader1'), worklistOf('reader2')])
    const oneIds = new Set(one.map((a) => a.id))
    expect(two.some((a) => oneIds.has(a.id))).toBe(false)
    const { rows } = await server.db.query<{ id: string; username: string }>(
      'select a.id, u.username from assignments a join users u on u.id = a.reader_user_id',
    )
    const owner = new Map(rows.map((r) => [r.id, r.username]))
    expect(one.every((a) => owner.get(a.id) === 'reader1')).toBe(true)
    expect(two.every((a) => owner.get(a.id) === 'reader2')).toBe(true)
    // reader2 reads a study reader1 has no assignment for (the scoping tests depend on it)
    const oneStudies = new Set(one.map((a) => a.studyInstanceUid))
    expect(two.some((a) => !oneStudies.has(a.studyInstanceUid))).toBe(true)
    expect((await worklistOf('checker1')).every((a) => a.readingType === 'check' || a.readingType === 'comparison')).toBe(true)
    expect((await worklistOf('reader3')).length).toBeGreaterThan(0)
  })

  it('shows names for named facilities and stable labels for anonymised ones', async () => {
    const list = await worklistOf('reader1')
    const mr = list.find((a) => a.modalities.includes('MR'))
    expect(mr).toMatchObject({ patientDisplay: 'DOE J1', patientDisplayPolicy: 'named', facilityId: 'sakura-clinic' })
    const anonymised = list.filter((a) => a.patientDisplayPolicy === 'anonymised')
    // the two public checkup files and the derived chest X-ray and mammogram
    expect(anonymised.length).toBe(4)
    for (const a of anonymised) {
      expect(a.patientDisplay).toMatch(/^MHC-[0-9A-F]{6}$/)
      expect(a.facilityName).toContain('みなと健診センター')
    }
    // the mammogram's real name is CompressedSamples^MG1, the derived checkup studies' DEMO^CHEST and DEMO^MAMMO; none may show
    expect(JSON.stringify(anonymised)).not.toMatch(/CompressedSamples|Anonymized|DEMO.(CHEST|MAMMO)/)
    const again = await worklistOf('reader1')
    expect(again.map((a) => a.patientDisplay)).toEqual(list.map((a) => a.patientDisplay))
  })
})

describe('service endpoints', () => {
  it('answers health without a token', async () => {
    const response = await get(apiPaths.health)
    expect(response.status).toBe(200)
    expect(healthResponseSchema.parse(await response.json()).version).toMatch(/^\d+\.\d+\.\d+/)
  })

  it('serves the OpenAPI document without a token, equal to the committed file', async () => {
    const response = await get(apiPaths.openapi)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    const served: unknown = await response.json()
    expect(served).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument())))
    expect(served).toEqual(JSON.parse(readFileSync(new URL('../shared/openapi.json', import.meta.url), 'utf8')))
  })

  it('answers unknown API paths with a contract error', async () => {
    await expectError(await get(`${apiPaths.me}/nothing-here`), 404, 'not-found')
    await expectError(await get('/dicomweb/nothing'), 404, 'not-found')
  })
})

describe('CORS', () => {
  it('answers preflights for any origin with the bearer header allowed', async () => {
    const response = await fetch(`${server.url}${apiPaths.worklist}`, {
      method: 'OPTIONS',
      headers: {
        origin: 'app://workstation',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    })
    expect(response.status).toBe(204)
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    expect(response.headers.get('access-control-allow-headers')).toMatch(/Authorization/)
    expect(response.headers.get('access-control-allow-headers')).toMatch(/Content-Type/)
    // a workstation on another origin (app://, a browser page) must be able to submit reports
    expect(response.headers.get('access-control-allow-headers')).toMatch(/idempotency-key/i)
    expect(response.headers.get('access-control-allow-methods')).toMatch(/GET/)
  })

  it('marks actual responses readable cross-origin, errors included', async () => {
    const ok = await fetch(`${server.url}${apiPaths.health}`, { headers: { origin: 'http://localhost:5173' } })
    expect(ok.headers.get('access-control-allow-origin')).toBe('*')
    expect(ok.headers.get('access-control-expose-headers')).toMatch(/Content-Length/)
    const denied = await fetch(`${server.url}${apiPaths.me}`, { headers: { origin: 'http://localhost:5173' } })
    expect(denied.status).toBe(401)
    expect(denied.headers.get('access-control-allow-origin')).toBe('*')
  })
})

describe('static workstation files', () => {
  it('serves index.html at / with the CSP and nosniff', async () => {
    const response = await get('/')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/html/)
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self' http://127.0.0.1:* http://localhost:* https:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
    )
    expect(APP_CONTENT_SECURITY_POLICY).toBe(response.headers.get('content-security-policy'))
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await response.text()).toContain('<title>Workstation</title>')
  })

  it('serves scripts and WebAssembly with their types', async () => {
    const js = await get('/assets/app.js')
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/)
    expect(await js.text()).toBe('export const x = 1\n')
    const wasm = await get('/assets/decoder.wasm')
    expect(wasm.headers.get('content-type')).toBe('application/wasm')
    expect(new Uint8Array(await wasm.arrayBuffer())).toEqual(Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0))
  })

  it('falls back to index.html for client-side routes but not for missing assets or the API', async () => {
    const route = await get('/worklist/today')
    expect(route.status).toBe(200)
    expect(route.headers.get('content-security-policy')).toBe(APP_CONTENT_SECURITY_POLICY)
    expect(await route.text()).toContain('<title>Workstation</title>')
    expect((await get('/assets/missing.js')).status).toBe(404)
    await expectError(await get('/api/v1/unknown'), 404, 'not-found')
  })

  it('never serves files outside the app folder', async () => {
    for (const path of ['/../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt']) {
      const response = await rawGet(path)
      expect(response.body, path).not.toContain('outside the app folder')
    }
  })
})
