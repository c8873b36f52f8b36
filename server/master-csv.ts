/**
 * The CSV master format (documented at MASTER_CSV_ROW_COLUMNS in shared/report-contract.ts):
 * one file, a `kind` column saying what each row defines. Rows are checked one by one (kind,
 * columns, booleans, numbers), then the assembled master goes through the same validation as
 * a JSON import, with each problem traced back to the line its item came from.
 */
import {
  MASTER_CSV_COLUMNS,
  MASTER_CSV_KINDS,
  MASTER_CSV_ROW_COLUMNS,
  type MasterCsvColumn,
  type MasterCsvKind,
} from '../shared/report-contract.ts'
import { CsvSyntaxError, parseCsv } from './csv-records.ts'
import type { MasterPath } from './master-consistency.ts'
import { validateMasterCandidate, type MasterRowError, type MasterValidation } from './master-import.ts'

const lineLabel = (line: number) => `line ${line}`
const FILE_ROW = 'file'

type Row = Partial<Record<MasterCsvColumn, string>>

function isKind(value: string): value is MasterCsvKind {
  return (MASTER_CSV_KINDS as readonly string[]).includes(value)
}

function isColumn(value: string): value is MasterCsvColumn {
  return (MASTER_CSV_COLUMNS as readonly string[]).includes(value)
}

const list = (value: string) => value.split('|').map((v) => v.trim()).filter((v) => v !== '')

interface Candidate {
  name?: { ja: string; en: string }
  scales: Array<{ code: string; name: { ja: string; en: string }; values: unknown[] }>
  bodyParts: unknown[]
  findings: unknown[]
  rules: unknown[]
}

