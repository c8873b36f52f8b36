import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { apiPaths } from './api-contract.ts'
import { DICOMWEB_ROOT } from './dicomweb-paths.ts'
import { pathTemplate } from './openapi-parts.ts'
import { buildOpenApiDocument } from './openapi.ts'
import { reportPaths } from './report-contract.ts'

type Doc = {
  openapi: string
  paths: Record<string, Record<string, unknown>>
  components: { schemas: Record<string, Record<string, unknown>> }
}

const built = JSON.parse(JSON.stringify(buildOpenApiDocument())) as Doc

describe('OpenAPI document', () => {
  it('is committed up to date (run `npm run openapi` after changing the contract)', () => {
    const committed: unknown = JSON.parse(readFileSync(new URL('./openapi.json', import.meta.url), 'utf8'))
    expect(committed).toEqual(built)
  })

  it('describes every JSON API path and the DICOMweb routes', () => {
    for (const path of Object.values(apiPaths)) expect(Object.keys(built.paths)).toContain(path)
    for (const path of ['/studies', '/studies/{study}/series', '/studies/{study}/series/{series}/instances/{sop}', '/studies/{study}/metadata']) {
      expect(Object.keys(built.paths)).toContain(`${DICOMWEB_ROOT}${path}`)
    }
    expect(built.openapi).toBe('3.1.0')
  })

  it('documents the worklist long-poll and the admin assignment endpoints', () => {
    type Operation = { parameters?: Array<{ name: string; in: string }>; responses: Record<string, unknown> }
    const worklist = built.paths[apiPaths.worklist]?.get as Operation
    expect(worklist.parameters?.map((p) => `${p.in}:${p.name}`)).toEqual(['query:waitSeconds', 'header:If-None-Match'])
    expect(Object.keys(worklist.responses)).toEqual(expect.arrayContaining(['200', '304', '400', '401']))
    expect(Object.keys(built.paths[apiPaths.adminAssignments] ?? {})).toEqual(['post'])
    const byId = built.paths[`${apiPaths.adminAssignments}/{id}`] ?? {}
    expect(Object.keys(byId).sort()).toEqual(['delete', 'patch'])
    expect(Object.keys((byId.delete as Operation).responses)).toEqual(expect.arrayContaining(['204', '403', '404']))
    expect(built.components.schemas.UpdateAssignmentRequest?.additionalProperties).toBe(false)
  })

  it('documents the report endpoints: exactly-once submission, exports and master import', () => {
    type Operation = { parameters?: Array<{ name: string; in: string; required?: boolean }>; responses: Record<string, unknown>; description?: string }
    for (const path of [pathTemplate(reportPaths.assignmentMaster, 'id'), pathTemplate(reportPaths.reportFhir, 'id'), pathTemplate(reportPaths.reportSr, 'id')]) {
      expect(Object.keys(built.paths[path] ?? {})).toEqual(['get'])
    }
    const report = built.paths[pathTemplate(reportPaths.assignmentReport, 'id')] ?? {}
    expect(Object.keys(report).sort()).toEqual(['get', 'post'])
    const submit = report.post as Operation
    expect(submit.parameters?.find((p) => p.in === 'header')).toMatchObject({ name: 'idempotency-key', required: true })
    expect(Object.keys(submit.responses)).toEqual(expect.arrayContaining(['200', '201', '400', '403', '409', '422']))
    const importMaster = built.paths[pathTemplate(reportPaths.adminFacilityMasters, 'facilityId')]?.post as Operation
    expect(importMaster.description).toContain('`finding`')
    expect(Object.keys(importMaster.responses)).toEqual(expect.arrayContaining(['201', '400', '403']))
  })

  it('has component schemas from the zod contract, with resolvable references', () => {
    const names = Object.keys(built.components.schemas)
    for (const name of [
      'User',
      'LoginRequest',
      'LoginResponse',
      'ApiError',
      'Assignment',
      'PriorStudy',
      'CachePolicy',
      'WorklistResponse',
      'CreateAssignmentRequest',
      'UpdateAssignmentRequest',
      'Health',
      'DicomJsonList',
      'FindingMaster',
      'StoredReport',
      'SubmitReportRequest',
      'ReportRejected',
      'MasterImportRequest',
      'MasterImportError',
      'MasterImportResult',
    ]) {
      expect(names).toContain(name)
    }
    expect(built.components.schemas.ApiError?.required).toEqual(['error', 'message'])
    const refs = JSON.stringify(built).match(/"#\/components\/schemas\/[^"]+"/g) ?? []
    expect(refs.length).toBeGreaterThan(10)
    for (const ref of refs) expect(names).toContain(ref.slice('"#/components/schemas/'.length, -1))
  })
})
