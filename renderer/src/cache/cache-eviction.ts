/**
 * What leaves the cache: studies past their retention once no assignment needs them, and,
 * over budget, the least recently used studies that no assignment needs; and when the disk is
 * too full for the reader's own work, whatever study it takes. A study with an unsent draft
 * never leaves.
 */
import type { CachedStudy, WorkstationDb } from './workstation-db.ts'

export interface EvictionRules {
  budgetBytes: number
  retentionMs: number
  now: number
  /** Studies with unsent work (drafts, outbox): never evicted. */
  protectedStudies: ReadonlySet<string>
  /**
   * After a quota failure: bytes that must become free below the budget, or below what is
   * cached now when that is less (the disk can be smaller than the budget).
   */
  extraBytes?: number
}

/** The studies to evict, in eviction order. Pure: decides, does not delete. */
export function chooseEvictions(studies: readonly CachedStudy[], rules: EvictionRules): string[] {
  const evict: string[] = []
  const removable = studies.filter((s) => s.needed !== 1 && !rules.protectedStudies.has(s.studyInstanceUid))
  for (const s of removable) {
    if (s.submittedAt !== undefined && rules.now - s.submittedAt >= rules.retentionMs) evict.push(s.studyInstanceUid)
  }
  const gone = new Set(evict)
  let total = studies.filter((s) => !gone.has(s.studyInstanceUid)).reduce((sum, s) => sum + s.cachedBytes, 0)
  // a quota failure says the disk is full at what is cached now, whatever the budget allows:
  // room must be made below that, or a budget larger than the disk would evict nothing
  const limit = rules.extraBytes === undefined ? rules.budgetBytes : Math.min(rules.budgetBytes, total)
  const target = limit - (rules.extraBytes ?? 0)
  const byLastUse = removable
    .filter((s) => !gone.has(s.studyInstanceUid))
    .sort((a, b) => (a.lastOpenedAt ?? a.updatedAt) - (b.lastOpenedAt ?? b.updatedAt))
  for (const s of byLastUse) {
    if (total <= target) break
    evict.push(s.studyInstanceUid)
    total -= s.cachedBytes
  }
  return evict
}

/** Deletes studies with everything cached of them: bytes, instances, series, the study record. */
export async function deleteStudies(db: WorkstationDb, studyInstanceUids: readonly string[]): Promise<void> {
  if (studyInstanceUids.length === 0) return
  await db.transaction('rw', [db.instanceBlobs, db.instances, db.series, db.studies], async () => {
    await db.instanceBlobs.where('studyInstanceUid').anyOf(studyInstanceUids).delete()
    await db.instances.where('studyInstanceUid').anyOf(studyInstanceUids).delete()
    await db.series.where('studyInstanceUid').anyOf(studyInstanceUids).delete()
    await db.studies.bulkDelete([...studyInstanceUids])
  })
}

/** Applies the rules to the database; returns what was evicted. */
export async function evictStudies(db: WorkstationDb, rules: Omit<EvictionRules, 'protectedStudies'>): Promise<string[]> {
  const [studies, drafts, unsent] = await Promise.all([
    db.studies.toArray(),
    db.reportDrafts.toArray(),
    db.outbox.where('state').equals('pending').toArray(),
  ])
  const protectedStudies = new Set([...drafts, ...unsent].map((r) => r.studyInstanceUid))
  const chosen = chooseEvictions(studies, { ...rules, protectedStudies })
  await deleteStudies(db, chosen)
  return chosen
}

/**
 * Marks which cached studies the current worklist still needs; a study that stops being
 * needed starts its retention period now.
 */
export async function markNeededStudies(db: WorkstationDb, needed: ReadonlySet<string>, now: number): Promise<void> {
  await db.transaction('rw', db.studies, async () => {
    await db.studies.toCollection().modify((study) => {
      if (needed.has(study.studyInstanceUid)) {
        study.needed = 1
        delete study.submittedAt
      } else {
        if (study.needed !== 0 || study.submittedAt === undefined) study.submittedAt = study.submittedAt ?? now
        study.needed = 0
      }
    })
  })
}

/**
 * The study to give up when the reader's own work (a draft, a submitted report) finds the disk
 * full: words typed exist nowhere else, a cached study can be fetched again. Chosen among those
 * without unsent work (and not `keep`): first what no assignment needs, then what is not fully
 * cached anyway, then the least recently used. Pure: decides, does not delete.
 */
export function chooseEvictionForReaderWork(studies: readonly CachedStudy[], protectedStudies: ReadonlySet<string>): string | undefined {
  const rank = (s: CachedStudy) => (s.needed !== 1 ? 0 : !s.complete ? 1 : 2)
  const candidates = studies
    .filter((s) => !protectedStudies.has(s.studyInstanceUid))
    .sort((a, b) => rank(a) - rank(b) || (a.lastOpenedAt ?? a.updatedAt) - (b.lastOpenedAt ?? b.updatedAt))
  return candidates[0]?.studyInstanceUid
}

/** Evicts one study to make room for the reader's work on `keepStudy`; returns it, or undefined when none can go. */
export async function evictForReaderWork(db: WorkstationDb, keepStudy: string): Promise<string | undefined> {
  const [studies, drafts, unsent] = await Promise.all([db.studies.toArray(), db.reportDrafts.toArray(), db.outbox.where('state').equals('pending').toArray()])
  const protectedStudies = new Set([keepStudy, ...[...drafts, ...unsent].map((r) => r.studyInstanceUid)])
  const chosen = chooseEvictionForReaderWork(studies, protectedStudies)
  if (chosen) await deleteStudies(db, [chosen])
  return chosen
}
