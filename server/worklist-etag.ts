/**
 * The worklist's version: a hash of everything the caller's worklist shows except the server's
 * clock, sent as the body's `version` and as a strong ETag, so a workstation can ask "has it
 * changed?" with If-None-Match instead of downloading and comparing it.
 */
import { createHash } from 'node:crypto'
import type { Assignment, CachePolicy } from '../shared/api-contract.ts'

/**
 * Hashes the whole content rather than picking fields: any change a reader could see (a new
 * prior, a study that gained instances, a new retention policy) then gives a new version.
 */
export function worklistVersion(assignments: readonly Assignment[], cachePolicy: CachePolicy): string {
  return createHash('sha256').update(JSON.stringify({ assignments, cachePolicy })).digest('base64url').slice(0, 22)
}

export function etagOf(version: string): string {
  return `"${version}"`
}

/**
 * Whether an If-None-Match header names this version; weak tags compare equal, as RFC 9110 says
 * for If-None-Match. "*" is not honoured: as a long-poll condition it would never be released.
 */
export function ifNoneMatchIncludes(header: string | undefined, version: string): boolean {
  if (header === undefined) return false
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etagOf(version))
}
