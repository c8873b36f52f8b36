import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseDicom } from './dicom-part10.ts'
import { annotatedExportSource, checkupExportSource, FIXTURE_IMAGES } from './report-export-fixture.ts'
import type { ReportExportSource } from './report-export-source.ts'
import { BASIC_TEXT_SR_SOP_CLASS, buildReportSr, ENHANCED_SR_SOP_CLASS, reportSrUids } from './report-sr.ts'

const run = promisify(execFile)
let dir: string

/** Runs a DCMTK tool; a missing tool fails the test and says which package provides it. */
async function dcmtk(tool: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  try {
    return await run(tool, args, { encoding: 'utf8' })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`${tool} is not installed: install the Debian package "dcmtk" (apt-get install -y dcmtk; scripts/install-and-start.sh lists it)`, {
        cause: error,
      })
    }
    throw error
  }
}

/** dsrdump's listing of the SR (with DCMTK's relationship-constraint checks on), failing on anything it complains about. */
async function dsrdumpClean(name: string, source: ReportExportSource): Promise<string> {
  const file = join(dir, `${name}.dcm`)
  await writeFile(file, buildReportSr(source))
  const { stdout, stderr } = await dcmtk('dsrdump', ['+Pl', '+Pc', file])
  // DCMTK 3.6's VR checker warns that it cannot check UTF-8 values; anything else is a problem of the file.
  const problems = stderr.split('\n').filter((line) => line.trim() !== '' && !/VR checker does not support this Specific Character Set: ISO_IR 192/.test(line))
  expect(problems).toEqual([])
  return stdout
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'report-sr-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('report SR', () => {
  it('is a Basic Text SR of the imaged study, in UTF-8, with UIDs derived from the report id', async () => {
    const source = await checkupExportSource()
    const bytes = buildReportSr(source)
    const parsed = parseDicom(bytes)
    const uids = reportSrUids(source.report.id)
    expect(parsed.text('00020002', 'UI')).toBe(BASIC_TEXT_SR_SOP_CLASS)
    expect(parsed.text('00020010', 'UI')).toBe('1.2.840.10008.1.2.1')
    expect(parsed.text('00080016', 'UI')).toBe(BASIC_TEXT_SR_SOP_CLASS)
    expect(parsed.text('00080018', 'UI')).toBe(uids.sopInstanceUid)
    expect(parsed.text('0020000E', 'UI')).toBe(uids.seriesInstanceUid)
    expect(parsed.text('0020000D', 'UI')).toBe(source.study.studyInstanceUid)
    expect(parsed.text('00100020', 'LO')).toBe('P-0001')
    expect(parsed.text('00080005', 'CS')).toBe('ISO_IR 192')
    for (const uid of Object.values(uids)) expect(uid).toMatch(/^2\.25\.[1-9]\d{0,38}$/)
    expect(uids.sopInstanceUid).not.toBe(uids.seriesInstanceUid)
    expect(reportSrUids(source.report.id)).toEqual(uids)
    expect(buildReportSr(source)).toEqual(bytes)
  })

  it('reads without errors in dsrdump, with the findings, impression and overall judgement', async () => {
    const source = await checkupExportSource()
    const file = join(dir, 'report.dcm')
    await writeFile(file, buildReportSr(source))
    const { stdout, stderr } = await dcmtk('dsrdump', ['+Pl', '+Pc', file])
    // DCMTK 3.6's VR checker warns that it cannot check UTF-8 values; anything else is a problem of the file.
    const problems = stderr.split('\n').filter((line) => line.trim() !== '' && !/VR checker does not support this Specific Character Set: ISO_IR 192/.test(line))
    expect(problems).toEqual([])
    expect(stdout).toContain('Basic Text SR Document')
    expect(stdout).toContain('<CONTAINER:(18748-4,LN,"Diagnostic Imaging Report")=SEPARATE>')
    expect(stdout).toContain('<contains CONTAINER:(121070,DCM,"Findings")=SEPARATE>')
    expect(stdout).toContain('Patient             : MHC-1A2B3C (F, #P-0001)')
    expect(stdout).toContain('右肺野 結節影 判定 E（肺癌の疑い）、部位: 上肺野、大きさ: 15mm: 右上肺野に15mm大の結節影を認めます。')
    expect(stdout).toContain('心臓 心拡大 判定 C')
    expect(stdout).toContain('肺癌の疑いがあり、CTによる精密検査を勧めます。')
    expect(stdout).toContain('総合判定 E（肺癌の疑い / Suspected lung cancer） 要精検')
    expect(stdout).toMatch(/Completion Flag\s+: COMPLETE/)
    expect(stdout).toMatch(/Verifying Observers : 2026-03-04 05:06:07 \+00:00, 読影\^太郎/)
    // dciodvfy is not in DCMTK; dcmdump at least must walk the whole file cleanly
    const dump = await dcmtk('dcmdump', ['+E', file])
    expect(dump.stderr.split('\n').filter((line) => /^E:/.test(line))).toEqual([])
  })
})

