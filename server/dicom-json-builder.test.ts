import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { dicomJsonDatasetSchema, firstNumber, firstString, tags } from '../shared/dicom-json.ts'
import { demoDicomDir } from './demo-seed.ts'
import { buildDicomJson, jsonAttribute, personNameValue } from './dicom-json-builder.ts'
import { parseDicom, readDicomHeader } from './dicom-part10.ts'

const demoFile = (path: string) => join(demoDicomDir(), path)

describe('DICOM JSON', () => {
  it('encodes value forms by VR', () => {
    expect(jsonAttribute('PN', ['Yamada^Tarou=山田^太郎'])).toEqual({
      vr: 'PN',
      Value: [{ Alphabetic: 'Yamada^Tarou', Ideographic: '山田^太郎' }],
    })
    expect(jsonAttribute('DS', ['0.5', '-1e2', ''])).toEqual({ vr: 'DS', Value: [0.5, -100, null] })
    expect(jsonAttribute('IS', [7])).toEqual({ vr: 'IS', Value: [7] })
    expect(jsonAttribute('US', [0])).toEqual({ vr: 'US', Value: [0] })
    expect(jsonAttribute('LO', [''])).toEqual({ vr: 'LO' })
    expect(jsonAttribute('CS', [])).toEqual({ vr: 'CS' })
    expect(personNameValue('')).toBeNull()
  })

  it('builds metadata with the pixel module from an implicit VR file, using dictionary VRs', () => {
    const dataset = buildDicomJson(parseDicom(readFileSync(demoFile('mr-wrist/MR01.dcm'))))
    expect(dicomJsonDatasetSchema.safeParse(dataset).success).toBe(true)
    expect(dataset[tags.PatientName]).toEqual({ vr: 'PN', Value: [{ Alphabetic: 'DOE^J1' }] })
    expect(dataset[tags.Rows]).toEqual({ vr: 'US', Value: [256] })
    expect(dataset['00280030']).toEqual({ vr: 'DS', Value: [0.234375, 0.234375] })
    expect(dataset['00200037']).toEqual({ vr: 'DS', Value: [1, 0, 0, 0, 0, -1] })
    expect(dataset[tags.TransferSyntaxUID]).toEqual({ vr: 'UI', Value: ['1.2.840.10008.1.2'] })
    for (const tag of ['00280002', '00280004', '00280100', '00280101', '00280102', '00280103', '00281050', '00281051']) {
      expect(dataset[tag], tag).toBeDefined()
    }
    expect(Object.keys(dataset)).toEqual(Object.keys(dataset).sort())
  })

  it('keeps multi-valued windows and rescale from an explicit VR CT file', () => {
    const dataset = buildDicomJson(parseDicom(readFileSync(demoFile('ct-phantom/I10'))))
    expect(dataset['00281050']).toEqual({ vr: 'DS', Value: [40, 40] })
    expect(firstNumber(dataset, '00281052')).toBeTypeOf('number')
    expect(firstNumber(dataset, '00281053')).toBeTypeOf('number')
    expect(firstString(dataset, tags.Modality)).toBe('CT')
    // text was decoded from ISO_IR 100, so the JSON declares Unicode
    expect(dataset[tags.SpecificCharacterSet]).toEqual({ vr: 'CS', Value: ['ISO_IR 192'] })
  })

  it('reads only the header of large files and still finds everything', async () => {
    const path = demoFile('mammogram/MG1_J2KI.dcm')
    const fromHeader = buildDicomJson(await readDicomHeader(path))
    const fromWhole = buildDicomJson(parseDicom(readFileSync(path)))
    expect(fromHeader).toEqual(fromWhole)
    expect(firstNumber(fromHeader, tags.Rows)).toBe(4664)
    expect(firstNumber(fromHeader, tags.Columns)).toBe(3064)
  })

  it('gives multi-frame counts as numbers', () => {
    const dataset = buildDicomJson(parseDicom(readFileSync(demoFile('us-cine/IM00001.fragmented_no_bot_jpeg_baseline.50.dcm'))))
    expect(dataset[tags.NumberOfFrames]).toEqual({ vr: 'IS', Value: [8] })
    expect(firstString(dataset, '00280004')).toBe('YBR_FULL')
  })
})
