import { describe, expect, it } from 'vitest'
import { parseCsv } from './csv-records.ts'
import { parseMasterCsv } from './master-csv.ts'

const HEADER =
  'kind,code,name_ja,name_en,kana,scale,rank,normal,further_examination,jj1017,laterality,body_parts,modalities,allowed_judgements,default_judgement,template_ja,template_en,no_abnormality,message_ja,message_en'

/** A row from named values; every other column empty. */
function row(values: Record<string, string>): string {
  return HEADER.split(',')
    .map((c) => {
      const v = values[c] ?? ''
      return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v
    })
    .join(',')
}

const VALID = [
  HEADER,
  '# comments and blank lines are ignored',
  '',
  row({ kind: 'master', name_ja: '胸部X線マスター', name_en: 'Chest X-ray master' }),
  row({ kind: 'judgement', scale: 'lung-xray', code: 'A', name_ja: '異常なし', name_en: 'Normal', rank: '0', normal: 'true', further_examination: 'false' }),
  row({ kind: 'scale', code: 'lung-xray', name_ja: '肺がん検診', name_en: 'Lung screening' }),
  row({ kind: 'judgement', scale: 'lung-xray', code: 'E', name_ja: '肺癌の疑い', name_en: 'Suspected lung cancer', rank: '4', normal: 'false', further_examination: 'true' }),
  row({ kind: 'body-part', code: 'lung-field', name_ja: '肺野', name_en: 'Lung field', kana: 'はいや', jj1017: '25.6.0000', laterality: 'true' }),
  row({ kind: 'body-part', code: 'chest', name_ja: '胸部', name_en: 'Chest', kana: 'きょうぶ', laterality: 'false' }),
  row({ kind: 'finding', code: 'cx-none', name_ja: '異常なし', name_en: 'No abnormal findings', kana: 'いじょうなし', scale: 'lung-xray', body_parts: 'chest', modalities: 'CR|DX', allowed_judgements: 'A', default_judgement: 'A', template_ja: '異常所見を認めません。', template_en: 'No abnormal findings.', no_abnormality: 'true' }),
  row({ kind: 'finding', code: 'cx-nodule', name_ja: '結節影', name_en: 'Nodule', kana: 'けっせつえい', scale: 'lung-xray', body_parts: 'lung-field', modalities: 'CR | DX', allowed_judgements: 'A|E', default_judgement: 'E', template_ja: '{{laterality}}{{location}}に{{size}}大の結節影を認めます。', template_en: 'A {{size}} nodule, "{{location}}", {{laterality}}.' }),
  row({ kind: 'rule', code: 'location-required-above-normal', message_ja: '場所を書いてください', message_en: 'Give the location' }),
].join('\r\n')

describe('CSV records', () => {
  it('reads quoted fields with commas, quotes and line breaks, and numbers records by their first line', () => {
    expect(parseCsv('a,"b,c","d ""e"""\r\n"multi\nline",x\n\nlast')).toEqual([
      { line: 1, fields: ['a', 'b,c', 'd "e"'] },
      { line: 2, fields: ['multi\nline', 'x'] },
      { line: 4, fields: [''] },
      { line: 5, fields: ['last'] },
    ])
  })

  it('refuses an unclosed quote and text after a closing quote, naming the line', () => {
    expect(() => parseCsv('a\n"open,b')).toThrow(/not closed/)
    expect(() => parseCsv('a\n"x"y')).toThrow(/after a closing quote/)
  })
})

