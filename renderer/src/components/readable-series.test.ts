import { describe, expect, it } from 'vitest'
import type { CachedInstance } from '../cache/workstation-db.ts'
import type { SeriesWithInstances } from '../repositories/study-repository.ts'
import type { InstanceProblem } from '../viewer/instance-verdicts.ts'
import { readablePriors, readableSeries, seriesReadability } from './readable-series.ts'

const CT = '1.2.840.10008.5.1.4.1.1.2'
const KOS = '1.2.840.10008.5.1.4.1.1.88.59'
const instance = (sopInstanceUid: string, sopClassUid = CT, instanceNumber = 1): CachedInstance => ({
  sopInstanceUid,
  seriesInstanceUid: sopInstanceUid.split('.').slice(0, -1).join('.'),
  studyInstanceUid: '1',
  sopClassUid,
  instanceNumber,
  sortKey: instanceNumber,
  numberOfFrames: 1,
  byteLength: 1,
})
const seriesOf = (uid: string, instances: CachedInstance[]): SeriesWithInstances => ({
  series: { seriesInstanceUid: uid, studyInstanceUid: '1', modality: 'CT', seriesNumber: 1, description: '', instanceCount: instances.length },
  instances,
})

const ct = seriesOf('1.1', [instance('1.1.1', CT, 1), instance('1.1.2', CT, 2), instance('1.1.3', CT, 3)])
const kos = seriesOf('1.2', [instance('1.2.1', KOS)])
const refused: InstanceProblem = { kind: 'rejected', code: 'length-out-of-bounds', reason: 'cut short', skip: true }
const undecodable: InstanceProblem = { kind: 'rejected', code: 'decode-failed', reason: 'bad JPEG', skip: false }

describe('readableSeries', () => {
  it('hands back the very same array when nothing is left out', () => {
    const series = [ct]
    expect(readableSeries(series, {})).toBe(series)
    expect(readableSeries(series, { '1.1.2': undecodable })).toBe(series)
  })

  it('leaves out refused instances, non-image objects (by SOP class or as found) and series left empty', () => {
    const found = seriesOf('1.3', [instance('1.3.1')])
    const result = readableSeries([ct, kos, found], { '1.1.2': refused, '1.3.1': { kind: 'non-image' } })
    expect(result.map((s) => [s.series.seriesInstanceUid, s.series.instanceCount, s.instances.map((i) => i.sopInstanceUid)])).toEqual([['1.1', 2, ['1.1.1', '1.1.3']]])
  })
})

describe('readablePriors', () => {
  it('filters each prior, and hands back the same array when nothing is left out', () => {
    const priors = [{ studyInstanceUid: '9', series: [ct, kos] }]
    expect(readablePriors([{ studyInstanceUid: '8', series: [ct] }], {})).toEqual([{ studyInstanceUid: '8', series: [ct] }])
    const same = [{ studyInstanceUid: '8', series: [ct] }]
    expect(readablePriors(same, {})).toBe(same)
    expect(readablePriors(priors, {})[0]!.series.map((s) => s.series.seriesInstanceUid)).toEqual(['1.1'])
  })
})

describe('seriesReadability', () => {
  it('tells a non-image series from a series whose images all failed', () => {
    expect(seriesReadability(kos, {})).toMatchObject({ nonImage: true, readable: [], bad: [] })
    const allBad = seriesReadability(seriesOf('1.4', [instance('1.4.1')]), { '1.4.1': refused })
    expect(allBad).toMatchObject({ nonImage: false, readable: [], bad: [{ problem: refused }] })
  })

  it('lists bad instances, refused or undecodable, and keeps undecodable ones readable (the stack on screen stays)', () => {
    const status = seriesReadability(ct, { '1.1.1': refused, '1.1.3': undecodable })
    expect(status.readable.map((i) => i.sopInstanceUid)).toEqual(['1.1.2', '1.1.3'])
    expect(status.bad.map((b) => [b.instance.instanceNumber, b.problem.code])).toEqual([
      [1, 'length-out-of-bounds'],
      [3, 'decode-failed'],
    ])
  })
})
