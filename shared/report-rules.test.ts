import { describe, expect, it } from 'vitest'
import { findingMasterSchema, type FindingMaster, type ReportContent } from './finding-master.ts'
import { computedOverall, overallJudgement, validateReport } from './report-rules.ts'

const msg = (en: string) => ({ ja: en, en })

/** A chest-screening master cut down to what the rules need. */
const master: FindingMaster = findingMasterSchema.parse({
  facilityId: 'f',
  version: 1,
  name: msg('chest'),
  frozen: false,
  scales: [
    {
      code: 'lung-ae',
      name: msg('lung cancer screening'),
      values: [
        { code: 'A', label: msg('A'), rank: 1, normal: true, requiresFurtherExamination: false },
        { code: 'B', label: msg('B'), rank: 2, normal: true, requiresFurtherExamination: false },
        { code: 'C', label: msg('C'), rank: 3, normal: false, requiresFurtherExamination: false },
        { code: 'D', label: msg('D'), rank: 4, normal: false, requiresFurtherExamination: true },
        { code: 'E', label: msg('E'), rank: 5, normal: false, requiresFurtherExamination: true },
      ],
    },
  ],
  bodyParts: [
    { code: 'LUNG-R', name: msg('right lung field'), kana: 'うはいや', lateralityApplies: false },
    { code: 'CHEST', name: msg('chest'), kana: 'きょうぶ', lateralityApplies: false },
  ],
  findings: [
    { code: 'NAF', name: msg('no abnormal findings'), kana: 'いじょうなし', bodyParts: ['CHEST'], modalities: ['CR'], scale: 'lung-ae', allowedJudgements: ['A'], defaultJudgement: 'A', template: msg('No abnormal findings.'), noAbnormality: true },
    { code: 'NODULE', name: msg('nodule'), kana: 'けっせつえい', bodyParts: ['LUNG-R'], modalities: ['CR'], scale: 'lung-ae', allowedJudgements: ['C', 'D', 'E'], defaultJudgement: 'E', template: msg('Nodule in {{location}}.') },
    { code: 'SCAR', name: msg('scar'), kana: 'はんこん', bodyParts: ['LUNG-R'], modalities: ['CR'], scale: 'lung-ae', allowedJudgements: ['B', 'C'], defaultJudgement: 'B', template: msg('Scar.') },
  ],
  rules: [
    { kind: 'location-required-above-normal', message: msg('needs a location') },
    { kind: 'no-abnormality-exclusive', message: msg('no abnormal findings excludes other findings') },
    { kind: 'overall-at-least-worst', message: msg('overall must be at least the worst finding') },
  ],
})

const report = (findings: ReportContent['findings'], override?: ReportContent['overallOverride']): ReportContent => ({
  masterVersion: 1,
  scale: 'lung-ae',
  findings,
  ...(override ? { overallOverride: override } : {}),
  impression: '',
  comments: '',
  keyImages: [],
  measurements: [],
})
const nodule = (judgement: string, location?: string) => ({ findingCode: 'NODULE', bodyPartCode: 'LUNG-R', judgement, keyImages: [], measurements: [], ...(location ? { location } : {}) })

describe('report rules', () => {
  it('accepts a complete E report and computes E, needing further examination', () => {
    const r = report([nodule('E', 'right upper field')])
    expect(validateReport(master, r)).toEqual([])
    expect(computedOverall(master, r)).toMatchObject({ code: 'E', requiresFurtherExamination: true })
  })

  it('requires a location for a judgement above the normal range, on that finding', () => {
    const issues = validateReport(master, report([nodule('D')]))
    expect(issues).toEqual([{ rule: 'location-required-above-normal', findingIndex: 0, message: msg('needs a location') }])
  })

  it('does not require a location within the normal range', () => {
    expect(validateReport(master, report([{ findingCode: 'SCAR', bodyPartCode: 'LUNG-R', judgement: 'B', keyImages: [], measurements: [] }]))).toEqual([])
  })

  it('lets "no abnormal findings" stand only alone', () => {
    const naf = { findingCode: 'NAF', bodyPartCode: 'CHEST', judgement: 'A', keyImages: [], measurements: [] }
    expect(validateReport(master, report([naf]))).toEqual([])
    expect(validateReport(master, report([naf, nodule('C', 'x')])).map((i) => i.rule)).toEqual(['no-abnormality-exclusive'])
  })

  it('the overall is the worst finding, an override may raise it but not lower it', () => {
    const r = report([nodule('C', 'x'), { findingCode: 'SCAR', bodyPartCode: 'LUNG-R', judgement: 'B', keyImages: [], measurements: [] }])
    expect(computedOverall(master, r)?.code).toBe('C')
    expect(validateReport(master, report(r.findings, { judgement: 'D', reason: 'history' }))).toEqual([])
    expect(overallJudgement(master, report(r.findings, { judgement: 'D', reason: 'history' }))?.code).toBe('D')
    expect(validateReport(master, report(r.findings, { judgement: 'B', reason: 'no' })).map((i) => i.rule)).toEqual(['overall-at-least-worst'])
    expect(validateReport(master, report(r.findings, { judgement: 'Z', reason: 'no' })).map((i) => i.rule)).toEqual(['override-invalid'])
    expect(validateReport(master, report(r.findings, { judgement: 'D', reason: '  ' })).map((i) => i.rule)).toEqual(['override-invalid'])
  })

  it('with no findings the overall is the best normal value', () => {
    expect(computedOverall(master, report([]))?.code).toBe('A')
  })

  it('refuses codes and judgements the master does not allow', () => {
    expect(validateReport(master, report([{ findingCode: 'NOPE', bodyPartCode: 'LUNG-R', judgement: 'E', keyImages: [], measurements: [] }])).map((i) => i.rule)).toEqual(['unknown-code'])
    expect(validateReport(master, report([nodule('A', 'x')])).map((i) => i.rule)).toEqual(['judgement-not-allowed'])
    expect(validateReport(master, report([{ ...nodule('E', 'x'), bodyPartCode: 'CHEST' }])).map((i) => i.rule)).toEqual(['unknown-code'])
    expect(validateReport(master, { ...report([]), scale: 'nope' }).map((i) => i.rule)).toEqual(['unknown-code'])
  })
})
