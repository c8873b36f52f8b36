import { describe, expect, it } from 'vitest'
import type { Queryable } from './database.ts'
import { StoredInstanceIndex } from './stored-instance-index.ts'

interface Row {
  study: string
  series: string
  sop: string
  path: string
}

/** Answers the index's two queries from an in-memory table and counts them; sizes as pglite gives a bigint column. */
function fakeDb(table: Row[]) {
  const calls = { study: 0, single: 0 }
  const db = {
    async query(_sql: string, params: unknown[]) {
      const select = (r: Row) => ({ series_instance_uid: r.series, sop_instance_uid: r.sop, file_path: r.path, file_size: BigInt(r.path.length * 100), sha256: `hash-${r.path}` })
      if (params.length === 1) {
        calls.study++
        return { rows: table.filter((r) => r.study === params[0]).map(select) }
      }
      calls.single++
      const [sop, series, study] = params
      return { rows: table.filter((r) => r.sop === sop && r.series === series && r.study === study).map(select) }
    },
  }
  return { db: db as unknown as Queryable, calls }
}

describe('stored instance index', () => {
  it("reads a study's files, sizes and digests with one query, shared by concurrent requests", async () => {
    const table = Array.from({ length: 50 }, (_, i) => ({ study: '1.1', series: '1.1.1', sop: `1.1.1.${i}`, path: `p${i}` }))
    const { db, calls } = fakeDb(table)
    const index = new StoredInstanceIndex(db)
    const found = await Promise.all(table.map((r) => index.find('1.1', '1.1.1', r.sop)))
    expect(found).toEqual(table.map((r) => ({ filePath: r.path, fileSize: r.path.length * 100, sha256: `hash-${r.path}` })))
    expect(calls).toEqual({ study: 1, single: 0 })
  })

  it('finds an instance imported after the study was read, and nothing outside the study or series', async () => {
    const table: Row[] = [{ study: '1.1', series: '1.1.1', sop: '1.1.1.1', path: 'a' }]
    const { db, calls } = fakeDb(table)
    const index = new StoredInstanceIndex(db)
    expect((await index.find('1.1', '1.1.1', '1.1.1.1'))?.filePath).toBe('a')
    table.push({ study: '1.1', series: '1.1.1', sop: '1.1.1.2', path: 'b' })
    expect((await index.find('1.1', '1.1.1', '1.1.1.2'))?.filePath).toBe('b')
    expect(await index.find('1.1', '1.1.9', '1.1.1.1')).toBeUndefined()
    expect(await index.find('1.2', '1.1.1', '1.1.1.1')).toBeUndefined()
    expect(calls.study).toBe(2) // 1.1 once, 1.2 once
  })

  it('reads the study again once its records are older than the TTL', async () => {
    const clock = { ms: 0 }
    const { db, calls } = fakeDb([{ study: '1.1', series: '1.1.1', sop: '1.1.1.1', path: 'a' }])
    const index = new StoredInstanceIndex(db, 5_000, () => clock.ms)
    await index.find('1.1', '1.1.1', '1.1.1.1')
    clock.ms = 4_999
    await index.find('1.1', '1.1.1', '1.1.1.1')
    expect(calls.study).toBe(1)
    clock.ms = 5_000
    await index.find('1.1', '1.1.1', '1.1.1.1')
    expect(calls.study).toBe(2)
  })
})
