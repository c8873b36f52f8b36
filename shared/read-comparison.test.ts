import { describe, expect, it } from 'vitest'
import type { ReportContent, ReportFinding } from './finding-master.ts'
import { compareReads } from './read-comparison.ts'

const finding = (bodyPartCode: string, findingCode: string, judgement: string, extra: Partial<ReportFinding> = {}): ReportFinding => ({
  bodyPartCode,
  findingCode,
  judgement,
  keyImages: [],
  measurements: [],
  ...extra,
})
const read = (findings: ReportFinding[], overallJudgement: string, requiresFurtherExamination = false) => ({
  content: { masterVersion: 1, scale: 'chest', findings, impression: '', comments: '', keyImages: [], measurements: [] } satisfies ReportContent,
  overallJudgement,
  requiresFurtherExamination,
})

describe('compareReads', () => {
  it('matches by body part and finding code and classifies each pair', () => {
    const first = read([finding('RUL', 'nodule', 'D', { laterality: 'R' }), finding('LLL', 'scar', 'B'), finding('heart', 'cardiomegaly', 'C')], 'D', true)
    const second = read([finding('LLL', 'scar', 'C'), finding('RUL', 'nodule', 'D', { laterality: 'L' }), finding('hilum', 'lymph', 'C')], 'C', false)
    const result = compareReads(first, second)
    expect(result.findings.map((r) => [r.bodyPartCode, r.match])).toEqual([
      ['RUL', 'location-differs'],
      ['LLL', 'judgement-differs'],
      ['heart', 'only-first'],
      ['hilum', 'only-second'],
    ])
    expect(result.overallAgrees).toBe(false)
    expect(result.disagreements).toBe(5)
  })
  it('agrees when the findings and the overall judgement are the same, whatever the order', () => {
    const a = read([finding('RUL', 'nodule', 'D', { location: 'S2 ' }), finding('LLL', 'scar', 'B')], 'D', true)
    const b = read([finding('LLL', 'scar', 'B'), finding('RUL', 'nodule', 'D', { location: 's2' })], 'D', true)
    const result = compareReads(a, b)
    expect(result.findings.every((r) => r.match === 'agree')).toBe(true)
    expect(result.overallAgrees).toBe(true)
    expect(result.disagreements).toBe(0)
  })
  it('pairs repeated findings in order and leaves the extra one unmatched', () => {
    const a = read([finding('RUL', 'nodule', 'C'), finding('RUL', 'nodule', 'D')], 'D', true)
    const b = read([finding('RUL', 'nodule', 'C')], 'D', true)
    expect(compareReads(a, b).findings.map((r) => r.match)).toEqual(['agree', 'only-first'])
  })
  it('counts a different further-examination decision as a disagreement even with the same code', () => {
    expect(compareReads(read([], 'E', true), read([], 'E', false)).overallAgrees).toBe(false)
  })
})
