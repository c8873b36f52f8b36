/**
 * The reference reading server run in-process on a free loopback port with a throwaway data
 * folder and the demo data, with one demo user logged in through the workstation's own client.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createReadingServerClient } from '../../renderer/src/api/reading-server-client.ts'
import { DEMO_PASSWORD } from '../../server/demo-seed.ts'
import { startReadingServer } from '../../server/start-reading-server.ts'

export interface ReadingServerSession {
  /** e.g. "http://127.0.0.1:40123" */
  url: string
  /** The server's DICOMweb service root. */
  dicomwebRoot: string
  /** A bearer token of the logged-in user. */
  token: string
  close(): Promise<void>
}

/** Starts a demo-seeded reading server and logs `username` in with the demo password. */
export async function startReadingServerAs(username: string): Promise<ReadingServerSession> {
  const dataDir = await mkdtemp(join(tmpdir(), 'reading-server-test-'))
  let server: Awaited<ReturnType<typeof startReadingServer>> | undefined
  try {
    server = await startReadingServer({ dataDir, host: '127.0.0.1', port: 0, seedDemo: true })
    const client = createReadingServerClient(server.url)
    const { accessToken } = await client.login(username, DEMO_PASSWORD)
    const running = server
    return {
      url: running.url,
      dicomwebRoot: client.dicomwebRoot,
      token: accessToken,
      async close() {
        await running.close()
        await rm(dataDir, { recursive: true, force: true })
      },
    }
  } catch (error) {
    await server?.close()
    await rm(dataDir, { recursive: true, force: true })
    throw error
  }
}
