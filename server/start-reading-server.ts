/**
 * Starting and stopping a reading server: opens the database once, seeds the demo data if
 * asked, and listens on loopback unless told otherwise.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cachePolicySchema } from '../shared/api-contract.ts'
import { AccessGrantCache } from './access-grant-cache.ts'
import { DEFAULT_TOKEN_TTL_SECONDS } from './access-tokens.ts'
import { openReadingDatabase, type ReadingDatabase } from './database.ts'
import { seedDemo } from './demo-seed.ts'
import { buildReadingServer } from './reading-server.ts'
import type { ServerContext } from './server-context.ts'
import type { ServerFaults } from './server-faults.ts'
import { WorklistChanges } from './worklist-changes.ts'

/** Days a workstation may keep a submitted study when the server is not told otherwise. */
export const DEFAULT_RETENTION_DAYS = 7

export interface ReadingServerOptions {
  /** Where the database and stored instances live; null for an in-memory database and temporary storage. */
  dataDir: string | null
  /** Default 127.0.0.1: the server is reached through a tunnel or proxy, never directly from the network. */
  host?: string
  /** 0 (the default) picks a free port. */
  port?: number
  /** Serve this static folder (the built workstation) at /, with index.html for client-side routes. */
  appDir?: string
  /** Create the demo facilities, users, studies and assignments when the database has no users. */
  seedDemo?: boolean
  tokenTtlSeconds?: number
  /** Days a workstation may keep a submitted study in its cache (0..365, default DEFAULT_RETENTION_DAYS). */
  retentionDays?: number
  log?: boolean
  /** A private folder caching an empty migrated database, so a new one skips initdb (see openReadingDatabase). */
  databaseTemplateDir?: string
  /** The clock; tests move it to expire tokens. */
  now?: () => Date
  /**
   * Tests only: faults to inject (server-faults.ts). The server keeps this very object, so a
   * test may change its counters while the server runs. Never set by the CLI.
   */
  faults?: ServerFaults
}

export interface RunningReadingServer {
  /** e.g. http://127.0.0.1:41234 */
  url: string
  port: number
  db: ReadingDatabase
  /** The folder stored instances live under (the data dir, or a temporary folder). */
  storageDir: string
  /**
   * Notify it after changing assignments in `db` directly, so waiting worklist long-polls answer
   * at once and the readers' remembered study access is re-checked (otherwise up to ACCESS_GRANT_TTL_MS).
   */
  worklistChanges: WorklistChanges
  close(): Promise<void>
}

export async function startReadingServer(options: ReadingServerOptions): Promise<RunningReadingServer> {
  // Checked before anything is opened, so a bad setting leaves nothing behind.
  const cachePolicy = cachePolicySchema.safeParse({ retentionDays: options.retentionDays ?? DEFAULT_RETENTION_DAYS })
  if (!cachePolicy.success) throw new Error(`retentionDays must be a whole number from 0 to 365, not ${options.retentionDays}`)
  const temporaryStorage = options.dataDir === null ? await mkdtemp(join(tmpdir(), 'reading-server-')) : undefined
  const storageDir = options.dataDir ?? (temporaryStorage as string)
  const db = await openReadingDatabase(
    options.dataDir,
    options.databaseTemplateDir !== undefined ? { templateDir: options.databaseTemplateDir } : {},
  )
  const ctx: ServerContext = {
    db,
    storageDir,
    tokenTtlSeconds: options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS,
    now: options.now ?? (() => new Date()),
    cachePolicy: cachePolicy.data,
    worklistChanges: new WorklistChanges(),
    accessGrants: new AccessGrantCache(),
    faults: options.faults ?? {},
  }
  // A reader whose assignments changed may have lost a study: re-check their access on the next request.
  ctx.worklistChanges.onNotify((userIds) => ctx.accessGrants.forgetUsers(userIds))
  const cleanUp = async () => {
    await db.close()
    if (temporaryStorage) await rm(temporaryStorage, { recursive: true, force: true })
  }
  try {
    // The app first: a wrong app folder should fail before seconds of seeding.
    const app = await buildReadingServer(ctx, {
      ...(options.appDir !== undefined ? { appDir: options.appDir } : {}),
      log: options.log ?? false,
    })
    if (options.seedDemo) await seedDemo(db, storageDir, ctx.now())
    const host = options.host ?? '127.0.0.1'
    await app.listen({ host, port: options.port ?? 0 })
    const address = app.server.address()
    if (address === null || typeof address === 'string') throw new Error('server is not listening on a TCP port')
    const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address
    let closed = false
    return {
      url: `http://${urlHost}:${address.port}`,
      port: address.port,
      db,
      storageDir,
      worklistChanges: ctx.worklistChanges,
      async close() {
        if (closed) return
        closed = true
        await app.close()
        await cleanUp()
      },
    }
  } catch (error) {
    await cleanUp()
    throw error
  }
}