/** Parses and validates a CSV master; every bad line is reported, not just the first. */
export function parseMasterCsv(text: string): MasterValidation {
  let records
  try {
    records = parseCsv(text).filter((r) => r.fields.some((f) => f.trim() !== '') && !r.fields[0]?.trim().startsWith('#'))
  } catch (error) {
    if (error instanceof CsvSyntaxError) return { ok: false, rows: [{ row: lineLabel(error.line), message: error.message }] }
    throw error
  }
  const [header, ...body] = records
  if (!header) return { ok: false, rows: [{ row: FILE_ROW, message: 'The file is empty; it needs a header row and one row per item.' }] }

  const errors: MasterRowError[] = []
  const columns = header.fields.map((f) => f.trim())
  const unknown = columns.filter((c) => !isColumn(c))
  const repeated = columns.filter((c, i) => columns.indexOf(c) !== i)
  if (unknown.length > 0) errors.push({ row: lineLabel(header.line), message: `Unknown column(s) ${unknown.map((c) => `"${c}"`).join(', ')}; the columns are ${MASTER_CSV_COLUMNS.join(', ')}` })
  if (repeated.length > 0) errors.push({ row: lineLabel(header.line), message: `Column(s) ${repeated.join(', ')} appear more than once` })
  if (!columns.includes('kind')) errors.push({ row: lineLabel(header.line), message: 'The header has no "kind" column' })
  if (errors.length > 0) return { ok: false, rows: errors }

  const candidate: Candidate = { scales: [], bodyParts: [], findings: [], rules: [] }
  // Where each item came from, by its path in the master: problems found later point back here.
  const origins = new Map<string, number>()
  const judgements: Array<{ line: number; scale: string; value: unknown }> = []
  let masterLine: number | undefined

  for (const record of body) {
    const row: Row = {}
    columns.forEach((column, i) => {
      if (isColumn(column)) row[column] = (record.fields[i] ?? '').trim()
    })
    const rowErrors: string[] = []
    if (record.fields.length > columns.length && record.fields.slice(columns.length).some((f) => f.trim() !== '')) {
      rowErrors.push(`the row has ${record.fields.length} fields but the header names ${columns.length}`)
    }
    const kind = row.kind ?? ''
    if (!isKind(kind)) {
      errors.push({ row: lineLabel(record.line), message: `kind "${kind}" is not one of ${MASTER_CSV_KINDS.join(', ')}` })
      continue
    }
    const { required, optional } = MASTER_CSV_ROW_COLUMNS[kind]
    const missing = required.filter((c) => !row[c])
    if (missing.length > 0) rowErrors.push(`a ${kind} row needs ${missing.join(', ')}`)
    const extra = MASTER_CSV_COLUMNS.filter((c) => c !== 'kind' && row[c] && !required.includes(c) && !optional.includes(c))
    if (extra.length > 0) rowErrors.push(`a ${kind} row does not use ${extra.join(', ')} (leave them empty)`)
    const bool = (column: MasterCsvColumn, fallback?: boolean): boolean => {
      const value = (row[column] ?? '').toLowerCase()
      if (value === '' && fallback !== undefined) return fallback
      if (value === 'true' || value === '1') return true
      if (value === 'false' || value === '0') return false
      if (value !== '') rowErrors.push(`${column} must be true or false, not "${row[column]}"`)
      return false
    }
    const text = (column: MasterCsvColumn) => row[column] ?? ''
    const bilingual = (ja: MasterCsvColumn, en: MasterCsvColumn) => ({ ja: text(ja), en: text(en) })

    switch (kind) {
      case 'master':
        if (masterLine !== undefined) rowErrors.push(`the master row is already given on line ${masterLine}`)
        else {
          masterLine = record.line
          candidate.name = bilingual('name_ja', 'name_en')
        }
        break
      case 'scale':
        origins.set(JSON.stringify(['scales', candidate.scales.length]), record.line)
        candidate.scales.push({ code: text('code'), name: bilingual('name_ja', 'name_en'), values: [] })
        break
      case 'judgement': {
        const rank = Number(text('rank'))
        if (text('rank') !== '' && !(Number.isInteger(rank) && /^-?\d+$/.test(text('rank')))) rowErrors.push(`rank must be a whole number, not "${text('rank')}"`)
        const value = {
          code: text('code'),
          label: bilingual('name_ja', 'name_en'),
          rank,
          normal: bool('normal'),
          requiresFurtherExamination: bool('further_examination'),
        }
        judgements.push({ line: record.line, scale: text('scale'), value })
        break
      }
      case 'body-part':
        origins.set(JSON.stringify(['bodyParts', candidate.bodyParts.length]), record.line)
        candidate.bodyParts.push({
          code: text('code'),
          name: bilingual('name_ja', 'name_en'),
          kana: text('kana'),
          ...(text('jj1017') ? { jj1017: text('jj1017') } : {}),
          lateralityApplies: bool('laterality'),
        })
        break
      case 'finding':
        origins.set(JSON.stringify(['findings', candidate.findings.length]), record.line)
        candidate.findings.push({
          code: text('code'),
          name: bilingual('name_ja', 'name_en'),
          kana: text('kana'),
          bodyParts: list(text('body_parts')),
          modalities: list(text('modalities')),
          scale: text('scale'),
          allowedJudgements: list(text('allowed_judgements')),
          defaultJudgement: text('default_judgement'),
          template: bilingual('template_ja', 'template_en'),
          noAbnormality: bool('no_abnormality', false),
        })
        break
      case 'rule':
        origins.set(JSON.stringify(['rules', candidate.rules.length]), record.line)
        candidate.rules.push({ kind: text('code'), message: bilingual('message_ja', 'message_en') })
        break
    }
    if (rowErrors.length > 0) errors.push({ row: lineLabel(record.line), message: rowErrors.join('; ') })
  }

  // Judgements may come before or after their scale's row.
  for (const j of judgements) {
    const s = candidate.scales.findIndex((scale) => scale.code === j.scale)
    const scale = candidate.scales[s]
    if (!scale) {
      errors.push({ row: lineLabel(j.line), message: `judgement names scale "${j.scale}", which no scale row defines` })
      continue
    }
    origins.set(JSON.stringify(['scales', s, 'values', scale.values.length]), j.line)
    scale.values.push(j.value)
  }
  if (masterLine === undefined) errors.push({ row: FILE_ROW, message: 'No master row: add one row of kind "master" with name_ja and name_en' })

  // The assembled master is checked even when rows failed, so one answer lists every bad row;
  // a line that already failed is not reported again for what followed from its failure.
  const validation = validateMasterCandidate(candidate, (path) => locate(path, origins, masterLine))
  if (validation.ok && errors.length === 0) return validation
  const failedLines = new Set(errors.map((e) => e.row))
  const later = validation.ok ? [] : validation.rows.filter((r) => !failedLines.has(r.row) && !(r.row === FILE_ROW && r.message.startsWith('name')))
  return { ok: false, rows: [...errors, ...later].sort(byRow) }
}

/** The line of the deepest item containing the path, and the rest of the path as a field name. */
function locate(path: MasterPath, origins: ReadonlyMap<string, number>, masterLine: number | undefined): { row: string; field: string } {
  for (let depth = path.length; depth > 0; depth--) {
    const line = origins.get(JSON.stringify(path.slice(0, depth)))
    if (line !== undefined) return { row: lineLabel(line), field: path.slice(depth).join('.') }
  }
  if (path[0] === 'name' && masterLine !== undefined) return { row: lineLabel(masterLine), field: path.join('.') }
  // A problem with a whole list ("no scale rows") belongs to the file.
  return { row: FILE_ROW, field: path.join('.') }
}

function byRow(a: MasterRowError, b: MasterRowError): number {
  const n = (r: string) => (r.startsWith('line ') ? Number(r.slice(5)) : Number.MAX_SAFE_INTEGER)
  return n(a.row) - n(b.row)
}
