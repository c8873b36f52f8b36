import { describe, expect, it } from 'vitest'
import { findingMasterSchema, type FindingMaster, type ReportContent } from '../shared/finding-master.ts'
import { overallJudgement, validateReport } from '../shared/report-rules.ts'
import { DEMO_MASTER_FACILITIES, loadDemoMaster } from './demo-seed.ts'
import { masterProblems } from './master-consistency.ts'

async function demoMaster(facilityId: string): Promise<FindingMaster> {
  return findingMasterSchema.parse({ ...(await loadDemoMaster(facilityId)), facilityId, version: 1, frozen: false })
}

const further = (master: FindingMaster, scale: string) =>
  master.scales.find((s) => s.code === scale)?.values.filter((v) => v.requiresFurtherExamination).map((v) => v.code)
const normal = (master: FindingMaster, scale: string) =>
  master.scales.find((s) => s.code === scale)?.values.filter((v) => v.normal).map((v) => v.code)

describe('demo finding masters', () => {
  it.each(DEMO_MASTER_FACILITIES)('%s validates with findingMasterSchema and has no referential problems', async (facilityId) => {
    const master = await demoMaster(facilityId)
    expect(masterProblems(master)).toEqual([])
    for (const finding of master.findings) expect(finding.allowedJudgements).toContain(finding.defaultJudgement)
  })

  it('has the checkup scales with their further-examination values', async () => {
    const master = await demoMaster('minato-checkup')
    expect(master.scales.map((s) => [s.code, s.values.map((v) => v.code)])).toEqual([
      ['lung-xray', ['A', 'B', 'C', 'D', 'E']],
      ['mammography', ['1', '2', '3', '4', '5']],
      ['gastric-xray', ['1', '2', '3a', '3b', '4', '5']],
      ['ningen-dock', ['A', 'B', 'C', 'D1', 'D2', 'E']],
    ])
    expect(further(master, 'lung-xray')).toEqual(['D', 'E'])
    expect(normal(master, 'lung-xray')).toEqual(['A', 'B'])
    expect(further(master, 'mammography')).toEqual(['3', '4', '5'])
    expect(further(master, 'gastric-xray')).toEqual(['3a', '3b', '4', '5'])
    expect(further(master, 'ningen-dock')).toEqual(['D1', 'D2'])
    expect(master.rules.map((r) => r.kind).sort()).toEqual(['location-required-above-normal', 'no-abnormality-exclusive', 'overall-at-least-worst'])
    const nodule = master.findings.find((f) => f.code === 'cx-nodule')
    expect(nodule?.template.ja).toBe('{{laterality}}{{location}}に{{size}}大の結節影を認めます。')
    expect(master.bodyParts.find((b) => b.code === 'lung-field')).toMatchObject({ name: { ja: '肺野' }, kana: 'はいや', lateralityApplies: true })
  })

  it('accepts a typical report for each scale, and its rules catch the typical mistakes', async () => {
    const master = await demoMaster('minato-checkup')
    const report = (scale: string, findings: ReportContent['findings']): ReportContent => ({ masterVersion: 1, scale, findings, impression: '', comments: '', keyImages: [], measurements: [] })
    const f = (findingCode: string, bodyPartCode: string, judgement: string, location?: string) => ({
      findingCode,
      bodyPartCode,
      judgement,
      keyImages: [],
      measurements: [],
      ...(location ? { location } : {}),
    })
    const ok = [
      report('lung-xray', [f('cx-nodule', 'lung-field', 'E', '右上肺野')]),
      report('mammography', [f('mg-mass', 'breast', '4', 'C領域')]),
      report('gastric-xray', [f('gi-polyp', 'stomach', '3a', '胃体部')]),
      report('ningen-dock', [f('dock-nodule', 'lung-field', 'D2', '左下肺野')]),
      report('lung-xray', [f('cx-no-abnormality', 'chest', 'A')]),
    ]
    for (const r of ok) expect(validateReport(master, r)).toEqual([])
    expect(overallJudgement(master, ok[0] as ReportContent)).toMatchObject({ code: 'E', requiresFurtherExamination: true })
    expect(overallJudgement(master, report('lung-xray', []))).toMatchObject({ code: 'A' })
    expect(validateReport(master, report('mammography', [f('mg-mass', 'breast', '4')])).map((i) => i.rule)).toEqual(['location-required-above-normal'])

    const ct = await demoMaster('sakura-clinic')
    expect(ct.scales[0]?.values.map((v) => [v.code, v.rank, v.requiresFurtherExamination])).toEqual([
      ['N', 0, false],
      ['M', 1, false],
      ['F', 2, false],
      ['W', 3, true],
      ['U', 4, true],
    ])
    expect(validateReport(ct, report('report-check', [f('ctmr-hemorrhage', 'brain', 'U', '右被殻')]))).toEqual([])
  })
})
