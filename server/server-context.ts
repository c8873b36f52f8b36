/** What every route needs from the running server, passed explicitly instead of decorating Fastify. */
import type { CachePolicy } from '../shared/api-contract.ts'
import type { AccessGrantCache } from './access-grant-cache.ts'
import type { ReadingDatabase } from './database.ts'
import type { ServerFaults } from './server-faults.ts'
import type { WorklistChanges } from './worklist-changes.ts'

export interface ServerContext {
  db: ReadingDatabase
  /** Root of stored instances; instance file paths in the database are relative to it. */
  storageDir: string
  tokenTtlSeconds: number
  /** The clock, injectable so token expiry can be tested without waiting. */
  now: () => Date
  /** Sent with every worklist: what the workstations may keep in their caches. */
  cachePolicy: CachePolicy
  /** Routes that change assignments notify it; worklist long-polls wait on it. */
  worklistChanges: WorklistChanges
  /** Recent "token may read study" decisions; logout and worklistChanges notifications make it forget. */
  accessGrants: AccessGrantCache
  /** Test-only faults (see server-faults.ts); an empty object in real use. */
  faults: ServerFaults
}