describe('report SR with key images and measurements', () => {
  it('is an Enhanced SR (NUM needs it) that DCMTK reads without a complaint', async () => {
    const source = await annotatedExportSource()
    const parsed = parseDicom(buildReportSr(source))
    expect(parsed.text('00020002', 'UI')).toBe(ENHANCED_SR_SOP_CLASS)
    expect(parsed.text('00080016', 'UI')).toBe(ENHANCED_SR_SOP_CLASS)
    const stdout = await dsrdumpClean('annotated', source)
    expect(stdout).toContain('Enhanced SR Document')
  })

  it('DCMTK does check the content constraints: the same tree declared a Basic Text SR is refused (NUM is not allowed there)', async () => {
    const bytes = buildReportSr(await annotatedExportSource())
    // the two UIDs have the same length, so the file stays well-formed with the other one in place
    expect(ENHANCED_SR_SOP_CLASS.length).toBe(BASIC_TEXT_SR_SOP_CLASS.length)
    const relabelled = Buffer.from(bytes)
    const [from, to] = [Buffer.from(ENHANCED_SR_SOP_CLASS), Buffer.from(BASIC_TEXT_SR_SOP_CLASS)]
    let replaced = 0
    for (let at = relabelled.indexOf(from); at >= 0; at = relabelled.indexOf(from, at + 1), replaced++) to.copy(relabelled, at)
    expect(replaced).toBe(2)
    const file = join(dir, 'relabelled.dcm')
    await writeFile(file, relabelled)
    const failed = await dcmtk('dsrdump', [file]).then(
      () => '',
      (error: { stderr?: string }) => error.stderr ?? 'failed',
    )
    expect(failed).toMatch(/Cannot add "contains NUM" to CONTAINER in Basic Text SR/)
  })

  it('lists the key images as IMAGE items with SOP Class, Instance and frame, and the finding inferred from its key image', async () => {
    const stdout = await dsrdumpClean('key-images', await annotatedExportSource())
    expect(stdout).toContain('<contains CONTAINER:(121180,DCM,"Key Images")=SEPARATE>')
    const keyImages = stdout.split('(121180,DCM,"Key Images")')[1]!.split('CONTAINER')[0]!
    expect(keyImages.match(/<contains IMAGE:=\([^)]*\)>/g)).toEqual(['<contains IMAGE:=(CR image,)>', '<contains IMAGE:=(USm image,,4)>', '<contains IMAGE:=(CT image,)>'])
    const dump = await dcmtk('dcmdump', ['+P', '0008,1155', '+P', '0008,1160', join(dir, 'key-images.dcm')])
    expect(dump.stdout).toContain(FIXTURE_IMAGES.cine.sopInstanceUid)
    expect(dump.stdout).toMatch(/\(0008,1160\) IS \[4\]/)
    expect(stdout).toMatch(/"Finding"\)="右肺野 結節影[^\n]*">\n\s+<inferred from IMAGE:=\(CR image,\)>/)
  })

  it('has a measurement group per measurement: NUM values with UCUM units (mm, deg, mm2, HU, {px}) and the IMAGE measured on', async () => {
    const stdout = await dsrdumpClean('measurements', await annotatedExportSource())
    expect(stdout).toContain('<contains CONTAINER:(126010,DCM,"Imaging Measurements")=SEPARATE>')
    expect(stdout.match(/\(125007,DCM,"Measurement Group"\)/g)).toHaveLength(5)
    expect(stdout).toContain('<contains NUM:(410668003,SCT,"Length")="15.2" (mm,UCUM,"millimeter")>')
    expect(stdout).toContain('<contains NUM:(373098007,SCT,"Mean")="41.25" ([hnsf\'U],UCUM,"Hounsfield unit")>')
    expect(stdout).toContain('<contains NUM:(42798000,SCT,"Area")="31.4" (mm2,UCUM,"square millimeter")>')
    expect(stdout).toContain('="35.5" (deg,UCUM,"degree")>')
    expect(stdout).toContain('<contains NUM:(410668003,SCT,"Length")="120" ({px},UCUM,"pixels")>')
    expect(stdout).toContain('="-998" ([hnsf\'U],UCUM,"Hounsfield unit")>')
    expect(stdout).toContain('<contains IMAGE:(121112,DCM,"Source of Measurement")=(USm image,,4)>')
    expect(stdout).toContain('<contains TEXT:(112039,DCM,"Tracking Identifier")="M1 長さ / Length: 結節">')
    // the finding's line names the measurements it links
    expect(stdout).toContain('計測: 長さ 15.2 mm「結節」; 楕円ROI 平均 41.3 HU')
  })

  it('lists the study\'s images as current evidence and the prior\'s as other evidence', async () => {
    const parsed = parseDicom(buildReportSr(await annotatedExportSource()))
    const studies = (tag: string) =>
      (parsed.dataSet.elements[tag]?.items ?? []).map((study) => ({
        study: study.dataSet?.string('x0020000d'),
        sops: (study.dataSet?.elements.x00081115?.items ?? []).flatMap((series) => (series.dataSet?.elements.x00081199?.items ?? []).map((sop) => sop.dataSet?.string('x00081155'))),
      }))
    expect(studies('x0040a375')).toEqual([{ study: FIXTURE_IMAGES.chest.studyInstanceUid, sops: [FIXTURE_IMAGES.chest.sopInstanceUid, FIXTURE_IMAGES.cine.sopInstanceUid] }])
    expect(studies('x0040a385')).toEqual([{ study: FIXTURE_IMAGES.priorCt.studyInstanceUid, sops: [FIXTURE_IMAGES.priorCt.sopInstanceUid] }])
  })

  it('a report with key images but no measurements stays a Basic Text SR; an image the server no longer has is named in TEXT', async () => {
    const source = await annotatedExportSource()
    const content = source.report.content
    const images = new Map(source.images)
    images.delete(FIXTURE_IMAGES.priorCt.sopInstanceUid)
    const keyImagesOnly: ReportExportSource = {
      ...source,
      images,
      report: { ...source.report, content: { ...content, measurements: [], findings: content.findings.map((f) => ({ ...f, measurements: [] })) } },
    }
    expect(parseDicom(buildReportSr(keyImagesOnly)).text('00080016', 'UI')).toBe(BASIC_TEXT_SR_SOP_CLASS)
    const stdout = await dsrdumpClean('basic-with-images', keyImagesOnly)
    expect(stdout).toContain('Basic Text SR Document')
    expect(stdout).toContain('<contains IMAGE:=(USm image,,4)>')
    expect(stdout).toContain(`="SOP Instance ${FIXTURE_IMAGES.priorCt.sopInstanceUid} (not on the server)">`)
    expect(stdout).not.toContain('Imaging Measurements')
  })

  it('writes values that need many digits as valid DS (at most 16 characters)', async () => {
    const source = await annotatedExportSource()
    const [first, ...rest] = source.report.content.measurements
    const long = { ...first!, values: { length: 1234.5678901234 } }
    const tiny = { ...first!, id: 'tiny', values: { length: -0.0000123456789123 } }
    const withLong: ReportExportSource = { ...source, report: { ...source.report, content: { ...source.report.content, measurements: [long, tiny, ...rest] } } }
    const stdout = await dsrdumpClean('long-values', withLong)
    const values = [...stdout.matchAll(/"Length"\)="([^"]*)"/g)].map((m) => m[1]!)
    expect(values.slice(0, 2)).toEqual(['1234.56789', '-0.0000123456789'])
    for (const v of values) expect(v.length).toBeLessThanOrEqual(16)
  })
})
