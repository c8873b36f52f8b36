import { describe, expect, it } from 'vitest'
import { median, readerStatistics, statisticsCsv, type StatisticsRead } from './reader-statistics.ts'

const at = (minutes: number) => new Date(Date.UTC(2026, 10, 1, 9, minutes))
const read = (readerId: string, facilityId: string, modality: string, startMin: number | undefined, endMin: number, judgement: string, further: boolean, partner?: [string, boolean]): StatisticsRead => ({
  readerId,
  readerName: readerId === 'a' ? '読影 太郎' : 'Reader, "B"',
  facilityId,
  modality,
  ...(startMin !== undefined ? { startedAt: at(startMin) } : {}),
  submittedAt: at(endMin),
  overallJudgement: judgement,
  requiresFurtherExamination: further,
  ...(partner ? { partner: { overallJudgement: partner[0], requiresFurtherExamination: partner[1] } } : {}),
})

/** A seeded set with answers worked out by hand. */
const reads = [
  read('a', 'minato', 'CR', 0, 2, 'A', false, ['A', false]), // 120 s, agrees
  read('a', 'minato', 'CR', 10, 11, 'E', true, ['C', false]), // 60 s, disagrees
  read('a', 'minato', 'MG', 20, 24, 'C', true, ['C', true]), // 240 s, agrees
  read('a', 'sakura', 'CT', undefined, 30, 'B', false), // no start, single read
  read('b', 'minato', 'CR', 0, 5, 'A', false, ['A', false]), // 300 s, agrees
  read('b', 'minato', 'CR', 40, 39, 'C', false), // start after submission: left out of the median
]

describe('readerStatistics', () => {
  it('computes cases, median reading time, agreement and further-examination rates per facility and modality', () => {
    const [a, b] = readerStatistics(reads)
    expect(a).toEqual({
      readerId: 'b',
      readerName: 'Reader, "B"',
      casesRead: 2,
      medianReadingSeconds: 300,
      comparedCases: 1,
      agreements: 1,
      agreementRate: 1,
      byFacilityModality: [{ facilityId: 'minato', modality: 'CR', reads: 2, furtherExaminations: 0, furtherExaminationRate: 0 }],
    })
    expect(b).toMatchObject({ readerId: 'a', casesRead: 4, medianReadingSeconds: 120, comparedCases: 3, agreements: 2 })
    expect(b?.agreementRate).toBeCloseTo(2 / 3)
    expect(b?.byFacilityModality).toEqual([
      { facilityId: 'minato', modality: 'CR', reads: 2, furtherExaminations: 1, furtherExaminationRate: 0.5 },
      { facilityId: 'minato', modality: 'MG', reads: 1, furtherExaminations: 1, furtherExaminationRate: 1 },
      { facilityId: 'sakura', modality: 'CT', reads: 1, furtherExaminations: 0, furtherExaminationRate: 0 },
    ])
  })
  it('gives null rates rather than zero when there is nothing to divide', () => {
    const [only] = readerStatistics([read('a', 'f', 'CT', undefined, 1, 'B', false)])
    expect(only).toMatchObject({ medianReadingSeconds: null, comparedCases: 0, agreementRate: null })
    expect(readerStatistics([])).toEqual([])
  })
  it('takes the median of an even count as the mean of the middle two', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(median([])).toBeNull()
  })
})

describe('statisticsCsv', () => {
  it('writes one row per reader, facility and modality, quoted where needed, with a BOM', () => {
    const csv = statisticsCsv({ from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z', readers: readerStatistics(reads) })
    expect(csv.startsWith('\uFEFFreader_id,reader_name,')).toBe(true)
    const lines = csv.slice(1).trimEnd().split('\r\n')
    expect(lines).toHaveLength(1 + 1 + 3)
    expect(lines[1]).toBe('b,"Reader, ""B""",2026-11-01T00:00:00.000Z,2026-12-01T00:00:00.000Z,2,300,1,1,1,minato,CR,2,0,0')
    expect(lines[2]).toContain('読影 太郎')
    expect(lines[2]!.split(',').at(-1)).toBe('0.5')
  })
})
