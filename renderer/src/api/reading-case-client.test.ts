import { describe, expect, it } from 'vitest'
import type { ReadingCase } from '../../../shared/reading-case-contract.ts'
import { createReadingCaseClient } from './reading-case-client.ts'
import { ReportRejectedError } from './report-client.ts'

const aCase: ReadingCase = {
  id: 'case-1',
  studyInstanceUid: '1.2.3',
  facilityId: 'f',
  workflow: 'double',
  status: 'comparison',
  reads: [{ assignmentId: 'a1', readingType: 'first', readerId: 'u1', readerName: '読影 花子', status: 'submitted', blinded: true }],
  events: [],
}

function fakeFetch(answer: (url: string, init: RequestInit) => Response) {
  const calls: Array<{ url: string; init: RequestInit }> = []
  const fn = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    calls.push({ url: String(input), init })
    return answer(String(input), init)
  }) as typeof fetch
  return { fn, calls }
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

describe('reading case client', () => {
  it('gets a case with the bearer token and checks it against the contract', async () => {
    const { fn, calls } = fakeFetch(() => json(200, aCase))
    const client = createReadingCaseClient('http://127.0.0.1:9/', () => 'tok', fn)
    expect(await client.readingCase('case-1')).toEqual(aCase)
    expect(calls[0]?.url).toBe('http://127.0.0.1:9/api/v1/cases/case-1')
    expect((calls[0]?.init.headers as Record<string, string>).authorization).toBe('Bearer tok')
    const broken = createReadingCaseClient('http://127.0.0.1:9', () => 'tok', fakeFetch(() => json(200, { id: 1 })).fn)
    await expect(broken.readingCase('case-1')).rejects.toMatchObject({ failure: 'bad-response' })
  })

  it('sends a correction with its idempotency key, and turns 422 into the rules\' issues', async () => {
    const { fn, calls } = fakeFetch(() => json(422, { error: 'report-invalid', message: 'bad', issues: [{ rule: 'x', message: { ja: '駄目', en: 'bad' } }] }))
    const client = createReadingCaseClient('http://127.0.0.1:9', () => 'tok', fn)
    const content = { masterVersion: 1, scale: 's', findings: [], impression: '', comments: '', keyImages: [], measurements: [] }
    const error = await client.correct('r1', content, 'why', 'key-12345678').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ReportRejectedError)
    expect((error as ReportRejectedError).issues[0]?.message.ja).toBe('駄目')
    expect((calls[0]?.init.headers as Record<string, string>)['idempotency-key']).toBe('key-12345678')
    expect(JSON.parse(String(calls[0]?.init.body))).toEqual({ content, reason: 'why' })
  })

  it('passes the statistics period as a query and says what a refusal was', async () => {
    const { fn, calls } = fakeFetch(() => json(403, { error: 'forbidden', message: 'no' }))
    const client = createReadingCaseClient('http://127.0.0.1:9', () => 'tok', fn)
    await expect(client.statistics({ from: '2026-11-01', readerId: 'u 2' })).rejects.toMatchObject({ failure: 'forbidden' })
    expect(calls[0]?.url).toBe('http://127.0.0.1:9/api/v1/statistics/readers?from=2026-11-01&readerId=u+2')
  })
})
