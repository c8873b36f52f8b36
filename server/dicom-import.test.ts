import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openReadingDatabase, type ReadingDatabase } from './database.ts'
import { demoDicomDir } from './demo-seed.ts'
import { collectFiles, importDicomFiles, instanceRelativePath } from './dicom-import.ts'
import { upsertFacility } from './facility-repository.ts'
import { EXPLICIT_LE, SECONDARY_CAPTURE, syntheticDicom, type SyntheticElement } from './synthetic-dicom.ts'
import { DB_TEMPLATE_DIR } from './test-database-template.ts'


let db: ReadingDatabase
let storageDir: string
let inputDir: string
const mrFile = join(demoDicomDir(), 'mr-wrist', 'MR01.dcm')
const ctFile = join(demoDicomDir(), 'ct-phantom', 'I10')

beforeAll(async () => {
  ;[db, storageDir, inputDir] = await Promise.all([
    openReadingDatabase(null, { templateDir: DB_TEMPLATE_DIR }),
    mkdtemp(join(tmpdir(), 'import-store-')),
    mkdtemp(join(tmpdir(), 'import-input-')),
  ])
  await upsertFacility(db, { id: 'f1', name: 'One', patientDisplayPolicy: 'named', anonymisedPrefix: '' })
  await upsertFacility(db, { id: 'f2', name: 'Two', patientDisplayPolicy: 'anonymised', anonymisedPrefix: 'T' })
})

afterAll(async () => {
  await db.close()
  await Promise.all([rm(storageDir, { recursive: true, force: true }), rm(inputDir, { recursive: true, force: true })])
})

