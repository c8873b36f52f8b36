/**
 * A reading server's data folder (database and stored instances) seeded with the demo data and
 * prepared once, then copied for each test: seeding costs seconds, opening a copy half a second.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startReadingServer, type RunningReadingServer } from '../../server/start-reading-server.ts'
import { DB_TEMPLATE_DIR } from '../../server/test-database-template.ts'

/** An empty migrated database cached between runs (the server tests share it): skips initdb. */

export interface SeededDataDir {
  /** A fresh copy of the prepared folder, removed by remove(). */
  copy(): Promise<string>
  /** Removes the prepared folder and every copy. */
  remove(): Promise<void>
}

/** Seeds a data folder with the demo data, lets `prepare` change it through a running server, and stops that server. */
export async function createSeededDataDir(prepare: (server: RunningReadingServer) => Promise<void>): Promise<SeededDataDir> {
  const root = await mkdtemp(join(tmpdir(), 'offline-cache-data-'))
  const source = join(root, 'seeded')
  let copies = 0
  try {
    const server = await startReadingServer({ dataDir: source, port: 0, seedDemo: true, databaseTemplateDir: DB_TEMPLATE_DIR })
    try {
      await prepare(server)
    } finally {
      await server.close()
    }
  } catch (error) {
    await rm(root, { recursive: true, force: true })
    throw error
  }
  return {
    async copy() {
      const target = join(root, `copy-${++copies}`)
      await cp(source, target, { recursive: true })
      return target
    },
    remove: () => rm(root, { recursive: true, force: true }),
  }
}
