import { describe, expect, it } from 'vitest'
import { buildFhirDiagnosticReport } from './fhir-diagnostic-report.ts'
import { checkupExportSource } from './report-export-fixture.ts'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/
const FHIR_DATE_TIME = /^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$/
const FHIR_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/

function expectCodeableConcept(concept: Json): void {
  expect(Array.isArray(concept.coding) || typeof concept.text === 'string').toBe(true)
  for (const coding of concept.coding ?? []) {
    expect(typeof coding.system).toBe('string')
    expect(coding.system).toMatch(/^(https?:|urn:)/)
    expect(typeof coding.code).toBe('string')
    expect(coding.code).toMatch(/^[^\s]+( [^\s]+)*$/)
  }
}

describe('FHIR DiagnosticReport', () => {
  it('has the elements R4 requires, in the right shapes', async () => {
    const source = await checkupExportSource()
    const report = buildFhirDiagnosticReport(source) as Json
    expect(report.resourceType).toBe('DiagnosticReport')
    expect(report.id).toMatch(FHIR_ID)
    expect(['registered', 'partial', 'preliminary', 'final', 'amended', 'corrected', 'appended', 'cancelled', 'entered-in-error', 'unknown']).toContain(report.status)
    expect(report.status).toBe('final')
    expectCodeableConcept(report.code)
    expect(report.code.coding[0]).toMatchObject({ system: 'http://loinc.org', code: '18748-4' })
    for (const c of report.category) expectCodeableConcept(c)
    expect(report.subject.display).toBe('MHC-1A2B3C')
    expect(report.subject.identifier).toMatchObject({ value: 'P-0001' })
    expect(report.effectiveDateTime).toBe('2026-03-01')
    expect(report.effectiveDateTime).toMatch(FHIR_DATE_TIME)
    expect(report.issued).toBe('2026-03-04T05:06:07.000Z')
    expect(report.issued).toMatch(FHIR_INSTANT)
    expect(report.performer[0]).toMatchObject({ reference: 'Practitioner/u-reader1', display: '読影 太郎' })
    expect(report.conclusion).toContain('肺癌の疑いがあり')
    expect(report.conclusion).toContain('総合判定 E')
    expect(report.conclusionCode[0].coding[0]).toMatchObject({ code: 'E', version: '1', display: '肺癌の疑い' })
    expect(report.imagingStudy[0].identifier.value).toBe('urn:oid:1.2.826.0.1.3680043.10.99.501')
  })

  it('contains one Observation per finding, each referenced from result (dom-3)', async () => {
    const source = await checkupExportSource()
    const report = buildFhirDiagnosticReport(source) as Json
    expect(report.contained).toHaveLength(2)
    expect(report.result.map((r: Json) => r.reference)).toEqual(report.contained.map((o: Json) => `#${o.id}`))
    const [nodule, heart] = report.contained as Json[]
    for (const observation of report.contained as Json[]) {
      expect(observation.resourceType).toBe('Observation')
      expect(observation.id).toMatch(FHIR_ID)
      expect(observation.status).toBe('final')
      expectCodeableConcept(observation.code)
      expectCodeableConcept(observation.bodySite)
      for (const i of observation.interpretation) expectCodeableConcept(i)
      // contained resources carry no meta.versionId/lastUpdated and nest nothing (dom-2, dom-4)
      expect(observation.contained).toBeUndefined()
      expect(observation.meta).toBeUndefined()
    }
    expect(nodule?.code.coding[0]).toMatchObject({ code: 'cx-nodule', display: '結節影', version: '1' })
    expect(nodule?.bodySite.coding[0]).toMatchObject({ code: 'lung-field' })
    expect(nodule?.bodySite.text).toContain('右肺野')
    expect(nodule?.interpretation[0].coding[0]).toMatchObject({ code: 'E' })
    expect(nodule?.valueString).toBe('右上肺野に15mm大の結節影を認めます。')
    expect(heart?.interpretation[0].coding[0]).toMatchObject({ code: 'C' })
  })
})
