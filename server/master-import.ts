/**
 * Validating an imported finding master, from JSON or CSV, into content ready to store, or
 * into the list of every bad row: schema problems and referential problems (master-consistency.ts)
 * together, each placed by `rowOf` (a JSON pointer for JSON, "line 7" for CSV).
 */
import type { z } from 'zod'
import { masterImportRequestSchema } from '../shared/report-contract.ts'
import type { MasterContent } from './finding-master-repository.ts'
import { masterProblems, pointerOf, type MasterPath } from './master-consistency.ts'

export interface MasterRowError {
  row: string
  message: string
}

export type MasterValidation = { ok: true; content: MasterContent; facilityId?: string } | { ok: false; rows: MasterRowError[] }

/** Where a path into the master came from, and what to call the rest of the path in a message. */
export type RowLocator = (path: MasterPath) => { row: string; field: string }

/** JSON bodies: the row is the JSON pointer itself. */
export const jsonPointerRows: RowLocator = (path) => ({ row: pointerOf(path) || '/', field: '' })

function issuePath(issue: z.core.$ZodIssue): MasterPath {
  return issue.path.filter((p): p is string | number => typeof p === 'string' || typeof p === 'number')
}

/**
 * Schema and referential problems together, so one answer lists every bad row. The referential
 * checks also run on a master that failed its schema, as far as its shape allows; a problem
 * the schema already reported at the same place is not repeated.
 */
export function validateMasterCandidate(candidate: unknown, rowOf: RowLocator): MasterValidation {
  const parsed = masterImportRequestSchema.safeParse(candidate)
  const describe = (path: MasterPath, message: string): MasterRowError => {
    const { row, field } = rowOf(path)
    return { row, message: field ? `${field}: ${message}` : message }
  }
  if (parsed.success) {
    const { facilityId, ...content } = parsed.data
    const problems = masterProblems(content)
    if (problems.length > 0) return { ok: false, rows: problems.map((p) => describe(p.path, p.message)) }
    return facilityId === undefined ? { ok: true, content } : { ok: true, content, facilityId }
  }
  const schemaRows = parsed.error.issues.map((issue) => ({ path: issuePath(issue), message: issue.message }))
  const reported = new Set(schemaRows.map((r) => pointerOf(r.path)))
  let referential: ReturnType<typeof masterProblems> = []
  try {
    referential = masterProblems(candidate as MasterContent).filter((p) => !reported.has(pointerOf(p.path)))
  } catch {
    // Too malformed to cross-check (a list that is not a list): the schema's rows say enough.
  }
  return { ok: false, rows: [...schemaRows, ...referential].map((r) => describe(r.path, r.message)) }
}
