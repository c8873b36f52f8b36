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

/** Schema first (a master that fails it cannot be cross-checked), then the referential checks. */
export function validateMasterCandidate(candidate: unknown, rowOf: RowLocator): MasterValidation {
  const parsed = masterImportRequestSchema.safeParse(candidate)
  const describe = (path: MasterPath, message: string): MasterRowError => {
    const { row, field } = rowOf(path)
    return { row, message: field ? `${field}: ${message}` : message }
  }
  if (!parsed.success) return { ok: false, rows: parsed.error.issues.map((issue) => describe(issuePath(issue), issue.message)) }
  const { facilityId, ...content } = parsed.data
  const problems = masterProblems(content)
  if (problems.length > 0) return { ok: false, rows: problems.map((p) => describe(p.path, p.message)) }
  return facilityId === undefined ? { ok: true, content } : { ok: true, content, facilityId }
}
