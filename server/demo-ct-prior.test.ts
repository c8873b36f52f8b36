import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import dicomParser from 'dicom-parser'
import { beforeAll, describe, expect, it } from 'vitest'
import { CT_PRIOR_SOURCE, CT_PRIOR_STUDY_UID, deriveCtPrior, PRIOR_SLICES_CUT } from './demo-ct-prior.ts'
import { demoDicomDir } from './demo-seed.ts'

const parse = (bytes: Uint8Array) => dicomParser.parseDicom(bytes)

describe('the head CT prior', () => {
  let current: dicomParser.DataSet[]
  let prior: dicomParser.DataSet[]
  let priorBytes: Uint8Array[]
  beforeAll(async () => {
    const folder = join(demoDicomDir(), CT_PRIOR_SOURCE)
    current = readdirSync(folder)
      .map((name) => parse(new Uint8Array(readFileSync(join(folder, name)))))
      .sort((a, b) => Number(a.string('x00200013')) - Number(b.string('x00200013')))
    priorBytes = (await deriveCtPrior(demoDicomDir())).map((i) => i.bytes)
    prior = priorBytes.map(parse)
  })

  it('is the same patient a year earlier, as a new study with one new series', () => {
    expect(prior).toHaveLength(current.length - 2 * PRIOR_SLICES_CUT)
    const head = current[0] as dicomParser.DataSet
    for (const ds of prior) {
      expect(ds.string('x00100020')).toBe(head.string('x00100020'))
      expect(ds.string('x00080060')).toBe('CT')
      expect(ds.string('x00180015')).toBe(head.string('x00180015'))
      expect(ds.string('x00080020')).toBe('20140206')
      expect(head.string('x00080020')).toBe('20150206')
      expect(ds.string('x0008002a')?.slice(0, 8)).toBe('20140206')
      expect(ds.string('x0020000d')).toBe(CT_PRIOR_STUDY_UID)
      expect(ds.string('x00081030')).toMatch(/prior/)
    }
    expect(new Set(prior.map((ds) => ds.string('x0020000e'))).size).toBe(1)
    expect(prior[0]?.string('x0020000e')).not.toBe(head.string('x0020000e'))
    const sops = new Set(prior.map((ds) => ds.string('x00080018')))
    expect(sops.size).toBe(prior.length)
    for (const ds of current) expect(sops.has(ds.string('x00080018'))).toBe(false)
  })

  it('keeps the geometry: slice n of the prior lies where slice n + cut of the current does', () => {
    prior.forEach((ds, n) => {
      const same = current[n + PRIOR_SLICES_CUT] as dicomParser.DataSet
      expect(ds.string('x00200013')).toBe(String(n + 1))
      for (const tag of ['x00200032', 'x00200037', 'x00200052', 'x00280030', 'x00180050', 'x00281052', 'x00281053']) {
        expect(ds.string(tag), tag).toBe(same.string(tag))
      }
    })
    // so scrolling by index and by position disagree
    expect(prior[0]?.string('x00200032')).not.toBe(current[0]?.string('x00200032'))
  })

  it('carries the same pixels and nothing private', () => {
    prior.forEach((ds, n) => {
      const same = current[n + PRIOR_SLICES_CUT] as dicomParser.DataSet
      const pixels = (d: dicomParser.DataSet) => {
        const e = d.elements.x7fe00010 as dicomParser.Element
        return Buffer.from(d.byteArray.subarray(e.dataOffset, e.dataOffset + e.length))
      }
      expect(pixels(ds).equals(pixels(same))).toBe(true)
      expect(Object.keys(ds.elements).filter((tag) => parseInt(tag.slice(1, 5), 16) % 2 === 1)).toEqual([])
      // the current's localizer and procedure step are not the prior's
      expect(ds.elements.x00081140).toBeUndefined()
      expect(ds.elements.x00081111).toBeUndefined()
    })
  })
})
