/** What every route needs from the running server, passed explicitly instead of decorating Fastify. */
import type { ReadingDatabase } from './database.ts'

export interface ServerContext {
  db: ReadingDatabase
  /** Root of stored instances; instance file paths in the database are relative to it. */
  storageDir: string
  tokenTtlSeconds: number
  /** The clock, injectable so token expiry can be tested without waiting. */
  now: () => Date
}
