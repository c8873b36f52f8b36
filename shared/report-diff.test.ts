import { describe, expect, it } from 'vitest'
import type { ReportContent, ReportFinding } from './finding-master.ts'
import { diffReports, diffText, type TextChange } from './report-diff.ts'

const apply = (changes: TextChange[], side: 'before' | 'after') =>
  changes.filter((c) => c.kind === 'same' || c.kind === (side === 'before' ? 'delete' : 'insert')).map((c) => c.text).join('')

describe('diffText', () => {
  it('reproduces both texts and marks a changed Japanese character, not the sentence', () => {
    const before = '右上葉に結節影を認める。経過観察を推奨。'
    const after = '右下葉に結節影を認める。精密検査を推奨。'
    const changes = diffText(before, after)
    expect(apply(changes, 'before')).toBe(before)
    expect(apply(changes, 'after')).toBe(after)
    expect(changes.filter((c) => c.kind === 'delete').map((c) => c.text)).toEqual(['上', '経過観察'])
    expect(changes.filter((c) => c.kind === 'insert').map((c) => c.text)).toEqual(['下', '精密検査'])
  })
  it('diffs English by word', () => {
    const changes = diffText('small nodule in the right upper lobe', 'large nodule in the right lower lobe')
    expect(changes.filter((c) => c.kind !== 'same').map((c) => `${c.kind}:${c.text}`)).toEqual(['delete:small', 'insert:large', 'delete:upper', 'insert:lower'])
  })
  it('gives one kept run for equal texts and handles empty sides', () => {
    expect(diffText('same', 'same')).toEqual([{ kind: 'same', text: 'same' }])
    expect(diffText('', 'new')).toEqual([{ kind: 'insert', text: 'new' }])
    expect(diffText('old', '')).toEqual([{ kind: 'delete', text: 'old' }])
  })
  it('still reproduces both sides of texts too long to search', () => {
    const before = 'a'.repeat(3000) + 'x'.repeat(3000)
    const after = 'a'.repeat(3000) + 'y'.repeat(3000)
    const changes = diffText(before, after)
    expect(apply(changes, 'before')).toBe(before)
    expect(apply(changes, 'after')).toBe(after)
  })
})

const f = (bodyPartCode: string, findingCode: string, judgement: string, extra: Partial<ReportFinding> = {}): ReportFinding => ({ bodyPartCode, findingCode, judgement, keyImages: [], measurements: [], ...extra })
const content = (findings: ReportFinding[], impression: string, override?: string): ReportContent => ({
  masterVersion: 1,
  scale: 'ct',
  findings,
  impression,
  comments: '',
  keyImages: [],
  measurements: [],
  ...(override ? { overallOverride: { judgement: override, reason: 'r' } } : {}),
})

describe('diffReports', () => {
  it('lists added, removed and changed findings with the fields that changed', () => {
    const before = content([f('liver', 'cyst', 'B'), f('lung', 'nodule', 'C', { location: 'S6' })], 'text')
    const after = content([f('lung', 'nodule', 'D', { location: 'S8' }), f('kidney', 'stone', 'B')], 'text', 'D')
    const changes = diffReports(before, after)
    expect(changes.findings.map((c) => (c.kind === 'changed' ? `changed:${c.fields.join('+')}` : `${c.kind}:${c.finding.findingCode}`))).toEqual([
      'removed:cyst',
      'changed:judgement+location',
      'added:stone',
    ])
    expect(changes.overallOverride).toEqual({ before: undefined, after: 'D' })
    expect(changes.changed).toBe(true)
  })
  it('says nothing changed for the same content', () => {
    const c = content([f('lung', 'nodule', 'C')], '所見なし')
    expect(diffReports(c, structuredClone(c)).changed).toBe(false)
  })
})
