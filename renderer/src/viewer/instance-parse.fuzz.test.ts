/**
 * The fuzz test of the parse/decode path (machinery in test/fuzz/): every file of the public
 * test set (../shared/dicom), mutated by a seeded random source, goes through the parse
 * worker's own function and Cornerstone's decoders in a worker thread. Every case must end in a
 * decoded image, a non-image answer or a typed error, within 1 s (more only for a source whose
 * clean decode alone takes longer), with bounded memory. FUZZ_CASES=20000 runs more, FUZZ_SEED
 * another seed; FUZZ_SAVE_REGRESSIONS=1 writes failures to test/fixtures/fuzz-regressions/.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { runFuzzCases, runFuzzFiles } from '../../../test/fuzz/fuzz-runner.ts'
import { isFailure, saveRegressions, summarize } from '../../../test/fuzz/fuzz-summary.ts'
import { caseSeed } from '../../../test/fuzz/seeded-random.ts'

const CASES = Number(process.env.FUZZ_CASES ?? 2_000)
const SEED = Number(process.env.FUZZ_SEED ?? 20_240_608)
const REGRESSIONS = fileURLToPath(new URL('../../../test/fixtures/fuzz-regressions', import.meta.url))
const MB = 1024 ** 2

describe('fuzzing the parse/decode path', () => {
  it('every failure the fuzz test once found ends as expected now, within 1 s', { timeout: 10 * 60_000 }, async () => {
    const rows = readFileSync(path.join(REGRESSIONS, 'regressions.tsv'), 'utf8').trim().split('\n').slice(1).map((line) => line.split('\t'))
    expect(rows.length).toBeGreaterThan(0)
    const files = rows.map(([file]) => ({ name: file!, bytes: new Uint8Array(readFileSync(path.join(REGRESSIONS, file!))), limitMs: 1_000 }))
    const reports = await runFuzzFiles(files)
    const got = reports.map((r) => ('failure' in r ? `${r.name}: ${r.failure}` : `${r.source}: ${r.code ? `${r.outcome}:${r.code}` : r.outcome}${r.totalMs > r.limitMs ? ` in ${r.totalMs.toFixed(0)} ms` : ''}`))
    expect(got).toEqual(rows.map(([file, , , , , expected]) => `${file}: ${expected}`))
  })

  it(`${CASES.toLocaleString('en-US')} seeded cases end in a decoded image or a typed error, each in time, in bounded memory`, { timeout: 30 * 60_000 + CASES * 2_000 }, async () => {
    expect(CASES).toBeGreaterThanOrEqual(1)
    const run = await runFuzzCases(CASES, (index) => caseSeed(SEED, index))
    console.log(summarize(run, SEED))
    if (process.env.FUZZ_SAVE_REGRESSIONS) console.log(`regression files written: ${saveRegressions(REGRESSIONS, run).join(', ') || 'none'}`)

    // nothing hung, died or threw past the typed errors; nothing overran its limit
    expect(run.failures).toEqual([])
    expect(run.reports.filter(isFailure).map((r) => `${r.source} seed ${r.seed} ${r.mutation}: ${r.outcome} ${r.totalMs.toFixed(0)} ms ${r.detail ?? ''}`)).toEqual([])
    expect(run.reports).toHaveLength(CASES)
    // memory: no case held more than 256 MB, and the run leaves nothing behind
    expect(Math.max(...run.reports.map((r) => r.memoryBytes))).toBeLessThan(256 * MB)
    expect(run.memoryAfter - run.memoryBefore).toBeLessThan(64 * MB)

    if (CASES >= 2_000) {
      // the mutations did what they are for: the harness is not passing vacuously
      const codes = new Set(run.reports.map((r) => r.code))
      for (const code of ['truncated', 'length-out-of-bounds', 'too-deep', 'deflate-bomb', 'unknown-transfer-syntax', 'unsupported-transfer-syntax']) expect(codes, code).toContain(code)
      expect(run.reports.filter((r) => r.outcome === 'decoded').length).toBeGreaterThan(CASES / 10)
    }
  })
})
