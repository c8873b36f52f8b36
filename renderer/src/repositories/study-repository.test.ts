import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { DicomJsonDataset } from '../../../shared/dicom-json.ts'
import type { DicomwebClient } from '../api/dicomweb-client.ts'
import { RequestError } from '../api/request-error.ts'
import { openWorkstationDb, type WorkstationDb } from '../cache/workstation-db.ts'
import { cacheStudy, indexStudyMetadata, readCachedInstance, type CacheProgress } from './study-repository.ts'

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

/** A DICOMweb server in memory that counts what it is asked for and can fail on demand. */
function fakeDicomweb(metadata: DicomJsonDataset[], failOn = new Set<string>()) {
  const retrieved: string[] = []
  const client: DicomwebClient = {
    searchStudies: async () => [],
    searchSeries: async () => [],
    searchInstances: async () => [],
    retrieveStudyMetadata: async () => metadata,
    async retrieveInstance(_study, _series, sop) {
      if (failOn.has(sop)) throw new RequestError('unreachable', 'connection dropped')
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

  it('caches every instance as a Blob, reports progress and reads the bytes back', async () => {
    const { client } = fakeDicomweb([instanceMetadata('1.1', 'a', 1, 0), instanceMetadata('1.1', 'b', 2, 5)])
    const progress: CacheProgress[] = []
    const series = await cacheStudy({ client, db, serverUrl: 'http://127.0.0.1:1', studyInstanceUid: STUDY, onProgress: (p) => progress.push(p) })
    expect(series).toHaveLength(1)
    expect(progress.at(0)).toMatchObject({ totalInstances: 2, cachedInstances: 0 })
    expect(progress.at(-1)).toMatchObject({ totalInstances: 2, cachedInstances: 2, cachedBytes: 2 * 'DICM-bytes-of-a'.length })
    expect(new TextDecoder().decode(await readCachedInstance(db, 'b'))).toBe('DICM-bytes-of-b')
    const study = await db.studies.get(STUDY)
    expect(study).toMatchObject({ complete: true, cachedInstanceCount: 2, instanceCount: 2 })
    const blobRecord = await db.instanceBlobs.get('a')
    expect(blobRecord?.bytes).toBeInstanceOf(Blob)
  })

  it('resumes an interrupted download without fetching cached instances again', async () => {
    const metadata = [instanceMetadata('1.1', 'a', 1, 0), instanceMetadata('1.1', 'b', 2, 5), instanceMetadata('1.1', 'c', 3, 10)]
    const first = fakeDicomweb(metadata, new Set(['c']))
    await expect(cacheStudy({ client: first.client, db, serverUrl: 'http://s', studyInstanceUid: STUDY, concurrency: 1 })).rejects.toThrow(/connection dropped/)
    expect((await db.studies.get(STUDY))?.complete).toBe(false)

    const second = fakeDicomweb(metadata)
    await cacheStudy({ client: second.client, db, serverUrl: 'http://s', studyInstanceUid: STUDY })
    expect(second.retrieved).toEqual(['c'])
    expect((await db.studies.get(STUDY))?.complete).toBe(true)
  })

  it('says which instance is missing from the cache', async () => {
    await expect(readCachedInstance(db, '9.9.9')).rejects.toThrow('instance 9.9.9 is not in the local cache')
  })
})
