/**
 * The role/scope matrix (issue 7): every route the reference server registers has a row saying
 * what each kind of caller gets — anonymous, the reader who owns the assignment/study, another
 * reader with no part in it, a checker, an admin. Routes are read from Fastify itself, so a new
 * route without a row fails here, and so does a row whose route is gone.
 *
 * Mutating routes get bodies that are empty or invalid, so an allowed caller gets 400 (past the
 * access check, nothing changed) and a refused one 401/403/404; no row changes shared state
 * except "start" (idempotent).
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { API_PREFIX, apiPaths, loginResponseSchema, worklistResponseSchema } from '../shared/api-contract.ts'
import { authPaths } from '../shared/auth-contract.ts'
import { DICOMWEB_ROOT } from '../shared/dicomweb-paths.ts'
import type { ReportContent } from '../shared/finding-master.ts'
import { IDEMPOTENCY_KEY_HEADER, reportPaths, storedReportSchema } from '../shared/report-contract.ts'
import { AccessGrantCache } from './access-grant-cache.ts'
import { DEMO_PASSWORD } from './demo-seed.ts'
import { buildReadingServer } from './reading-server.ts'
import type { ServerContext } from './server-context.ts'
import { startReadingServer, type RunningReadingServer } from './start-reading-server.ts'
import { DB_TEMPLATE_DIR } from './test-database-template.ts'
import { WorklistChanges } from './worklist-changes.ts'

const CT_HEAD = '1.3.46.670589.33.1.27492712521914879309.27169771283235650014'
/** Double reading: reader2 first, reader1 second, checker1 compares. Nothing is submitted, so every decision is out of turn (409) for those allowed to make it. */
const FUJI_CHEST = '1.2.392.200036.9125.0.199302241758.16'
/** reader1 first, reader3 second: reader2 and checker1 have no part in it and no study of its patient. */
const US_ECHO = '1.3.6.1.4.1.25403.166563008443.732.20120418082458.1'
const PERSONAS = ['anonymous', 'readerOwn', 'readerOther', 'checker', 'admin'] as const
type Persona = (typeof PERSONAS)[number]
/**
 * Who plays each persona: reader1 reads the head CT first and checker1 checks it; reader2 has no
 * assignment of it (though the head CT is a prior of reader2's scout study, so its images are
 * readable to reader2: DICOMweb rows use the echo instead).
 */
const USER_OF: Record<Exclude<Persona, 'anonymous'>, string> = { readerOwn: 'reader1', readerOther: 'reader2', checker: 'checker1', admin: 'admin' }

interface Fixtures {
  assignmentId: string
  caseId: string
  fujiCaseId: string
  reportId: string
  facilityId: string
  study: string
  series: string
  sop: string
}

interface Row {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  /** The route as Fastify registered it. */
  route: string
  path: (f: Fixtures) => string
  body?: unknown
  /** The request revokes the token it is made with: use a fresh login. */
  freshToken?: boolean
  expect: Record<Persona, number>
}

const everyone = (status: number): Record<Persona, number> => ({ anonymous: status, readerOwn: status, readerOther: status, checker: status, admin: status })
/** Any signed-in user; anonymous 401. */
const signedIn = (status: number): Record<Persona, number> => ({ ...everyone(status), anonymous: 401 })
/** Admins only: others 403, anonymous 401. */
const adminOnly = (status: number): Record<Persona, number> => ({ anonymous: 401, readerOwn: 403, readerOther: 403, checker: 403, admin: status })

const CT_REPORT: ReportContent = {
  masterVersion: 1,
  scale: 'report-check',
  findings: [{ findingCode: 'ctmr-no-abnormality', bodyPartCode: 'head', judgement: 'N', keyImages: [], measurements: [] }],
  impression: '頭部CT: 明らかな異常所見を認めません。',
  comments: '',
  keyImages: [],
  measurements: [],
}