describe('CSV finding master', () => {
  it('assembles a valid file into a master, in any row order', () => {
    const result = parseMasterCsv(`\uFEFF${VALID}`)
    if (!result.ok) throw new Error(JSON.stringify(result.rows))
    expect(result.content.name).toEqual({ ja: '胸部X線マスター', en: 'Chest X-ray master' })
    expect(result.content.scales[0]?.values.map((v) => v.code)).toEqual(['A', 'E'])
    expect(result.content.bodyParts[0]).toMatchObject({ code: 'lung-field', jj1017: '25.6.0000', lateralityApplies: true })
    expect(result.content.findings[1]).toMatchObject({ modalities: ['CR', 'DX'], allowedJudgements: ['A', 'E'], noAbnormality: false })
    expect(result.content.findings[1]?.template.en).toBe('A {{size}} nodule, "{{location}}", {{laterality}}.')
    expect(result.content.findings[0]?.noAbnormality).toBe(true)
  })

  it('lists every bad line of each kind, not just the first', () => {
    const lines = VALID.split('\r\n')
    const bad = [
      ...lines,
      row({ kind: 'organ', code: 'x' }), // 13
      row({ kind: 'scale', code: 'gastric', name_ja: '胃' }), // 14: name_en missing
      row({ kind: 'judgement', scale: 'lung-xray', code: 'B', name_ja: '軽度', name_en: 'Minor', rank: '1.5', normal: 'yes', further_examination: 'false' }), // 15
      row({ kind: 'body-part', code: 'heart', name_ja: '心臓', name_en: 'Heart', kana: 'しんぞう', laterality: 'false', scale: 'lung-xray' }), // 16: unused column
      row({ kind: 'rule', code: 'no-such-rule', message_ja: 'x', message_en: 'x' }), // 17: unknown rule kind (schema)
      row({ kind: 'judgement', scale: 'no-such-scale', code: 'Z', name_ja: 'z', name_en: 'z', rank: '9', normal: 'false', further_examination: 'false' }), // 18
      row({ kind: 'master', name_ja: '二つ目', name_en: 'Second' }), // 19
    ].join('\n')
    const result = parseMasterCsv(bad)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.rows.map((r) => r.row)).toEqual(['line 13', 'line 14', 'line 15', 'line 16', 'line 17', 'line 18', 'line 19'])
    const message = (line: number) => result.rows.find((r) => r.row === `line ${line}`)?.message
    expect(message(13)).toMatch(/kind "organ" is not one of/)
    expect(message(14)).toMatch(/needs name_en/)
    expect(message(15)).toMatch(/rank must be a whole number.*normal must be true or false/)
    expect(message(16)).toMatch(/does not use scale/)
    expect(message(17)).toMatch(/^kind: /)
    expect(message(18)).toMatch(/scale "no-such-scale"/)
    expect(message(19)).toMatch(/already given on line 4/)
  })

  it('traces schema and referential problems back to the line of the item', () => {
    const lines = VALID.split('\r\n')
    const broken = [
      ...lines,
      row({ kind: 'rule', code: 'no-such-rule', message_ja: 'x', message_en: 'x' }), // 13
      row({ kind: 'finding', code: 'cx-mass', name_ja: '腫瘤影', name_en: 'Mass', kana: 'しゅりゅうえい', scale: 'lung-xray', body_parts: 'lung-field|heart', modalities: 'CR', allowed_judgements: 'E|X', default_judgement: 'A', template_ja: '{{where}}に腫瘤影', template_en: 'Mass' }), // 14
      row({ kind: 'body-part', code: 'chest', name_ja: '胸部', name_en: 'Chest', kana: 'きょうぶ', laterality: 'false' }), // 15: duplicate code
    ].join('\n')
    const referential = parseMasterCsv(broken)
    if (referential.ok) throw new Error('expected errors')
    expect(referential.rows.map((r) => r.row)).toEqual(['line 13', 'line 14', 'line 14', 'line 14', 'line 14', 'line 15'])
    expect(referential.rows[0]?.message).toMatch(/^kind: /)
    const text = referential.rows.map((r) => r.message).join('\n')
    expect(text).toMatch(/body part "heart"/)
    expect(text).toMatch(/judgement "X"/)
    expect(text).toMatch(/defaults to "A"/)
    expect(text).toMatch(/\{\{where\}\}/)
    expect(text).toMatch(/Body part "chest" is defined twice/)
  })

  it('reports an empty file, a bad header and a missing master row', () => {
    expect(parseMasterCsv('')).toMatchObject({ ok: false, rows: [{ row: 'file' }] })
    expect(parseMasterCsv('kind,colour\n')).toMatchObject({ ok: false, rows: [{ row: 'line 1', message: expect.stringMatching(/"colour"/) }] })
    const noMaster = VALID.split('\r\n').filter((l) => !l.startsWith('master')).join('\n')
    expect(parseMasterCsv(noMaster)).toMatchObject({ ok: false, rows: [{ row: 'file', message: expect.stringMatching(/No master row/) }] })
  })
})
