/**
 * The reading server's database: one PGlite instance per server, migrated on open.
 * Opening costs about half a second (several on first creation), so callers keep it open.
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { PGlite, type Transaction } from '@electric-sql/pglite'
import { migrations, type Migration } from './migrations.ts'

export type ReadingDatabase = PGlite

/** What both the database and an open transaction offer, so helpers work inside either. */
export type Queryable = Pick<Transaction, 'query' | 'exec'>

/** Opens (creating if needed) the database under `<dataDir>/db`, or an in-memory one for null, and migrates it. */
export async function openReadingDatabase(dataDir: string | null): Promise<ReadingDatabase> {
  let db: PGlite
  if (dataDir === null) {
    db = new PGlite()
  } else {
    const dir = join(dataDir, 'db')
    await mkdir(dir, { recursive: true })
    db = new PGlite(dir)
  }
  await db.waitReady
  try {
    await migrate(db, migrations)
  } catch (error) {
    await db.close()
    throw error
  }
  return db
}

/** Applies every migration not yet recorded in schema_migrations, each in its own transaction. */
export async function migrate(db: ReadingDatabase, list: readonly Migration[]): Promise<number[]> {
  await db.exec(`
    create table if not exists schema_migrations (
      version integer primary key,
      name text not null,
      applied_at timestamptz not null default now()
    )
  `)
  const applied = new Set(
    (await db.query<{ version: number }>('select version from schema_migrations')).rows.map((r) => r.version),
  )
  const ran: number[] = []
  for (const migration of [...list].sort((a, b) => a.version - b.version)) {
    if (applied.has(migration.version)) continue
    await db.transaction(async (tx) => {
      await tx.exec(migration.sql)
      await tx.query('insert into schema_migrations (version, name) values ($1, $2)', [migration.version, migration.name])
    })
    ran.push(migration.version)
  }
  return ran
}