const A = API_PREFIX
const D = DICOMWEB_ROOT
const MATRIX: Row[] = [
  // public
  { method: 'GET', route: `${A}/health`, path: () => apiPaths.health, expect: everyone(200) },
  { method: 'GET', route: `${A}/openapi.json`, path: () => apiPaths.openapi, expect: everyone(200) },
  { method: 'POST', route: `${A}/auth/login`, path: () => apiPaths.login, body: {}, expect: everyone(400) },
  { method: 'POST', route: `${A}/auth/refresh`, path: () => authPaths.refresh, body: {}, expect: everyone(400) },
  // the caller's own account
  { method: 'POST', route: `${A}/auth/logout`, path: () => apiPaths.logout, freshToken: true, expect: signedIn(204) },
  { method: 'GET', route: `${A}/me`, path: () => apiPaths.me, expect: signedIn(200) },
  { method: 'POST', route: `${A}/auth/password`, path: () => authPaths.password, body: {}, expect: signedIn(400) },
  { method: 'POST', route: `${A}/auth/totp/enrolment`, path: () => authPaths.totpEnrolment, body: {}, expect: signedIn(400) },
  { method: 'POST', route: `${A}/auth/totp/enrolment/confirm`, path: () => authPaths.totpConfirm, body: {}, expect: signedIn(400) },
  { method: 'GET', route: `${A}/worklist`, path: () => apiPaths.worklist, expect: signedIn(200) },
  { method: 'POST', route: `${A}/audit/events`, path: () => `${A}/audit/events`, body: {}, expect: signedIn(400) },
  // administration
  { method: 'POST', route: `${A}/admin/assignments`, path: () => apiPaths.adminAssignments, body: {}, expect: adminOnly(400) },
  { method: 'PATCH', route: `${A}/admin/assignments/:id`, path: (f) => `${apiPaths.adminAssignments}/${f.assignmentId}`, body: {}, expect: adminOnly(400) },
  { method: 'DELETE', route: `${A}/admin/assignments/:id`, path: () => `${apiPaths.adminAssignments}/no-such-assignment`, expect: adminOnly(404) },
  { method: 'POST', route: `${A}/admin/facilities/:facilityId/masters`, path: (f) => reportPaths.adminFacilityMasters(f.facilityId), body: {}, expect: adminOnly(400) },
  { method: 'GET', route: `${A}/admin/audit/events`, path: () => `${A}/admin/audit/events`, expect: adminOnly(200) },
  { method: 'GET', route: `${A}/admin/audit/export`, path: () => `${A}/admin/audit/export`, expect: adminOnly(200) },
  { method: 'GET', route: `${A}/admin/audit/verify`, path: () => `${A}/admin/audit/verify`, expect: adminOnly(200) },
  // readers and checkers get their own figures only (asking for another's is 403: statistics-routes.ts)
  { method: 'GET', route: `${A}/statistics/readers`, path: () => `${A}/statistics/readers`, expect: signedIn(200) },
  // an assignment: its reader, the checker of its case (reading), admins (who may act for a reader)
  { method: 'GET', route: `${A}/assignments/:id/master`, path: (f) => reportPaths.assignmentMaster(f.assignmentId), expect: { anonymous: 401, readerOwn: 200, readerOther: 403, checker: 200, admin: 200 } },
  { method: 'GET', route: `${A}/assignments/:id/report`, path: (f) => reportPaths.assignmentReport(f.assignmentId), expect: { anonymous: 401, readerOwn: 200, readerOther: 403, checker: 200, admin: 200 } },
  { method: 'POST', route: `${A}/assignments/:id/report`, path: (f) => reportPaths.assignmentReport(f.assignmentId), body: {}, expect: { anonymous: 401, readerOwn: 400, readerOther: 403, checker: 403, admin: 400 } },
  { method: 'POST', route: `${A}/assignments/:id/start`, path: (f) => `${A}/assignments/${f.assignmentId}/start`, expect: { anonymous: 401, readerOwn: 204, readerOther: 403, checker: 403, admin: 204 } },
  // a submitted report: its reader, the case's checker, admins. A correction is the reader's alone (409 here: the
  // report is under check, which is past the scope check).
  { method: 'GET', route: `${A}/reports/:id/fhir`, path: (f) => reportPaths.reportFhir(f.reportId), expect: { anonymous: 401, readerOwn: 200, readerOther: 403, checker: 200, admin: 200 } },
  { method: 'GET', route: `${A}/reports/:id/sr`, path: (f) => reportPaths.reportSr(f.reportId), expect: { anonymous: 401, readerOwn: 200, readerOther: 403, checker: 200, admin: 200 } },
  { method: 'GET', route: `${A}/reports/:id/versions`, path: (f) => `${A}/reports/${f.reportId}/versions`, expect: { anonymous: 401, readerOwn: 200, readerOther: 403, checker: 200, admin: 200 } },
  { method: 'POST', route: `${A}/reports/:id/versions`, path: (f) => `${A}/reports/${f.reportId}/versions`, body: { content: CT_REPORT, reason: '所見の表現を修正' }, expect: { anonymous: 401, readerOwn: 409, readerOther: 403, checker: 403, admin: 403 } },
  // a reading case: its participants and admins. Decisions go to the Fuji chest case with valid bodies: out of
  // turn (409) for whoever may make them, 403 for the rest; checker1 is its comparison reader, not a check's checker.
  { method: 'GET', route: `${A}/cases/:id`, path: (f) => `${A}/cases/${f.caseId}`, expect: { anonymous: 401, readerOwn: 200, readerOther: 403, checker: 200, admin: 200 } },
  { method: 'POST', route: `${A}/cases/:id/consensus`, path: (f) => `${A}/cases/${f.fujiCaseId}/consensus`, body: { overallJudgement: 'A', reason: '一致' }, expect: { anonymous: 401, readerOwn: 403, readerOther: 403, checker: 409, admin: 409 } },
  { method: 'POST', route: `${A}/cases/:id/committee`, path: (f) => `${A}/cases/${f.fujiCaseId}/committee`, body: { reason: '判定が分かれた' }, expect: { anonymous: 401, readerOwn: 403, readerOther: 403, checker: 409, admin: 409 } },
  { method: 'POST', route: `${A}/cases/:id/committee-decision`, path: (f) => `${A}/cases/${f.fujiCaseId}/committee-decision`, body: { overallJudgement: 'A', reason: '委員会' }, expect: { anonymous: 401, readerOwn: 403, readerOther: 403, checker: 409, admin: 409 } },
  { method: 'POST', route: `${A}/cases/:id/check-decision`, path: (f) => `${A}/cases/${f.fujiCaseId}/check-decision`, body: { decision: 'approve' }, expect: { anonymous: 401, readerOwn: 403, readerOther: 403, checker: 403, admin: 409 } },
  // DICOMweb: a study its readers (and the case's checker) may read; the search shows only those
  { method: 'GET', route: `${D}/studies`, path: () => `${D}/studies`, expect: signedIn(200) },
  { method: 'GET', route: `${D}/studies/:study/series`, path: (f) => `${D}/studies/${f.study}/series`, expect: { anonymous: 401, readerOwn: 200, readerOther: 403, checker: 403, admin: 200 } },
  { method: 'GET', route: `${D}/studies/:study/instances`, path: (f) => `${D}/studies/${f.study}/instances`, expect: { anonymous: 401, readerOwn: 200, readerOther: 403, checker: 403, admin: 200 } },
  { method: 'GET', route: `${D}/studies/:study/metadata`, path: (f) => `${D}/studies/${f.study}/metadata`, expect: { anonymous: 401, readerOwn: 200, readerOther: 403, checker: 403, admin: 200 } },
  { method: 'GET', route: `${D}/studies/:study/series/:series/metadata`, path: (f) => `${D}/studies/${f.study}/series/${f.series}/metadata`, expect: { anonymous: 401, readerOwn: 200, readerOther: 403, checker: 403, admin: 200 } },
  { method: 'GET', route: `${D}/studies/:study/series/:series/instances`, path: (f) => `${D}/studies/${f.study}/series/${f.series}/instances`, expect: { anonymous: 401, readerOwn: 200, readerOther: 403, checker: 403, admin: 200 } },
  { method: 'GET', route: `${D}/studies/:study/series/:series/instances/:sop`, path: (f) => `${D}/studies/${f.study}/series/${f.series}/instances/${f.sop}`, expect: { anonymous: 401, readerOwn: 200, readerOther: 403, checker: 403, admin: 200 } },
]

