import { describe, expect, it } from 'vitest'
import type { FindingMaster } from '../../../shared/finding-master.ts'
import { fillTemplate, searchFindings } from './finding-search.ts'

const t = (ja: string, en: string) => ({ ja, en })
const finding = (code: string, ja: string, kana: string, en: string, modalities = ['CR']) => ({
  code, name: t(ja, en), kana, bodyParts: ['X'], modalities, scale: 's', allowedJudgements: ['A'], defaultJudgement: 'A', template: t('', ''), noAbnormality: false,
})
const master = {
  findings: [finding('NOD', '結節影', 'けっせつえい', 'Nodule'), finding('MASS', '腫瘤影', 'しゅりゅうえい', 'Mass'), finding('CALC', '石灰化', 'せっかいか', 'Calcification', ['MG'])],
} as unknown as FindingMaster

describe('finding search', () => {
  it('finds by English, Japanese, kana (hiragana or katakana) and code', () => {
    expect(searchFindings(master, ['CR'], 'nod').map((f) => f.code)).toEqual(['NOD'])
    expect(searchFindings(master, ['CR'], '結節').map((f) => f.code)).toEqual(['NOD'])
    expect(searchFindings(master, ['CR'], 'しゅ').map((f) => f.code)).toEqual(['MASS'])
    expect(searchFindings(master, ['CR'], 'シュリュウ').map((f) => f.code)).toEqual(['MASS'])
    expect(searchFindings(master, ['CR'], 'MASS').map((f) => f.code)).toEqual(['MASS'])
  })
  it('lists only findings for the study’s modality, prefix matches first', () => {
    expect(searchFindings(master, ['CR'], '').map((f) => f.code)).toEqual(['NOD', 'MASS'])
    expect(searchFindings(master, ['MG'], 'calc').map((f) => f.code)).toEqual(['CALC'])
    expect(searchFindings(master, ['CR'], 'ss').map((f) => f.code)).toEqual(['MASS'])
  })
  it('fills template fields and leaves placeholders for the missing ones', () => {
    expect(fillTemplate('{{location}}に{{size}}大の結節影', { location: '右上肺野' }, { size: '大きさ' })).toBe('右上肺野に［大きさ］大の結節影')
    expect(fillTemplate('{{laterality}}{{location}}', { laterality: '', location: '左肺野' }, {})).toBe('左肺野')
  })
})
