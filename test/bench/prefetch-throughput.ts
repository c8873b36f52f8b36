/**
 * Figure 3, prefetch throughput: the sync engine bringing the CT from the reference reading
 * server into a fresh IndexedDB cache, from the start to the study complete, in the bench
 * page (renderer/src/bench/cache-bench.ts), with AES-GCM encryption and without, alternately.
 * The peer has no cache, so no equivalent.
 */
import type { Page } from 'playwright-core'
import type { BenchEnvironment } from './bench-environment.ts'
import { BENCH_READER } from './bench-environment.ts'
import type { FigureRow } from './results-table.ts'
import { summarise } from './statistics.ts'

interface PrefetchResult {
  mbPerSecond: number
  seconds: number
  bytes: number
  instances: number
}

async function prefetchOnce(page: Page, env: BenchEnvironment, cipher: 'aes' | 'plain', token: string): Promise<PrefetchResult> {
  const query = new URLSearchParams({ mode: 'prefetch', cipher, server: env.server.url, token, study: env.studies.ct.studyInstanceUid })
  await page.goto(`${env.server.url}/bench.html?${query}`)
  const output = page.locator('#bench-result[data-done="true"]')
  await output.waitFor({ timeout: 600_000 })
  const parsed = JSON.parse((await output.textContent()) ?? '{}') as { ok: boolean; result?: PrefetchResult; error?: string }
  if (!parsed.ok || !parsed.result) throw new Error(`prefetch (${cipher}): ${parsed.error}`)
  if (parsed.result.instances !== env.studies.ct.files) throw new Error(`prefetch (${cipher}) cached ${parsed.result.instances} of ${env.studies.ct.files} instances`)
  return parsed.result
}

export async function measurePrefetchThroughput(env: BenchEnvironment, page: Page, runs: number, log: (line: string) => void): Promise<FigureRow[]> {
  const token = await env.token(BENCH_READER)
  const results = { plain: [] as PrefetchResult[], aes: [] as PrefetchResult[] }
  for (let run = 0; run < runs; run++) {
    for (const cipher of run % 2 ? (['aes', 'plain'] as const) : (['plain', 'aes'] as const)) results[cipher].push(await prefetchOnce(page, env, cipher, token))
    log(`  prefetch run ${run + 1}/${runs}: plain ${results.plain.at(-1)!.mbPerSecond.toFixed(1)} MB/s, AES-GCM ${results.aes.at(-1)!.mbPerSecond.toFixed(1)} MB/s`)
  }
  const size = `CT ${env.studies.ct.files} slices, ${(env.studies.ct.bytes / 1e6).toFixed(0)} MB`
  const row = (cipher: 'plain' | 'aes', goal: number): FigureRow => {
    const ours = summarise(results[cipher].map((r) => r.mbPerSecond))
    return {
      id: `prefetch.${cipher}`,
      figure: `Prefetch reading server → cache, ${size}, ${cipher === 'aes' ? 'AES-GCM encrypted' : 'plain'}`,
      unit: 'MB/s',
      ours,
      peer: null,
      ratio: null,
      goal: { text: `≥ ${goal} MB/s`, met: ours.median >= goal },
    }
  }
  return [row('plain', 100), row('aes', 80)]
}
