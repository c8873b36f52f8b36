/**
 * A reference reading server that a test can stop and start again on the same port and data
 * folder, as an outage looks to a workstation: the same URL refuses connections for a while,
 * then answers again with everything it stored before.
 */
import { startReadingServer, type ReadingServerOptions, type RunningReadingServer } from '../../server/start-reading-server.ts'
import { DB_TEMPLATE_DIR } from '../../server/test-database-template.ts'

/** What may change between two runs of the same server. */
export type RestartOptions = Pick<ReadingServerOptions, 'retentionDays' | 'tokenTtlSeconds' | 'now'>

export interface RestartableReadingServer {
  /** e.g. "http://127.0.0.1:40123", the same across restarts. */
  readonly url: string
  readonly port: number
  /** The server while it runs; throws while it is stopped. */
  readonly running: RunningReadingServer
  stop(): Promise<void>
  /** Starts it again on the same port and data folder, with `changes` on top of the first settings. */
  restart(changes?: RestartOptions): Promise<void>
}

/** Starts a server on a free port over an existing data folder (see reading-server-data.ts). */
export async function startRestartableReadingServer(dataDir: string, options: RestartOptions = {}): Promise<RestartableReadingServer> {
  let settings: ReadingServerOptions = { ...options, dataDir, port: 0, databaseTemplateDir: DB_TEMPLATE_DIR }
  let server: RunningReadingServer | null = await startReadingServer(settings)
  const { port, url } = server
  settings = { ...settings, port }
  return {
    url,
    port,
    get running() {
      if (!server) throw new Error('the reading server is stopped')
      return server
    },
    async stop() {
      const stopping = server
      server = null
      await stopping?.close()
    },
    async restart(changes = {}) {
      if (server) throw new Error('the reading server is already running')
      settings = { ...settings, ...changes }
      server = await startReadingServer(settings)
    },
  }
}
