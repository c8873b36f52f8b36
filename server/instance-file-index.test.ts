import { describe, expect, it } from 'vitest'
import type { Queryable } from './database.ts'
import { InstanceFileIndex } from './instance-file-index.ts'

interface Row {
  study: string
  series: string
  sop: string
  path: string
}

/** Answers the index's two queries from an in-memory table and counts them. */
function fakeDb(table: Row[]) {
  const calls = { study: 0, single: 0 }
  const db = {
    async query(sql: string, params: unknown[]) {
      const select = (r: Row) => ({ series_instance_uid: r.series, sop_instance_uid: r.sop, file_path: r.path })
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

describe('instance file index', () => {
  it("reads a study's locations with one query, shared by concurrent requests", async () => {
    const table = Array.from({ length: 50 }, (_, i) => ({ study: '1.1', series: '1.1.1', sop: `1.1.1.${i}`, path: `p${i}` }))
    const { db, calls } = fakeDb(table)
    const index = new InstanceFileIndex(db)
    const paths = await Promise.all(table.map((r) => index.filePath('1.1', '1.1.1', r.sop)))
    expect(paths).toEqual(table.map((r) => r.path))
    expect(calls).toEqual({ study: 1, single: 0 })
  })

  it('finds an instance imported after the study was read, and nothing outside the study or series', async () => {
    const table: Row[] = [{ study: '1.1', series: '1.1.1', sop: '1.1.1.1', path: 'a' }]
    const { db, calls } = fakeDb(table)
    const index = new InstanceFileIndex(db)
    expect(await index.filePath('1.1', '1.1.1', '1.1.1.1')).toBe('a')
    table.push({ study: '1.1', series: '1.1.1', sop: '1.1.1.2', path: 'b' })
    expect(await index.filePath('1.1', '1.1.1', '1.1.1.2')).toBe('b')
    expect(await index.filePath('1.1', '1.1.9', '1.1.1.1')).toBeUndefined()
    expect(await index.filePath('1.2', '1.1.1', '1.1.1.1')).toBeUndefined()
    expect(calls.study).toBe(2) // 1.1 once, 1.2 once
  })

  it('reads the study again once its locations are older than the TTL', async () => {
    const clock = { ms: 0 }
    const { db, calls } = fakeDb([{ study: '1.1', series: '1.1.1', sop: '1.1.1.1', path: 'a' }])
    const index = new InstanceFileIndex(db, 5_000, () => clock.ms)
    await index.filePath('1.1', '1.1.1', '1.1.1.1')
    clock.ms = 4_999
    await index.filePath('1.1', '1.1.1', '1.1.1.1')
    expect(calls.study).toBe(1)
    clock.ms = 5_000
    await index.filePath('1.1', '1.1.1', '1.1.1.1')
    expect(calls.study).toBe(2)
  })
})
