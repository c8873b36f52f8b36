import { readdirSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrate, openReadingDatabase } from './database.ts'
import { migrations } from './migrations.ts'
import { DB_TEMPLATE_DIR } from './test-database-template.ts'


let dataDir: string

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'reading-db-'))
})

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true })
})

describe('reading database', () => {
  it('creates a migrated database in the data directory and keeps its data across reopening', async () => {
    const db = await openReadingDatabase(dataDir, { templateDir: DB_TEMPLATE_DIR })
    expect(readdirSync(DB_TEMPLATE_DIR).some((f) => /^reading-db-[0-9a-f]{16}\.tar$/.test(f))).toBe(true)
    const applied = await db.query<{ version: number }>('select version from schema_migrations order by version')
    expect(applied.rows.map((r) => r.version)).toEqual(migrations.map((m) => m.version))
    await db.query("insert into facilities (id, name, patient_display_policy) values ('f', 'F', 'named')")
    await db.close()

    const reopened = await openReadingDatabase(dataDir)
    try {
      expect(await migrate(reopened, migrations)).toEqual([])
      const { rows } = await reopened.query<{ name: string }>('select name from facilities')
      expect(rows).toEqual([{ name: 'F' }])
    } finally {
      await reopened.close()
    }
  })

  it('applies each new migration once, in version order, and enforces the domain vocabulary', async () => {
    const db = await openReadingDatabase(null, { templateDir: DB_TEMPLATE_DIR })
    try {
      await expect(
        db.query("insert into users (id, username, display_name, role, password_hash) values ('u', 'u', 'U', 'superuser', 'x')"),
      ).rejects.toThrow(/check constraint/)
      await expect(
        db.query("insert into facilities (id, name, patient_display_policy) values ('f', 'F', 'hidden')"),
      ).rejects.toThrow(/check constraint/)
      const extra = [
        { version: 1001, name: 'second', sql: 'alter table t1000 add column y int' },
        { version: 1000, name: 'first', sql: 'create table t1000 (x int)' },
      ]
      expect(await migrate(db, [...migrations, ...extra])).toEqual([1000, 1001])
      expect(await migrate(db, [...migrations, ...extra])).toEqual([])
      await db.query('insert into t1000 (x, y) values (1, 2)')
    } finally {
      await db.close()
    }
  })
})
