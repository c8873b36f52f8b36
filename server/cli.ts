/**
 * The reading server's command line: `node server/cli.ts serve | import | seed | add-facility | audit-verify`.
 * Prints one line per outcome and exits non-zero on failure, so scripts can rely on it.
 */
import { resolve } from 'node:path'
import { verifyAuditChain } from './audit-log.ts'
import { parseCli, USAGE, UsageError, type CliCommand } from './cli-args.ts'
import { openReadingDatabase, type ReadingDatabase } from './database.ts'
import { seedDemo } from './demo-seed.ts'
import { importDicomFiles } from './dicom-import.ts'
import { upsertFacility } from './facility-repository.ts'
import { startReadingServer } from './start-reading-server.ts'

async function serve(command: Extract<CliCommand, { command: 'serve' }>): Promise<void> {
  const server = await startReadingServer({
    dataDir: command.dataDir === null ? null : resolve(command.dataDir),
    host: command.host,
    port: command.port,
    ...(command.appDir !== undefined ? { appDir: resolve(command.appDir) } : {}),
    ...(command.retentionDays !== undefined ? { retentionDays: command.retentionDays } : {}),
    seedDemo: command.seed,
    log: command.log,
  })
  console.log(`Reading server listening on ${server.url}`)
  const stop = () => {
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`error while stopping: ${error instanceof Error ? error.message : String(error)}`)
        process.exit(1)
      },
    )
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

/** Runs a command against the database in a data directory, closing it afterwards. */
async function withDatabase<T>(dataDir: string, fn: (db: ReadingDatabase, dir: string) => Promise<T>): Promise<T> {
  const dir = resolve(dataDir)
  const db = await openReadingDatabase(dir)
  try {
    return await fn(db, dir)
  } finally {
    await db.close()
  }
}

async function run(command: CliCommand): Promise<number> {
  switch (command.command) {
    case 'help':
      console.log(USAGE)
      return 0
    case 'serve':
      await serve(command)
      return 0
    case 'import':
      return withDatabase(command.dataDir, async (db, dir) => {
        const report = await importDicomFiles(db, dir, command.facilityId, command.paths)
        for (const entry of report) {
          console.log(entry.ok ? `ok       ${entry.file} -> ${entry.sopInstanceUid}` : `rejected ${entry.file}: ${entry.error}${entry.code ? ` [${entry.code}]` : ''}`)
        }
        const rejected = report.filter((e) => !e.ok).length
        console.log(`${report.length - rejected} imported, ${rejected} rejected`)
        return rejected > 0 ? 1 : 0
      })
    case 'seed':
      return withDatabase(command.dataDir, async (db, dir) => {
        const result = await seedDemo(db, dir)
        console.log(result.seeded ? `Seeded the demo data into ${dir}` : `Not seeded: ${dir} already has users`)
        return 0
      })
    case 'add-facility':
      return withDatabase(command.dataDir, async (db) => {
        await upsertFacility(db, {
          id: command.id,
          name: command.name,
          patientDisplayPolicy: command.anonymisedPrefix !== undefined ? 'anonymised' : 'named',
          anonymisedPrefix: command.anonymisedPrefix ?? '',
        })
        console.log(`Facility "${command.id}" saved`)
        return 0
      })
    case 'audit-verify':
      return withDatabase(command.dataDir, async (db) => {
        const result = await verifyAuditChain(db)
        if (result.ok) {
          console.log(`ok: ${result.checked} operation-log entries, hash chain intact`)
          return 0
        }
        console.log(`BROKEN at entry ${result.firstBroken!.seq}: ${result.firstBroken!.reason} (${result.checked} entries checked)`)
        return 1
      })
  }
}

try {
  const code = await run(parseCli(process.argv.slice(2)))
  if (code !== 0) process.exitCode = code
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`error: ${error.message} (see "node server/cli.ts help")`)
    process.exitCode = 2
  } else {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`)
    process.exitCode = 1
  }
}
