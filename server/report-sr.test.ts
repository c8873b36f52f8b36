import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseDicom } from './dicom-part10.ts'
import { checkupExportSource } from './report-export-fixture.ts'
import { BASIC_TEXT_SR_SOP_CLASS, buildReportSr, reportSrUids } from './report-sr.ts'

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
