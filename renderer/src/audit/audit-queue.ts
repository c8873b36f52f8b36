/**
 * The operation log's queue on this computer: events are written to IndexedDB (strict
 * durability, so "recorded" survives a crash or power cut) before anything tries to send them,
 * and leave it only when the server has acknowledged them.
 */
import type { EntityTable } from 'dexie'
import type { AuditQueueRecord } from './audit-queue-record.ts'

export interface AuditQueue {
  add(record: AuditQueueRecord): Promise<void>
  /** The owner's oldest events not yet acknowledged or refused, at most `limit`. */
  pending(owner: string, limit: number): Promise<AuditQueueRecord[]>
  /** The server has them: they leave the queue. */
  acknowledge(ids: readonly string[]): Promise<void>
  /** The server refused them as invalid: kept for inspection, never resent. */
  reject(ids: readonly string[], reason: string): Promise<void>
  count(owner: string): Promise<number>
}

export function createAuditQueue(table: EntityTable<AuditQueueRecord, 'id'>): AuditQueue {
  const ownerRange = (owner: string) => table.where('[owner+createdAt]').between([owner, -Infinity], [owner, Infinity])
  return {
    async add(record) {
      await table.add(record)
    },
    async pending(owner, limit) {
      return ownerRange(owner)
        .filter((r) => r.rejected === undefined)
        .limit(limit)
        .toArray()
    },
    async acknowledge(ids) {
      await table.bulkDelete([...ids])
    },
    async reject(ids, reason) {
      await table.bulkUpdate(ids.map((key) => ({ key, changes: { rejected: reason } })))
    },
    async count(owner) {
      return ownerRange(owner)
        .filter((r) => r.rejected === undefined)
        .count()
    },
  }
}
