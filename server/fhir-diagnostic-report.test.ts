import { describe, expect, it } from 'vitest'
import { buildFhirDiagnosticReport } from './fhir-diagnostic-report.ts'
import { annotatedExportSource, checkupExportSource, FIXTURE_IMAGES } from './report-export-fixture.ts'

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

describe('FHIR DiagnosticReport with key images and measurements', () => {
  /** Every `reference` anywhere in the resource. */
  const references = (value: unknown): string[] =>
    Array.isArray(value)
      ? value.flatMap(references)
      : value && typeof value === 'object'
        ? Object.entries(value).flatMap(([k, v]) => (k === 'reference' && typeof v === 'string' ? [v] : references(v)))
        : []

  it('contains an Observation per measurement and a Media per key image, each referenced from the report (dom-3)', async () => {
    const report = buildFhirDiagnosticReport(await annotatedExportSource()) as Json
    const contained = report.contained as Json[]
    expect(contained.map((r) => `${r.resourceType}/${r.id}`)).toEqual([
      'Observation/finding-1',
      'Observation/finding-2',
      ...[1, 2, 3, 4, 5].map((n) => `Observation/measurement-${n}`),
      ...[1, 2, 3].map((n) => `Media/key-image-${n}`),
    ])
    const referenced = new Set(references({ ...report, contained: undefined }))
    for (const resource of contained) {
      expect(resource.id).toMatch(FHIR_ID)
      expect(referenced).toContain(`#${resource.id}`)
      expect(resource.contained).toBeUndefined()
    }
    expect(report.result.map((r: Json) => r.reference)).toEqual(contained.filter((r) => r.resourceType === 'Observation').map((r) => `#${r.id}`))
    expect(report.media.map((m: Json) => m.link.reference)).toEqual(['#key-image-1', '#key-image-2', '#key-image-3'])
  })

  it('gives measurements as UCUM quantities: one value as valueQuantity, an ROI’s statistics as components', async () => {
    const report = buildFhirDiagnosticReport(await annotatedExportSource()) as Json
    const byId = new Map((report.contained as Json[]).map((r) => [r.id, r]))
    const [length, roi, angle, pixels, probe] = [1, 2, 3, 4, 5].map((n) => byId.get(`measurement-${n}`)!)
    for (const m of [length!, roi!, angle!, pixels!, probe!]) {
      expect(m.status).toBe('final')
      expectCodeableConcept(m.code)
      for (const q of [m.valueQuantity, ...(m.component ?? []).map((c: Json) => c.valueQuantity)].filter(Boolean)) {
        expect(q.system).toBe('http://unitsofmeasure.org')
        expect(q.code).toMatch(/^\S+$/)
        expect(typeof q.value).toBe('number')
      }
    }
    expect(length!.valueQuantity).toEqual({ value: 15.2, unit: 'millimeter', system: 'http://unitsofmeasure.org', code: 'mm' })
    expect(length!.code.text).toBe('長さ / Length')
    expect(angle!.valueQuantity).toMatchObject({ value: 35.5, code: 'deg' })
    expect(pixels!.valueQuantity).toMatchObject({ value: 120, code: '{px}' })
    expect(probe!.valueQuantity).toMatchObject({ value: -998, code: "[hnsf'U]" })
    expect(roi!.valueQuantity).toBeUndefined()
    expect(roi!.component.map((c: Json) => [c.code.coding?.[0]?.code, c.valueQuantity.value, c.valueQuantity.code])).toEqual([
      ['373098007', 41.25, "[hnsf'U]"],
      ['386136009', 3.5, "[hnsf'U]"],
      ['255605001', 30, "[hnsf'U]"],
      ['56851009', 52, "[hnsf'U]"],
      ['42798000', 31.4, 'mm2'],
    ])
    for (const c of roi!.component) expectCodeableConcept(c.code)
  })

  it('says which image each measurement was made on, the prior’s study included, and links findings to their measurements', async () => {
    const report = buildFhirDiagnosticReport(await annotatedExportSource()) as Json
    const byId = new Map((report.contained as Json[]).map((r) => [r.id, r]))
    expect(byId.get('measurement-1')!.derivedFrom[0].identifier.value).toBe(`urn:oid:${FIXTURE_IMAGES.chest.studyInstanceUid}`)
    expect(byId.get('measurement-2')!.derivedFrom[0]).toMatchObject({ type: 'ImagingStudy', identifier: { value: `urn:oid:${FIXTURE_IMAGES.priorCt.studyInstanceUid}` } })
    expect(byId.get('measurement-2')!.note[0].text).toContain(FIXTURE_IMAGES.priorCt.sopInstanceUid)
    expect(byId.get('measurement-4')!.note[0].text).toContain('frame 4')
    expect(byId.get('finding-1')!.derivedFrom.map((r: Json) => r.reference)).toEqual(['#measurement-1', '#measurement-2'])
    expect(byId.get('finding-2')!.derivedFrom).toBeUndefined()
  })

  it('names each key image by its DICOM UIDs and frame', async () => {
    const report = buildFhirDiagnosticReport(await annotatedExportSource()) as Json
    const media = (report.contained as Json[]).filter((r) => r.resourceType === 'Media')
    for (const m of media) {
      expect(m.status).toBe('completed')
      expect(m.content.contentType).toBe('application/dicom')
      expect(m.subject).toEqual(report.subject)
    }
    expect(media.map((m) => m.identifier[0].value)).toEqual([FIXTURE_IMAGES.chest, FIXTURE_IMAGES.cine, FIXTURE_IMAGES.priorCt].map((i) => `urn:oid:${i.sopInstanceUid}`))
    expect(media[1]!.content.title).toContain('frame 4')
    expect(media[2]!.content.title).toContain('prior study')
  })

  it('a report without them has no media and no measurement observations', async () => {
    const report = buildFhirDiagnosticReport(await checkupExportSource()) as Json
    expect(report.media).toBeUndefined()
    expect(report.contained.every((r: Json) => String(r.id).startsWith('finding-'))).toBe(true)
  })
})