describe('DICOM import', () => {
  it('imports good files and rejects bad ones in the same batch, each with a clear message', async () => {
    const textFile = join(inputDir, 'notes.txt')
    await writeFile(textFile, 'this is not DICOM\n'.repeat(20))
    const truncated = join(inputDir, 'truncated.dcm')
    await writeFile(truncated, (await readFile(ctFile)).subarray(0, 40_000))
    const noStudyUid = join(inputDir, 'no-study-uid.dcm')
    await writeFile(
      noStudyUid,
      syntheticDicom([
        ['00020002', 'UI', SECONDARY_CAPTURE],
        ['00020003', 'UI', '1.2.826.0.1.3680043.10.1.1'],
        ['00020010', 'UI', EXPLICIT_LE],
        ['00080016', 'UI', SECONDARY_CAPTURE],
        ['00080018', 'UI', '1.2.826.0.1.3680043.10.1.1'],
        ['0020000E', 'UI', '1.2.826.0.1.3680043.10.1.2'],
      ]),
    )
    const missing = join(inputDir, 'missing.dcm')

    const report = await importDicomFiles(db, storageDir, 'f1', [textFile, mrFile, truncated, noStudyUid, missing, ctFile])
    expect(report.map((r) => [r.file, r.ok])).toEqual([
      [textFile, false],
      [mrFile, true],
      [truncated, false],
      [noStudyUid, false],
      [missing, false],
      [ctFile, true],
    ])
    expect(report[0]).toMatchObject({ code: 'not-part10', error: 'not a DICOM Part-10 file (no "DICM" marker at byte 128)' })
    expect(report[2]).toMatchObject({ code: 'length-out-of-bounds', error: expect.stringMatching(/^\(7FE0,0010\) declares 524,288 bytes .* the file is truncated or the length is corrupt$/) })
    expect(report[3]).toMatchObject({ code: 'invalid-dicom', error: 'missing StudyInstanceUID (0020,000D)' })
    expect(report[4]).toMatchObject({ code: 'unreadable', error: 'file not found' })
    expect(report[1]).toMatchObject({ sopInstanceUid: '1.113654.5.15.1504', studyInstanceUid: '1.113654.3.13.1026' })
  })

  it('stores the bytes unchanged under instances/<study>/<sop>.dcm with their size and SHA-256', async () => {
    const source = await readFile(mrFile)
    const { rows } = await db.query<{ file_path: string; file_size: number; sha256: string; rows: number; columns: number }>(
      'select file_path, file_size, sha256, rows, columns from instances where sop_instance_uid = $1',
      ['1.113654.5.15.1504'],
    )
    const row = rows[0]
    expect(row?.file_path).toBe(instanceRelativePath('1.113654.3.13.1026', '1.113654.5.15.1504'))
    expect(row?.file_path).toBe('instances/1.113654.3.13.1026/1.113654.5.15.1504.dcm')
    expect(row?.file_size).toBe(source.length)
    expect(row?.sha256).toBe(createHash('sha256').update(source).digest('hex'))
    expect([row?.rows, row?.columns]).toEqual([256, 256])
    expect(Buffer.compare(await readFile(join(storageDir, row?.file_path ?? '')), source)).toBe(0)
  })

  it('indexes study and series fields, modalities derived from the series', async () => {
    const { rows } = await db.query<Record<string, unknown>>('select * from studies where study_instance_uid = $1', [
      '1.113654.3.13.1026',
    ])
    expect(rows[0]).toMatchObject({
      facility_id: 'f1',
      patient_id: '583295',
      patient_name: 'DOE^J1',
      patient_sex: 'M',
      study_date: '20170716',
      study_description: 'LEFT WRIST',
      accession_number: 'MOF5026',
      modalities: ['MR'],
    })
    const series = await db.query('select * from series where study_instance_uid = $1', ['1.113654.3.13.1026'])
    expect(series.rows).toHaveLength(1)
  })

  it('re-importing a file updates its rows instead of duplicating them', async () => {
    const report = await importDicomFiles(db, storageDir, 'f1', [mrFile])
    expect(report[0]?.ok).toBe(true)
    const { rows } = await db.query<{ n: number }>('select count(*)::int as n from instances where sop_instance_uid = $1', [
      '1.113654.5.15.1504',
    ])
    expect(rows[0]?.n).toBe(1)
  })

  it('refuses to move a study to another facility', async () => {
    const report = await importDicomFiles(db, storageDir, 'f2', [mrFile])
    expect(report[0]).toMatchObject({ ok: false, error: 'study 1.113654.3.13.1026 is already registered to facility "f1"' })
  })

  it('decodes names by Specific Character Set (UTF-8 and JIS X 0208)', async () => {
    const base = (sop: string, study: string): SyntheticElement[] => [
      ['00020002', 'UI', SECONDARY_CAPTURE],
      ['00020003', 'UI', sop],
      ['00020010', 'UI', EXPLICIT_LE],
      ['00080016', 'UI', SECONDARY_CAPTURE],
      ['00080018', 'UI', sop],
      ['00080060', 'CS', 'OT'],
      ['0020000D', 'UI', study],
      ['0020000E', 'UI', `${study}.1`],
    ]
    const utf8 = join(inputDir, 'utf8.dcm')
    await writeFile(
      utf8,
      syntheticDicom([
        ...base('1.2.826.0.1.3680043.10.2.1', '1.2.826.0.1.3680043.10.2'),
        ['00080005', 'CS', 'ISO_IR 192'],
        ['00100010', 'PN', 'Yamada^Tarou=山田^太郎=やまだ^たろう'],
      ]),
    )
    const jis = join(inputDir, 'jis.dcm')
    const jisName = Uint8Array.of(
      0x59, 0x61, 0x6d, 0x61, 0x64, 0x61, 0x5e, 0x54, 0x61, 0x72, 0x6f, 0x75, 0x3d,
      0x1b, 0x24, 0x42, 0x3b, 0x33, 0x45, 0x44, 0x1b, 0x28, 0x42, 0x5e,
      0x1b, 0x24, 0x42, 0x42, 0x40, 0x4f, 0x3a, 0x1b, 0x28, 0x42,
    )
    await writeFile(
      jis,
      syntheticDicom([
        ...base('1.2.826.0.1.3680043.10.3.1', '1.2.826.0.1.3680043.10.3'),
        ['00080005', 'CS', '\\ISO 2022 IR 87'],
        ['00100010', 'PN', jisName],
      ]),
    )
    const report = await importDicomFiles(db, storageDir, 'f1', [utf8, jis])
    expect(report.map((r) => r.error)).toEqual([undefined, undefined])
    const { rows } = await db.query<{ patient_name: string }>(
      'select patient_name from studies where study_instance_uid = any($1::text[]) order by study_instance_uid',
      [['1.2.826.0.1.3680043.10.2', '1.2.826.0.1.3680043.10.3']],
    )
    expect(rows.map((r) => r.patient_name)).toEqual(['Yamada^Tarou=山田^太郎=やまだ^たろう', 'Yamada^Tarou=山田^太郎'])
  })

  it('refuses hostile files by reason code before parsing them, imports non-image objects, and keeps importing the rest', async () => {
    const sop = (n: number) => `1.2.826.0.1.3680043.10.9.${n}`
    const study = '1.2.826.0.1.3680043.10.9'
    const header = (n: number, sopClass: string): SyntheticElement[] => [
      ['00020002', 'UI', sopClass],
      ['00020003', 'UI', sop(n)],
      ['00020010', 'UI', EXPLICIT_LE],
      ['00080016', 'UI', sopClass],
      ['00080018', 'UI', sop(n)],
      ['0020000D', 'UI', study],
      ['0020000E', 'UI', `${study}.1`],
    ]
    const pixelModule: SyntheticElement[] = [
      ['00280002', 'US', Uint8Array.of(1, 0)],
      ['00280004', 'CS', 'MONOCHROME2'],
      ['00280010', 'US', Uint8Array.of(0, 2)],
      ['00280011', 'US', Uint8Array.of(0, 2)],
      ['00280100', 'US', Uint8Array.of(16, 0)],
    ]
    // Pixel Data declaring 3 GB in a 300 KB file: the length field is patched after encoding
    const huge = syntheticDicom([...header(1, SECONDARY_CAPTURE), ...pixelModule, ['7FE00010', 'OB', new Uint8Array(300_000)]])
    new DataView(huge.buffer).setUint32(huge.length - 300_000 - 4, 3 * 1024 ** 3, true)
    const keyObjects = syntheticDicom([...header(3, '1.2.840.10008.5.1.4.1.1.88.59'), ['00080060', 'CS', 'KO']])
    const files = { huge: join(inputDir, 'huge.dcm'), keyObjects: join(inputDir, 'kos.dcm') }
    await Promise.all([writeFile(files.huge, huge), writeFile(files.keyObjects, keyObjects)])

    const report = await importDicomFiles(db, storageDir, 'f1', [files.huge, files.keyObjects, ctFile])
    expect(report.map((r) => [r.ok, r.code ?? r.objectKind])).toEqual([
      [false, 'length-out-of-bounds'],
      [true, 'non-image'],
      [true, 'image'],
    ])
    expect(report[0]?.error).toMatch(/^\(7FE0,0010\) declares 3,221,225,472 bytes .* but only 300,000 remain in the file/)
  })

  it('refuses an image in an unsupported transfer syntax by name', async () => {
    const file = join(inputDir, 'jpeg-xl-image.dcm')
    const fragments = Uint8Array.of(0xfe, 0xff, 0x00, 0xe0, 0, 0, 0, 0, 0xfe, 0xff, 0x00, 0xe0, 4, 0, 0, 0, 1, 2, 3, 4, 0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0)
    const bytes = syntheticDicom([
      ['00020002', 'UI', SECONDARY_CAPTURE],
      ['00020003', 'UI', '1.2.826.0.1.3680043.10.9.9'],
      ['00020010', 'UI', '1.2.840.10008.1.2.4.112'],
      ['00080016', 'UI', SECONDARY_CAPTURE],
      ['00280010', 'US', Uint8Array.of(2, 0)],
      ['00280011', 'US', Uint8Array.of(2, 0)],
      ['00280100', 'US', Uint8Array.of(8, 0)],
      ['7FE00010', 'OB', new Uint8Array(0)],
    ])
    // the empty Pixel Data becomes encapsulated: undefined length, then an offset table, one fragment and the delimiter
    const encapsulated = new Uint8Array(bytes.length + fragments.length)
    encapsulated.set(bytes)
    new DataView(encapsulated.buffer).setUint32(bytes.length - 4, 0xffffffff, true)
    encapsulated.set(fragments, bytes.length)
    await writeFile(file, encapsulated)
    const [entry] = await importDicomFiles(db, storageDir, 'f1', [file])
    expect(entry).toMatchObject({ ok: false, code: 'unsupported-transfer-syntax', error: 'JPEG XL (1.2.840.10008.1.2.4.112) is not supported' })
  })

  it('walks folders and refuses an unknown facility outright', async () => {
    const files = await collectFiles([join(demoDicomDir(), 'cr-chest')])
    expect(files.map((f) => f.split('/').pop())).toEqual(['RG1_J2KI.dcm', 'gdcm-CR-MONO1-10-chest.dcm'])
    await expect(importDicomFiles(db, storageDir, 'nope', [mrFile])).rejects.toThrow('unknown facility "nope"')
  })
})
