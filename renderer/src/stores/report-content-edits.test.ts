import { describe, expect, it } from 'vitest'
import { findingMasterSchema, type ReportContent } from '../../../shared/finding-master.ts'
import { withFindingAdded, withFindingRemoved, withFindingUpdated, withOverride } from './report-content-edits.ts'

const bi = (s: string) => ({ ja: s, en: s })
const master = findingMasterSchema.parse({
  facilityId: 'f',
  version: 1,
  name: bi('m'),
  frozen: false,
  scales: [{ code: 'rc', name: bi('rc'), values: [{ code: 'W', label: bi('W'), rank: 3, normal: false, requiresFurtherExamination: true }] }],
  bodyParts: [
    { code: 'brain', name: { ja: '脳', en: 'Brain' }, kana: 'のう', lateralityApplies: true },
    { code: 'liver', name: { ja: '肝臓', en: 'Liver' }, kana: 'かんぞう', lateralityApplies: false },
  ],
  findings: [{ code: 'infarct', name: bi('infarct'), kana: 'こうそく', bodyParts: ['brain'], modalities: ['CT'], scale: 'rc', allowedJudgements: ['W'], defaultJudgement: 'W', template: bi('{{location}}') }],
  rules: [],
})
const content: ReportContent = { masterVersion: 1, scale: 'rc', findings: [], impression: 'x', comments: '', keyImages: [], measurements: [] }

describe('report content edits', () => {
  it('adds a finding with its default judgement and its side and body part as location', () => {
    const next = withFindingAdded(master, content, 'infarct', 'brain', 'L')!
    expect(next.findings).toEqual([{ findingCode: 'infarct', bodyPartCode: 'brain', judgement: 'W', location: '左脳', laterality: 'L', keyImages: [], measurements: [] }])
    expect(content.findings).toEqual([])
  })

  it('refuses a finding or body part the master does not pair', () => {
    expect(withFindingAdded(master, content, 'infarct', 'liver')).toBeNull()
    expect(withFindingAdded(master, content, 'nope', 'brain')).toBeNull()
  })

  it('updates and removes findings by index, leaving others alone', () => {
    const two = withFindingAdded(master, withFindingAdded(master, content, 'infarct', 'brain', 'L')!, 'infarct', 'brain', 'R')!
    const updated = withFindingUpdated(two, 1, { location: '右被殻' })
    expect(updated.findings.map((f) => f.location)).toEqual(['左脳', '右被殻'])
    expect(withFindingUpdated(two, 5, { location: 'x' })).toBe(two)
    expect(withFindingRemoved(updated, 0).findings.map((f) => f.location)).toEqual(['右被殻'])
  })

  it('sets and clears the overall override', () => {
    const overridden = withOverride(content, { judgement: 'W', reason: 'r' })
    expect(overridden.overallOverride).toEqual({ judgement: 'W', reason: 'r' })
    expect('overallOverride' in withOverride(overridden, undefined)).toBe(false)
  })
})
