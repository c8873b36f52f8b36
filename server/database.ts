/**
 * The reading server's database: one PGlite instance per server, migrated on open.
 * Opening an existing database costs about half a second; creating one runs initdb, which
 * costs two to three, so callers keep the instance open, and tests may start from a template.
 */
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { PGlite, type Transaction } from '@electric-sql/pglite'
import { migrations, type Migration } from './migrations.ts'

export type ReadingDatabase = PGlite

/** What both the database and an open transaction offer, so helpers work inside either. */
export type Queryable = Pick<Transaction, 'query' | 'exec'>

export interface OpenDatabaseOptions {
  /**
   * A private folder caching an empty, fully migrated database. A new database is then
   * unpacked from it instead of running initdb (about 1 s instead of 3). Meant for tests and
   * throwaway demo servers; use a folder only this user can write, since its content becomes
   * the new database.
   */
  templateDir?: string
}

/** Opens (creating if needed) the database under `<dataDir>/db`, or an in-memory one for null, and migrates it. */
export async function openReadingDatabase(dataDir: string | null, options: OpenDatabaseOptions = {}): Promise<ReadingDatabase> {
  const dir = dataDir === null ? undefined : join(dataDir, 'db')
  if (dir !== undefined) await mkdir(dir, { recursive: true })
  const isNew = dir === undefined || !existsSync(join(dir, 'PG_VERSION'))
  const template = isNew && options.templateDir ? join(options.templateDir, `reading-db-${templateKey()}.tar`) : undefined
  const templateBytes = template ? await readFile(template).catch(() => undefined) : undefined

  const pgOptions = templateBytes ? { loadDataDir: new Blob([templateBytes]) } : {}
  const db = dir === undefined ? new PGlite(pgOptions) : new PGlite(dir, pgOptions)
  try {
    await db.waitReady
    await migrate(db, migrations)
    if (template && !templateBytes) await saveTemplate(db, template)
  } catch (error) {
    await db.close().catch(() => undefined)
    // a template that fails to load is dropped, so the next open rebuilds it
    if (template && templateBytes) await rm(template, { force: true })
    throw error
  }
  return db
}

/** Changes whenever the schema or the PGlite (PostgreSQL) build changes, so a stale template is never used. */
function templateKey(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite') // .../pglite/dist/index.cjs
  const pglitePackage = join(dirname(entry), '..', 'package.json')
  const version = existsSync(pglitePackage) ? readFileSync(pglitePackage, 'utf8') : ''
  return createHash('sha256').update(version).update(JSON.stringify(migrations)).digest('hex').slice(0, 16)
}

async function saveTemplate(db: ReadingDatabase, template: string): Promise<void> {
  const dump = await db.dumpDataDir('none')
  await mkdir(join(template, '..'), { recursive: true })
  // write then rename, so a concurrent opener never reads half a template
  const partial = `${template}.${randomBytes(6).toString('hex')}.partial`
  await writeFile(partial, new Uint8Array(await dump.arrayBuffer()))
  await rename(partial, template)
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