/**
 * "METHOD /path" of every route, from Fastify's route tree (printRoutes without a common
 * prefix: each line is one path segment under its parent, with its methods in parentheses).
 * HEAD routes Fastify adds for every GET are left out: they run the GET's handler.
 */
export function routesFromTree(tree: string): string[] {
  const routes: string[] = []
  const stack: string[] = []
  for (const line of tree.split('\n')) {
    const match = /^((?:[│ ] {3})*)[├└]── (\S+)(?: \(([^)]*)\))?/.exec(line)
    if (!match) continue
    const depth = (match[1] as string).length / 4
    stack.length = depth
    stack.push(match[2] as string)
    const methods = (match[3] ?? '').split(',').map((m) => m.trim()).filter(Boolean)
    for (const method of methods) if (!(method === 'HEAD' && methods.includes('GET'))) routes.push(`${method} ${stack.join('')}`)
  }
  return routes
}

let server: RunningReadingServer
let fixtures: Fixtures
const tokens = new Map<string, string>()

async function login(username: string): Promise<string> {
  const response = await fetch(`${server.url}${apiPaths.login}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  })
  return loginResponseSchema.parse(await response.json()).accessToken
}

beforeAll(async () => {
  server = await startReadingServer({ dataDir: null, seedDemo: true, databaseTemplateDir: DB_TEMPLATE_DIR })
  for (const username of Object.values(USER_OF)) tokens.set(username, await login(username))
  const auth = (user: string) => ({ authorization: `Bearer ${tokens.get(user)}` })
  const worklist = worklistResponseSchema.parse(await (await fetch(`${server.url}${apiPaths.worklist}`, { headers: auth('reader1') })).json())
  const assignment = worklist.assignments.find((a) => a.studyInstanceUid === CT_HEAD && a.readingType === 'first')
  if (!assignment?.readingCase) throw new Error('reader1 has no first read of the head CT')
  const fuji = worklist.assignments.find((a) => a.studyInstanceUid === FUJI_CHEST)
  if (!fuji?.readingCase) throw new Error('reader1 has no read of the Fuji chest')
  // reader1 submits the head CT, so there is a report (and the case waits for checker1's check)
  const submitted = await fetch(`${server.url}${reportPaths.assignmentReport(assignment.id)}`, {
    method: 'POST',
    headers: { ...auth('reader1'), 'content-type': 'application/json', [IDEMPOTENCY_KEY_HEADER]: randomUUID() },
    body: JSON.stringify({ content: CT_REPORT }),
  })
  if (!submitted.ok) throw new Error(`submitting the head CT: ${submitted.status} ${await submitted.text()}`)
  const report = storedReportSchema.parse(await submitted.json())
  const { rows } = await server.db.query<{ series_instance_uid: string; sop_instance_uid: string }>(
    'select i.series_instance_uid, i.sop_instance_uid from instances i join series s using (series_instance_uid) where s.study_instance_uid = $1 limit 1',
    [US_ECHO],
  )
  fixtures = {
    assignmentId: assignment.id,
    caseId: assignment.readingCase.id,
    fujiCaseId: fuji.readingCase.id,
    reportId: report.id,
    facilityId: assignment.facilityId,
    study: US_ECHO,
    series: rows[0]?.series_instance_uid as string,
    sop: rows[0]?.sop_instance_uid as string,
  }
})

afterAll(async () => {
  await server?.close()
})

describe('route access matrix', () => {
  it('reads routes from the route tree', () => {
    const tree = ['├── /a (GET, HEAD)', '│   └── /:id (PATCH, DELETE)', '└── /b (POST)', '    ├── /c (GET, HEAD)', '    │   └── -d (POST)'].join('\n')
    expect(routesFromTree(tree)).toEqual(['GET /a', 'PATCH /a/:id', 'DELETE /a/:id', 'POST /b', 'GET /b/c', 'POST /b/c-d'])
  })

  it('has exactly one row for every route the server registers', async () => {
    // a second app over the test's database, with its own change feed and grants: only its route tree is read
    const ctx: ServerContext = {
      db: server.db,
      storageDir: server.storageDir,
      tokenTtlSeconds: 900,
      now: () => new Date(),
      cachePolicy: { retentionDays: 7 },
      worklistChanges: new WorklistChanges(),
      accessGrants: new AccessGrantCache(),
      faults: {},
    }
    const app = await buildReadingServer(ctx)
    await app.ready()
    const registered = routesFromTree(app.printRoutes({ commonPrefix: false })).sort()
    await app.close()
    const rows = MATRIX.map((r) => `${r.method} ${r.route}`)
    expect(new Set(rows).size, 'duplicate rows').toBe(rows.length)
    expect(registered.length).toBeGreaterThan(30)
    expect([...rows].sort()).toEqual(registered)
  })

  it('gives each caller the status its row says', async () => {
    const mismatches: string[] = []
    // one request at a time: rows that change state (start, a correction) then act in a known order
    for (const row of MATRIX) {
        for (const persona of PERSONAS) {
          const username = persona === 'anonymous' ? undefined : USER_OF[persona]
          const token = username === undefined ? undefined : row.freshToken ? await login(username) : tokens.get(username)
          const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {}
          if (row.body !== undefined) headers['content-type'] = 'application/json'
          if (row.method === 'POST' && row.body !== undefined) headers[IDEMPOTENCY_KEY_HEADER] = randomUUID()
          const response = await fetch(`${server.url}${row.path(fixtures)}`, {
            method: row.method,
            headers,
            ...(row.body !== undefined ? { body: JSON.stringify(row.body) } : {}),
          })
          await response.arrayBuffer()
          if (response.status !== row.expect[persona]) {
            mismatches.push(`${row.method} ${row.route} as ${persona}: ${response.status}, row says ${row.expect[persona]}`)
          }
        }
    }
    expect(mismatches).toEqual([])
  })
})
