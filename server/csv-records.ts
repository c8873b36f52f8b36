/**
 * RFC 4180 CSV: comma-separated fields, double quotes around fields holding commas, quotes or
 * line breaks ("" inside for a quote), CRLF or LF line ends. Each record keeps the line it
 * starts on, so errors can point at the line a person sees in their spreadsheet or editor.
 */

export interface CsvRecord {
  /** 1-based line where the record starts. */
  line: number
  fields: string[]
}

export class CsvSyntaxError extends Error {
  readonly line: number
  constructor(line: number, message: string) {
    super(message)
    this.line = line
  }
}

/** Parses the whole text; throws CsvSyntaxError for an unterminated quote or text after a closing quote. */
export function parseCsv(text: string): CsvRecord[] {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text
  const records: CsvRecord[] = []
  let fields: string[] = []
  let field = ''
  let line = 1
  let recordLine = 1
  let i = 0
  let quoted = false
  let afterQuote = false
  const endField = () => {
    fields.push(field)
    field = ''
    afterQuote = false
  }
  const endRecord = () => {
    endField()
    records.push({ line: recordLine, fields })
    fields = []
  }
  while (i < source.length) {
    const c = source[i] as string
    if (quoted) {
      if (c === '"') {
        if (source[i + 1] === '"') {
          field += '"'
          i += 2
          continue
        }
        quoted = false
        afterQuote = true
      } else {
        if (c === '\n') line++
        field += c
      }
      i++
      continue
    }
    if (c === ',') {
      endField()
    } else if (c === '\n' || c === '\r') {
      endRecord()
      if (c === '\r' && source[i + 1] === '\n') i++
      line++
      recordLine = line
    } else if (c === '"' && field === '' && !afterQuote) {
      quoted = true
    } else if (afterQuote) {
      throw new CsvSyntaxError(line, 'text after a closing quote (write "" for a quote inside a quoted field)')
    } else {
      field += c
    }
    i++
  }
  if (quoted) throw new CsvSyntaxError(recordLine, 'a quoted field is not closed')
  if (field !== '' || fields.length > 0 || afterQuote) endRecord()
  return records
}
