import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { DicomJsonDataset } from '../../../shared/dicom-json.ts'
import type { DicomwebClient } from '../api/dicomweb-client.ts'
import { RequestError } from '../api/request-error.ts'
import { openWorkstationDb, type WorkstationDb } from '../cache/workstation-db.ts'
import { plainCipher } from '../cache/cache-cipher.ts'
import { storeInstances } from '../cache/instance-store.ts'
import { indexStudyMetadata, listCachedSeries, planStudy } from './study-repository.ts'

const STUDY = '1.2.840.1'

function instanceMetadata(series: string, sop: string, instanceNumber: number, z: number, seriesNumber = 1): DicomJsonDataset {
  return {
    '0020000E': { vr: 'UI', Value: [series] },
    '00080018': { vr: 'UI', Value: [sop] },
    '00080016': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.2'] },
    '00080060': { vr: 'CS', Value: ['CT'] },
    '00200011': { vr: 'IS', Value: [seriesNumber] },
    '00200013': { vr: 'IS', Value: [instanceNumber] },
    '00200037': { vr: 'DS', Value: [1, 0, 0, 0, 1, 0] },
    '00200032': { vr: 'DS', Value: [0, 0, z] },
  }
}

/** A DICOMweb server in memory that counts what it is asked for. */
function fakeDicomweb(metadata: DicomJsonDataset[]) {
  const retrieved: string[] = []
  const client: DicomwebClient = {
    searchStudies: async () => [],
    searchSeries: async () => [],
    searchInstances: async () => [],
    retrieveStudyMetadata: async () => metadata,
    async retrieveInstance(_study, _series, sop) {
      retrieved.push(sop)
      return new TextEncoder().encode(`DICM-bytes-of-${sop}`)
    },
  }
  return { client, retrieved }
}

describe('study repository', () => {
  let db: WorkstationDb

  beforeEach(() => {
    db = openWorkstationDb(`test-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange })
  })
  afterEach(() => db.close())

  it('orders slices by position, not by instance number, and series by number', () => {
    const series = indexStudyMetadata(STUDY, [
      instanceMetadata('2.2', 'b', 1, 10, 2),
      instanceMetadata('1.1', 'x', 3, -5),
      instanceMetadata('1.1', 'y', 1, 5),
      instanceMetadata('1.1', 'z', 2, 0),
    ])
    expect(series.map((s) => s.series.seriesInstanceUid)).toEqual(['1.1', '2.2'])
    expect(series[0]!.instances.map((i) => i.sopInstanceUid)).toEqual(['x', 'z', 'y'])
    expect(series[0]!.series.instanceCount).toBe(3)
  })

  it('indexes a study, lists what is missing, and answers a complete study from the cache alone', async () => {
    const { client } = fakeDicomweb([instanceMetadata('1.1', 'a', 1, 0), instanceMetadata('1.1', 'b', 2, 5)])
    const plan = await planStudy(client, db, 'http://s', STUDY)
    expect(plan.missing.map((i) => i.sopInstanceUid)).toEqual(['a', 'b'])
    expect(await db.studies.get(STUDY)).toMatchObject({ instanceCount: 2, cachedInstanceCount: 0, complete: false, needed: 1 })

    await storeInstances(db, plainCipher, [{ instance: plan.missing[0]!, bytes: new Uint8Array([1, 2]) }])
    const resumed = await planStudy(client, db, 'http://s', STUDY)
    expect(resumed.missing.map((i) => i.sopInstanceUid)).toEqual(['b'])

    await storeInstances(db, plainCipher, [{ instance: resumed.missing[0]!, bytes: new Uint8Array([3]) }])
    expect(await db.studies.get(STUDY)).toMatchObject({ complete: true, cachedInstanceCount: 2, cachedBytes: 3 })
    const offline: DicomwebClient = { ...client, retrieveStudyMetadata: () => Promise.reject(new RequestError('unreachable', 'offline')) }
    const fromCache = await planStudy(offline, db, 'http://s', STUDY)
    expect(fromCache.missing).toEqual([])
    expect(fromCache.series[0]!.instances.map((i) => i.sopInstanceUid)).toEqual(['a', 'b'])
  })

  it('keeps the image attributes of each instance in the cache', async () => {
    const withWindow = { ...instanceMetadata('1.1', 'a', 1, 7.5), '00281050': { vr: 'DS', Value: [40] }, '00281051': { vr: 'DS', Value: [80] } }
    const { client } = fakeDicomweb([withWindow, instanceMetadata('1.1', 'b', 2, 12.5)])
    await planStudy(client, db, 'http://s', STUDY)
    const [series] = await listCachedSeries(db, STUDY)
    expect(series!.instances[0]!.attributes).toMatchObject({ imagePositionPatient: [0, 0, 7.5], imageOrientationPatient: [1, 0, 0, 0, 1, 0], windowCenter: [40], windowWidth: [80] })
    expect(series!.instances[1]!.attributes?.imagePositionPatient).toEqual([0, 0, 12.5])
    expect(series!.instances[1]!.attributes?.windowCenter).toBeUndefined()
  })

  it('lists nothing for a study never indexed', async () => {
    expect(await listCachedSeries(db, '9.9.9')).toEqual([])
  })
})
