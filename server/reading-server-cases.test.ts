/**
 * Reading cases over HTTP against a seeded server: a screening double read (blinded, disagreeing,
 * consensus), one that agrees, one that goes to the committee, a report check (return,
 * correction, amendment), routing, immutability, and statistics with known answers.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiPaths, assignmentSchema, worklistResponseSchema, type Assignment } from '../shared/api-contract.ts'
import { findingMasterSchema, type ReportContent } from '../shared/finding-master.ts'
import { compareReads } from '../shared/read-comparison.ts'
import { casePaths, readerStatisticsSchema, readingCaseSchema, reportVersionListSchema, type ReadingCase } from '../shared/reading-case-contract.ts'
import { reportPaths, storedReportSchema } from '../shared/report-contract.ts'
import { diffReports } from '../shared/report-diff.ts'
import { apiTestClient } from './api-test-client.ts'
import { loadDemoMaster } from './demo-seed.ts'
import { startReadingServer, type RunningReadingServer } from './start-reading-server.ts'
import { DB_TEMPLATE_DIR } from './test-database-template.ts'

const CT_HEAD = '1.3.46.670589.33.1.27492712521914879309.27169771283235650014'
const FUJI_CHEST = '1.2.392.200036.9125.0.199302241758.16'
const US_ECHO = '1.3.6.1.4.1.25403.166563008443.732.20120418082458.1'
const MR_WRIST = '1.113654.3.13.1026'
const MAMMOGRAM = '1.3.6.1.4.1.5962.1.2.3.20040826185059.5457'
const USERS = ['reader1', 'reader2', 'reader3', 'checker1', 'admin'] as const

let server: RunningReadingServer
let clock = new Date('2026-11-02T00:00:00.000Z')
const advance = (minutes: number) => (clock = new Date(clock.getTime() + minutes * 60_000))
const api = apiTestClient(() => server.url)

const worklist = async (user: string) => worklistResponseSchema.parse(await (await api.call(apiPaths.worklist, { user })).json()).assignments
async function assignment(user: string, study: string): Promise<Assignment> {
  const found = (await worklist(user)).find((a) => a.studyInstanceUid === study)
  if (!found) throw new Error(`${user} has no assignment of ${study}`)
  return found
}
const caseAs = (user: string, caseId: string) => api.json(casePaths.readingCase(caseId), { user }, (v) => readingCaseSchema.parse(v))
const submit = (a: Assignment, user: string, content: ReportContent) =>
  api.call(reportPaths.assignmentReport(a.id), { user, method: 'POST', body: { content }, key: randomUUID() })
const start = async (a: Assignment, user: string) => expect((await api.call(casePaths.assignmentStart(a.id), { user, method: 'POST' })).status).toBe(204)
const readOf = (c: ReadingCase, type: string) => c.reads.find((r) => r.readingType === type)!

const chest = (judgement: 'A' | 'E'): ReportContent => ({
  masterVersion: 1,
  scale: 'lung-xray',
  findings:
    judgement === 'A'
      ? [{ findingCode: 'cx-no-abnormality', bodyPartCode: 'chest', judgement: 'A', keyImages: [], measurements: [] }]
      : [{ findingCode: 'cx-nodule', bodyPartCode: 'lung-field', laterality: 'R', judgement: 'E', location: '上肺野', keyImages: [], measurements: [] }],
  impression: judgement === 'A' ? '異常所見を認めません。' : '右上肺野に結節影。精密検査を勧めます。',
  comments: '',
  keyImages: [],
  measurements: [],
})
const ctmr = (judgement: 'N' | 'W', bodyPart = 'head', impression = judgement === 'N' ? '明らかな異常所見を認めません。' : '左中大脳動脈領域に梗塞を認めます。'): ReportContent => ({
  masterVersion: 1,
  scale: 'report-check',
  findings:
    judgement === 'N'
      ? [{ findingCode: 'ctmr-no-abnormality', bodyPartCode: bodyPart, judgement: 'N', keyImages: [], measurements: [] }]
      : [{ findingCode: 'ctmr-infarct', bodyPartCode: 'brain', laterality: 'L', judgement: 'W', location: '中大脳動脈領域', keyImages: [], measurements: [] }],
  impression,
  comments: '',
  keyImages: [],
  measurements: [],
})

beforeAll(async () => {
  server = await startReadingServer({ dataDir: null, port: 0, seedDemo: true, databaseTemplateDir: DB_TEMPLATE_DIR, now: () => clock })
  await api.loginAll(USERS)
})
afterAll(async () => {
  await server?.close()
})

describe('screening double reading', () => {
  it('blinds the second reader, compares when the reads disagree, and records the consensus with everything', async () => {
    const first = await assignment('reader2', FUJI_CHEST)
    const second = await assignment('reader1', FUJI_CHEST)
    const comparison = await assignment('checker1', FUJI_CHEST)
    const caseId = first.readingCase!.id
    expect([second.readingCase?.id, comparison.readingCase?.id]).toEqual([caseId, caseId])
    expect(first.readingCase).toMatchObject({ workflow: 'double', status: 'first-read', waitingOnOthers: false })
    expect(comparison.readingCase?.waitingOnOthers).toBe(true)

    await start(first, 'reader2')
    advance(3)
    expect((await submit(first, 'reader2', chest('E'))).status).toBe(201)
    expect((await assignment('reader2', FUJI_CHEST)).readingCase).toMatchObject({ status: 'second-read', waitingOnOthers: true })

    // the second reader sees that the first read is in, and nothing of it
    await api.expectError(await api.call(reportPaths.assignmentReport(first.id), { user: 'reader1' }), 403, 'forbidden')
    const blinded = await caseAs('reader1', caseId)
    expect(readOf(blinded, 'first')).toMatchObject({ blinded: true, status: 'submitted' })
    expect(readOf(blinded, 'first').latest).toBeUndefined()
    expect(blinded.final).toBeUndefined()
    expect(blinded.events).toEqual([])
    expect(JSON.stringify(blinded)).not.toContain('cx-nodule')
    // nor does the comparison reader, before both reads are in
    expect(readOf(await caseAs('checker1', caseId), 'first').blinded).toBe(true)
    // and an unrelated reader may not see the case at all
    await api.expectError(await api.call(casePaths.readingCase(caseId), { user: 'reader3' }), 403, 'forbidden')
    // a consensus before both reads are in is refused
    await api.expectError(await api.call(casePaths.consensus(caseId), { user: 'checker1', body: { overallJudgement: 'E', reason: 'x' } }), 409, 'invalid-transition')

    await start(second, 'reader1')
    advance(5)
    expect((await submit(second, 'reader1', chest('A'))).status).toBe(201)
    const compared = await caseAs('reader1', caseId)
    expect(compared.status).toBe('comparison')
    const [a, b] = [readOf(compared, 'first').latest!, readOf(compared, 'second').latest!]
    const comparisonRows = compareReads(a, b)
    expect(comparisonRows.overallAgrees).toBe(false)
    expect(comparisonRows.findings.map((f) => f.match)).toEqual(['only-first', 'only-second'])
    expect(storedReportSchema.parse(await (await api.call(reportPaths.assignmentReport(first.id), { user: 'reader1' })).json()).overallJudgement).toBe('E')

    // only the comparison reader decides; a read cannot be corrected once both are in
    await api.expectError(await api.call(casePaths.consensus(caseId), { user: 'reader2', body: { overallJudgement: 'E', reason: 'mine' } }), 403, 'forbidden')
    await api.expectError(await api.call(casePaths.committeeDecision(caseId), { user: 'checker1', body: { overallJudgement: 'E', reason: 'x' } }), 409, 'invalid-transition')
    await api.expectError(await api.call(casePaths.checkDecision(caseId), { user: 'admin', body: { decision: 'approve' } }), 409, 'invalid-transition')
    await api.expectError(
      await api.call(casePaths.reportVersions(readOf(compared, 'second').reportId!), { user: 'reader1', body: { content: chest('E'), reason: 'saw the other read' }, key: randomUUID() }),
      409,
      'invalid-transition',
    )
    await api.expectError(await api.call(casePaths.consensus(caseId), { user: 'checker1', body: { overallJudgement: 'Z', reason: 'x' } }), 400, 'bad-request')

    advance(1)
    const final = await api.json(casePaths.consensus(caseId), { user: 'checker1', body: { overallJudgement: 'E', reason: '結節影あり、一次読影を採用' } }, (v) => readingCaseSchema.parse(v))
    expect(final.status).toBe('final')
    expect(final.final).toMatchObject({ overallJudgement: 'E', requiresFurtherExamination: true, method: 'consensus', reason: '結節影あり、一次読影を採用' })
    expect(final.reads.map((r) => [r.readingType, r.readerName, r.blinded, Boolean(r.submittedAt)])).toEqual([
      ['first', '読影 花子', false, true],
      ['second', '読影 太郎', false, true],
      ['comparison', '確認 一郎', false, false],
    ])
    expect(final.events.map((e) => `${e.event}:${e.fromStatus}->${e.toStatus}`)).toEqual([
      'read-submitted:first-read->second-read',
      'read-submitted:second-read->comparison',
      'consensus:comparison->final',
    ])
    expect((await assignment('checker1', FUJI_CHEST)).status).toBe('submitted')
    await api.expectError(await api.call(casePaths.consensus(caseId), { user: 'checker1', body: { overallJudgement: 'A', reason: 'again' } }), 409, 'invalid-transition')
    await api.expectError(await api.call(casePaths.committee(caseId), { user: 'checker1', body: { reason: 'again' } }), 409, 'invalid-transition')
  })

  it('ends the case at once when the reads agree, in whichever order they come', async () => {
    const second = await assignment('reader3', US_ECHO)
    const first = await assignment('reader1', US_ECHO)
    expect((await submit(second, 'reader3', ctmr('N', 'chest'))).status).toBe(201)
    expect((await assignment('reader3', US_ECHO)).readingCase).toMatchObject({ status: 'first-read', waitingOnOthers: true })
    expect((await submit(first, 'reader1', ctmr('N', 'chest'))).status).toBe(201)
    const done = await caseAs('reader3', first.readingCase!.id)
    expect(done).toMatchObject({ status: 'final', final: { method: 'agreement', overallJudgement: 'N', requiresFurtherExamination: false } })
    expect((await assignment('reader1', US_ECHO)).readingCase).toMatchObject({ status: 'final', waitingOnOthers: false })
  })

  it('sends a disagreement to the committee, whose checker decides', async () => {
    const first = await assignment('reader1', MR_WRIST)
    const second = await assignment('reader2', MR_WRIST)
    const caseId = first.readingCase!.id
    expect((await submit(first, 'reader1', ctmr('N', 'wrist'))).status).toBe(201)
    // a correction while the other read is still out is a new version
    const versions = await api.json(
      casePaths.reportVersions(readOf(await caseAs('reader1', caseId), 'first').reportId!),
      { user: 'reader1', body: { content: ctmr('N', 'wrist', '手関節に異常を認めません。'), reason: '所見文の修正' }, key: randomUUID() },
      (v) => reportVersionListSchema.parse(v),
      201,
    )
    expect(versions.map((v) => [v.version, v.kind])).toEqual([[1, 'original'], [2, 'correction']])
    expect((await submit(second, 'reader2', ctmr('W'))).status).toBe(201)
    // no comparison assignment: the second reader compares
    await api.expectError(await api.call(casePaths.committee(caseId), { user: 'reader1', body: { reason: 'x' } }), 403, 'forbidden')
    expect((await api.json(casePaths.committee(caseId), { user: 'reader2', body: { reason: '判定が割れたため委員会へ' } }, (v) => readingCaseSchema.parse(v))).status).toBe('committee')
    await api.expectError(await api.call(casePaths.committeeDecision(caseId), { user: 'reader2', body: { overallJudgement: 'W', reason: 'x' } }), 403, 'forbidden')
    const decided = await api.json(casePaths.committeeDecision(caseId), { user: 'checker1', body: { overallJudgement: 'N', reason: '委員会で異常なしと判断' } }, (v) => readingCaseSchema.parse(v))
    expect(decided).toMatchObject({ status: 'final', committeeReason: '判定が割れたため委員会へ', final: { method: 'committee', overallJudgement: 'N', decidedBy: expect.any(String) } })
  })
})

describe('report check', () => {
  it('returns, takes a correction, amends with tracked changes the first reader sees', async () => {
    const first = await assignment('reader1', CT_HEAD)
    const check = (await worklist('checker1')).find((a) => a.studyInstanceUid === CT_HEAD && a.readingType === 'check')!
    const caseId = first.readingCase!.id
    expect(first.readingCase?.workflow).toBe('check')
    await api.expectError(await api.call(casePaths.checkDecision(caseId), { user: 'checker1', body: { decision: 'approve' } }), 409, 'invalid-transition')
    await api.expectError(await submit(check, 'checker1', ctmr('N')), 409, 'invalid-transition')

    expect((await submit(first, 'reader1', ctmr('N'))).status).toBe(201)
    expect((await assignment('reader1', CT_HEAD)).readingCase).toMatchObject({ status: 'check', waitingOnOthers: true })
    // a newer master imported meanwhile: the checker still works on the version the report used
    const { facilityId: _f, ...master } = { ...(await loadDemoMaster('sakura-clinic')), facilityId: undefined }
    expect((await api.call(reportPaths.adminFacilityMasters('sakura-clinic'), { user: 'admin', body: master })).status).toBe(201)
    expect((await api.json(reportPaths.assignmentMaster(check.id), { user: 'checker1' }, (v) => findingMasterSchema.parse(v))).version).toBe(1)
    const seen = await caseAs('checker1', caseId)
    expect(readOf(seen, 'first')).toMatchObject({ blinded: false, latest: { overallJudgement: 'N' } })
    await api.expectError(await api.call(casePaths.checkDecision(caseId), { user: 'reader2', body: { decision: 'approve' } }), 403, 'forbidden')
    await api.expectError(await api.call(casePaths.checkDecision(caseId), { user: 'checker1', body: { decision: 'return', comment: '' } }), 400, 'bad-request')

    const returned = await api.json(casePaths.checkDecision(caseId), { user: 'checker1', body: { decision: 'return', comment: '左基底核を再確認してください' } }, (v) => readingCaseSchema.parse(v))
    expect(returned).toMatchObject({ status: 'returned', returnComment: '左基底核を再確認してください' })
    expect(await assignment('reader1', CT_HEAD)).toMatchObject({ status: 'in-progress', readingCase: { status: 'returned', waitingOnOthers: false } })
    await api.expectError(await api.call(casePaths.checkDecision(caseId), { user: 'checker1', body: { decision: 'approve' } }), 409, 'invalid-transition')

    const reportId = readOf(returned, 'first').reportId!
    await api.expectError(await api.call(casePaths.reportVersions(reportId), { user: 'checker1', body: { content: ctmr('W'), reason: 'x' }, key: randomUUID() }), 403, 'forbidden')
    const key = randomUUID()
    const correction = { content: ctmr('N', 'head', '左基底核に明らかな異常を認めません。'), reason: '指摘部位を確認' }
    expect((await api.call(casePaths.reportVersions(reportId), { user: 'reader1', body: correction, key })).status).toBe(201)
    // the same key again (a retry) stores nothing more
    expect((await api.call(casePaths.reportVersions(reportId), { user: 'reader1', body: correction, key })).status).toBe(201)
    expect((await caseAs('checker1', caseId)).status).toBe('check')

    const amended = ctmr('W', 'head', '左中大脳動脈領域に急性期梗塞を認めます。')
    await api.expectError(await api.call(casePaths.checkDecision(caseId), { user: 'checker1', body: { decision: 'amend', content: amended, reason: '梗塞の見落とし' } }), 400, 'bad-request')
    const after = await api.json(casePaths.checkDecision(caseId), { user: 'checker1', body: { decision: 'amend', content: amended, reason: '梗塞の見落とし' }, key: randomUUID() }, (v) => readingCaseSchema.parse(v))
    expect(after).toMatchObject({ status: 'amended', final: { method: 'amended', overallJudgement: 'W', requiresFurtherExamination: true, reason: '梗塞の見落とし' } })

    const history = await api.json(casePaths.reportVersions(reportId), { user: 'reader1' }, (v) => reportVersionListSchema.parse(v))
    expect(history.map((v) => [v.version, v.kind, v.authorName])).toEqual([
      [1, 'original', '読影 太郎'],
      [2, 'correction', '読影 太郎'],
      [3, 'amendment', '確認 一郎'],
    ])
    const changes = diffReports(history[1]!.content, history[2]!.content)
    expect(changes.findings.map((c) => c.kind)).toEqual(['removed', 'added'])
    expect(changes.impression.filter((c) => c.kind === 'insert').map((c) => c.text).join('')).toContain('梗塞')
    expect(await assignment('reader1', CT_HEAD)).toMatchObject({ readingCase: { status: 'amended' } })
    await api.expectError(await api.call(casePaths.reportVersions(reportId), { user: 'reader1', body: correction, key: randomUUID() }), 409, 'invalid-transition')
  })
})

describe('routing and immutability', () => {
  const create = (body: Record<string, unknown>) => api.call(apiPaths.adminAssignments, { user: 'admin', body: { priority: 'routine', dueAt: '2030-01-01T00:00:00.000Z', ...body } })

  it('never routes a second read, comparison or check to the first reader, and routes to someone else by itself', async () => {
    await api.expectError(await create({ studyInstanceUid: MAMMOGRAM, username: 'reader1', readingType: 'second' }), 409, 'same-reader')
    await api.expectError(await create({ studyInstanceUid: CT_HEAD, username: 'reader2', readingType: 'second' }), 409, 'invalid-transition')
    await api.expectError(await create({ studyInstanceUid: MAMMOGRAM, readingType: 'first' }), 400, 'bad-request')
    const routedResponse = await create({ studyInstanceUid: MAMMOGRAM, readingType: 'second' })
    const routedBody: unknown = await routedResponse.json()
    expect(routedResponse.status, JSON.stringify(routedBody)).toBe(201)
    const routed = assignmentSchema.parse(routedBody)
    expect((await worklist('reader1')).some((a) => a.id === routed.id)).toBe(false)
    expect(routed.readingCase).toMatchObject({ workflow: 'double', status: 'first-read' })
    const comparer = assignmentSchema.parse(await (await create({ studyInstanceUid: MAMMOGRAM, readingType: 'comparison' })).json())
    expect((await worklist('checker1')).some((a) => a.id === comparer.id)).toBe(true)
  })

  it('refuses any change to a stored report, version or case event in the database itself', async () => {
    await expect(server.db.query(`update reports set overall_judgement = 'A'`)).rejects.toThrow(/cannot change/)
    await expect(server.db.query('delete from report_versions')).rejects.toThrow(/cannot change/)
    await expect(server.db.query(`update case_events set detail = 'x'`)).rejects.toThrow(/append-only/)
  })
})

describe('reader statistics', () => {
  it('computes known answers from the reads above, JSON for admins, only their own for readers, and CSV', async () => {
    const stats = await api.json(`${casePaths.readerStatistics}?from=2026-11-01&to=2026-11-02`, { user: 'admin' }, (v) => readerStatisticsSchema.parse(v))
    const row = (name: string) => stats.readers.find((r) => r.readerName === name)!
    // reader2: Fuji chest first (E, disagreed), wrist second (W, disagreed); started the chest 3 minutes before submitting
    expect(row('読影 花子')).toMatchObject({ casesRead: 2, comparedCases: 2, agreements: 0, agreementRate: 0, medianReadingSeconds: 180 })
    expect(row('読影 花子').byFacilityModality).toEqual([
      { facilityId: 'minato-checkup', modality: 'CR', reads: 1, furtherExaminations: 1, furtherExaminationRate: 1 },
      { facilityId: 'sakura-clinic', modality: 'MR', reads: 1, furtherExaminations: 1, furtherExaminationRate: 1 },
    ])
    // reader1: Fuji second (A, disagreed), echo first (agreed), wrist first (disagreed), head CT first (single check read)
    expect(row('読影 太郎')).toMatchObject({ casesRead: 4, comparedCases: 3, agreements: 1, medianReadingSeconds: 300 })
    expect(row('読影 次郎')).toMatchObject({ casesRead: 1, comparedCases: 1, agreements: 1, agreementRate: 1, medianReadingSeconds: null })

    const own = await api.json(casePaths.readerStatistics + '?from=2026-11-01&to=2026-11-02', { user: 'reader3' }, (v) => readerStatisticsSchema.parse(v))
    expect(own.readers.map((r) => r.readerName)).toEqual(['読影 次郎'])
    const reader2Id = row('読影 花子').readerId
    await api.expectError(await api.call(`${casePaths.readerStatistics}?readerId=${reader2Id}`, { user: 'reader3' }), 403, 'forbidden')
    await api.expectError(await api.call(`${casePaths.readerStatistics}?from=yesterday`, { user: 'admin' }), 400, 'bad-request')
    expect((await api.json(`${casePaths.readerStatistics}?from=2026-10-01&to=2026-10-31`, { user: 'admin' }, (v) => readerStatisticsSchema.parse(v))).readers).toEqual([])

    const csv = await api.call(`${casePaths.readerStatistics}?from=2026-11-01&to=2026-11-02&format=csv`, { user: 'admin' })
    expect(csv.headers.get('content-type')).toContain('text/csv')
    const text = await csv.text()
    expect(text.split('\r\n').filter((l) => l.includes('読影 花子'))).toHaveLength(2)
  })
})
