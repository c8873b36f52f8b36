/**
 * The cache benchmark page (`npm run bench` drives it in Chromium): measures, in the
 * browser's real IndexedDB, (1) raw write throughput of the instance store and (2) the
 * sync engine's prefetch of one study from a reading server, each with AES-GCM encryption
 * and without. Parameters come from the query string; the result is written as JSON into
 * #bench-result.
 */
import { createAesGcmCipher, plainCipher, type CacheCipher } from '../cache/cache-cipher.ts'
import { storeInstances, type ArrivedInstance } from '../cache/instance-store.ts'
import { openWorkstationDb, type CachedInstance } from '../cache/workstation-db.ts'
import { createSyncEngine } from '../sync/sync-engine.ts'

const params = new URLSearchParams(location.search)
const output = document.getElementById('bench-result')!

async function cipherFor(mode: string): Promise<CacheCipher> {
  return mode === 'plain' ? plainCipher : createAesGcmCipher(crypto.getRandomValues(new Uint8Array(32)))
}

/** Writes `count` synthetic instances of `size` bytes in batches, as the prefetcher does. */
async function writeThroughput(cipher: CacheCipher, count: number, size: number, batchSize: number) {
  const db = openWorkstationDb(`bench-write-${crypto.randomUUID()}`)
  const study = '2.25.1'
  await db.studies.put({ studyInstanceUid: study, serverUrl: 'bench', instanceCount: count, cachedInstanceCount: 0, cachedBytes: 0, complete: false, updatedAt: 0 })
  const payload = crypto.getRandomValues(new Uint8Array(65536))
  const bytes = new Uint8Array(size)
  for (let i = 0; i < size; i += payload.length) bytes.set(payload.subarray(0, Math.min(payload.length, size - i)), i)
  const instances: CachedInstance[] = Array.from({ length: count }, (_, i) => ({
    sopInstanceUid: `2.25.1.${i + 1}`, seriesInstanceUid: '2.25.1.0', studyInstanceUid: study, sopClassUid: '', instanceNumber: i + 1, sortKey: i, numberOfFrames: 1, byteLength: 0,
  }))
  await db.instances.bulkPut(instances)
  const started = performance.now()
  for (let i = 0; i < count; i += batchSize) {
    const batch: ArrivedInstance[] = instances.slice(i, i + batchSize).map((instance) => ({ instance, bytes }))
    await storeInstances(db, cipher, batch)
  }
  const seconds = (performance.now() - started) / 1000
  await db.delete()
  return { instances: count, bytes: count * size, seconds, mbPerSecond: (count * size) / 1e6 / seconds }
}

/** Prefetches the reader's worklist into a fresh database and times the given study from start to complete. */
async function prefetchThroughput(cipher: CacheCipher, serverUrl: string, token: string, study: string) {
  const db = openWorkstationDb(`bench-prefetch-${crypto.randomUUID()}`)
  let done: (value: { bytes: number; instances: number }) => void = () => undefined
  const complete = new Promise<{ bytes: number; instances: number }>((resolve) => (done = resolve))
  let failure: string | null = null
  const started = performance.now()
  const engine = createSyncEngine({
    serverUrl,
    token,
    db,
    cipher,
    budgetBytes: 50 * 1024 ** 3,
    events: {
      worklist: () => undefined,
      status: () => undefined,
      progress: (uid, p) => {
        if (uid !== study) return
        if (p.state === 'complete') done({ bytes: p.cachedBytes, instances: p.cachedInstances })
        if (p.state === 'error') failure = p.error ?? 'error'
      },
      instancesCached: () => undefined,
      authExpired: () => (failure = 'session expired'),
      storageFull: (message) => (failure = message),
      reportSent: () => undefined,
      reportRejected: () => undefined,
    },
  })
  await engine.start()
  engine.prioritize(study)
  const result = await Promise.race([complete, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(failure ?? 'prefetch timed out')), 300_000))])
  const seconds = (performance.now() - started) / 1000
  engine.stop()
  db.close()
  await db.delete()
  return { ...result, seconds, mbPerSecond: result.bytes / 1e6 / seconds }
}

async function main(): Promise<unknown> {
  const cipher = await cipherFor(params.get('cipher') ?? 'aes')
  const mode = params.get('mode')
  if (mode === 'write') {
    return writeThroughput(cipher, Number(params.get('count') ?? 300), Number(params.get('size') ?? 526_000), Number(params.get('batch') ?? 8))
  }
  if (mode === 'prefetch') {
    const server = params.get('server')
    const token = params.get('token')
    const study = params.get('study')
    if (!server || !token || !study) throw new Error('prefetch needs server, token and study')
    return prefetchThroughput(cipher, server, token, study)
  }
  throw new Error(`unknown mode ${mode}`)
}

main().then(
  (result) => {
    output.textContent = JSON.stringify({ ok: true, result })
    output.dataset.done = 'true'
  },
  (error: unknown) => {
    output.textContent = JSON.stringify({ ok: false, error: error instanceof Error ? error.message : String(error) })
    output.dataset.done = 'true'
  },
)
