import { beforeEach, describe, expect, it } from 'vitest'
import type { InstanceParseOutcome } from './instance-parse.ts'
import type { InstanceParsePool } from './instance-parse-pool.ts'
import { verifyInstances } from './instance-verification.ts'
import { recordVerdict, resetVerdicts, useInstanceVerdicts } from './instance-verdicts.ts'
import { replaceParseWorkers } from './parse-workers.ts'

const runs: Array<{ uid: string; mode: string; priority?: string }> = []
const answers: Record<string, InstanceParseOutcome> = {
  '1.3': { kind: 'rejected', code: 'too-deep', reason: 'sequences are nested deeper than 32 levels' },
  '1.4': { kind: 'non-image', sopClassUid: '1.2.840.10008.5.1.4.1.1.88.22' },
}
const pool: InstanceParsePool = {
  run: async (part10, mode, priority) => {
    const uid = new TextDecoder().decode(part10)
    runs.push({ uid, mode, priority })
    return answers[uid] ?? { kind: 'image', transferSyntaxUid: '1.2.840.10008.1.2.1', frames: 1 }
  },
  dispose: () => undefined,
}
const read = async (uid: string) => {
  if (uid === '1.5') throw new Error('not in the cache yet')
  return new TextEncoder().encode(uid).buffer as ArrayBuffer
}

beforeEach(() => {
  runs.length = 0
  resetVerdicts()
  replaceParseWorkers(pool)
})

describe('verifyInstances', () => {
  it('checks each instance once, in the background, and records what it found', async () => {
    recordVerdict('1.1', null)
    await verifyInstances(['1.1', '1.2', '1.3', '1.4', '1.5'], read, new AbortController().signal)
    expect(runs.map((r) => r.uid).sort()).toEqual(['1.2', '1.3', '1.4'])
    expect(runs.every((r) => r.mode === 'verify' && r.priority === 'background')).toBe(true)
    await Promise.resolve()
    expect(useInstanceVerdicts.getState().problems).toEqual({
      '1.3': { kind: 'rejected', code: 'too-deep', reason: 'sequences are nested deeper than 32 levels', skip: true },
      '1.4': { kind: 'non-image' },
    })
    // a second pass reads nothing again
    await verifyInstances(['1.2', '1.3'], read, new AbortController().signal)
    expect(runs).toHaveLength(3)
  })

  it('stops when the study is closed', async () => {
    const abort = new AbortController()
    abort.abort(new Error('closed'))
    await verifyInstances(['2.1', '2.2'], read, abort.signal)
    expect(runs).toEqual([])
  })
})
