import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
import { chooseEvictionForReaderWork, chooseEvictions, evictStudies, markNeededStudies } from './cache-eviction.ts'
import { openWorkstationDb, type CachedStudy } from './workstation-db.ts'

const DAY = 86_400_000
const NOW = 100 * DAY
const MB = 1_000_000

function study(uid: string, mb: number, extra: Partial<CachedStudy> = {}): CachedStudy {
  return { studyInstanceUid: uid, serverUrl: 's', instanceCount: 1, cachedInstanceCount: 1, cachedBytes: mb * MB, complete: true, updatedAt: NOW - DAY, needed: 0, ...extra }
}

describe('cache eviction rules', () => {
  const base = { budgetBytes: 100 * MB, retentionMs: 7 * DAY, now: NOW, protectedStudies: new Set<string>() }

  it('keeps everything within budget and retention', () => {
    expect(chooseEvictions([study('a', 40, { submittedAt: NOW - DAY }), study('b', 40, { needed: 1 })], base)).toEqual([])
  })

  it('purges studies past their retention period', () => {
    expect(chooseEvictions([study('old', 1, { submittedAt: NOW - 8 * DAY }), study('new', 1, { submittedAt: NOW - DAY })], base)).toEqual(['old'])
  })

  it('evicts the least recently opened studies that are no longer needed, until within budget', () => {
    const studies = [
      study('needed', 60, { needed: 1, lastOpenedAt: NOW - 10 * DAY }),
      study('recent', 30, { lastOpenedAt: NOW - DAY }),
      study('stale', 30, { lastOpenedAt: NOW - 5 * DAY }),
      study('stalest', 30, { lastOpenedAt: NOW - 6 * DAY }),
    ]
    expect(chooseEvictions(studies, base)).toEqual(['stalest', 'stale'])
  })

  it('never evicts a study with an unsent draft, even far over budget', () => {
    const studies = [study('draft', 500, { submittedAt: NOW - 30 * DAY }), study('plain', 10)]
    expect(chooseEvictions(studies, { ...base, protectedStudies: new Set(['draft']) })).toEqual(['plain'])
  })

  it('frees extra room after a quota failure', () => {
    expect(chooseEvictions([study('a', 50, { lastOpenedAt: 1 }), study('b', 40, { lastOpenedAt: 2 })], { ...base, extraBytes: 20 * MB })).toEqual(['a'])
  })

  it('after a quota failure on a disk smaller than the budget, still evicts what is not needed', () => {
    // 1 GB budget, but the disk refused at 90 MB: 20 MB must go from what is cached
    const studies = [study('needed', 50, { needed: 1, lastOpenedAt: 0 }), study('old', 25, { lastOpenedAt: 1 }), study('older', 15, { lastOpenedAt: 0 })]
    const rules = { ...base, budgetBytes: 1000 * MB }
    expect(chooseEvictions(studies, rules)).toEqual([])
    expect(chooseEvictions(studies, { ...rules, extraBytes: 20 * MB })).toEqual(['older', 'old'])
    expect(chooseEvictions(studies, { ...rules, extraBytes: 10 * MB })).toEqual(['older'])
  })

  it('for the reader’s work on a full disk, gives up what is not needed, then what is incomplete, then the least recently used', () => {
    const studies = [
      study('open', 10, { needed: 1, lastOpenedAt: 0 }),
      study('drafted', 10, { needed: 0, lastOpenedAt: 0 }),
      study('recent', 10, { needed: 1, lastOpenedAt: 50 }),
      study('stale', 10, { needed: 1, lastOpenedAt: 10 }),
      study('partial', 10, { needed: 1, complete: false, lastOpenedAt: 90 }),
      study('unassigned', 10, { needed: 0, lastOpenedAt: 99 }),
    ]
    const keep = new Set(['open', 'drafted'])
    expect(chooseEvictionForReaderWork(studies, keep)).toBe('unassigned')
    expect(chooseEvictionForReaderWork(studies.filter((s) => s.studyInstanceUid !== 'unassigned'), keep)).toBe('partial')
    expect(chooseEvictionForReaderWork(studies.filter((s) => !['unassigned', 'partial'].includes(s.studyInstanceUid)), keep)).toBe('stale')
    expect(chooseEvictionForReaderWork([studies[0]!, studies[1]!], keep)).toBeUndefined()
  })

  it('applies the rules to the database and keeps drafted studies', async () => {
    const db = openWorkstationDb(`evict-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange })
    await db.studies.bulkPut([study('gone', 80, { lastOpenedAt: 1 }), study('drafted', 80, { lastOpenedAt: 0 }), study('mine', 10)])
    await db.instanceBlobs.bulkPut([
      { sopInstanceUid: 'g1', studyInstanceUid: 'gone', bytes: new Blob(['x']) },
      { sopInstanceUid: 'd1', studyInstanceUid: 'drafted', bytes: new Blob(['y']) },
    ])
    await db.reportDrafts.put({ assignmentId: 'a1', studyInstanceUid: 'drafted', updatedAt: NOW, sealed: new Blob(['report']) })
    await markNeededStudies(db, new Set(['mine']), NOW)
    expect((await db.studies.get('mine'))?.needed).toBe(1)
    expect((await db.studies.get('gone'))?.submittedAt).toBe(NOW)

    expect(await evictStudies(db, { budgetBytes: 100 * MB, retentionMs: 7 * DAY, now: NOW })).toEqual(['gone'])
    expect(await db.studies.get('gone')).toBeUndefined()
    expect(await db.instanceBlobs.get('g1')).toBeUndefined()
    expect(await db.instanceBlobs.get('d1')).toBeDefined()
    db.close()
  })
})
