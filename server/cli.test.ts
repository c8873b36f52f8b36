import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openReadingDatabase } from './database.ts'
import { demoDicomDir } from './demo-seed.ts'
import { upsertFacility } from './facility-repository.ts'
import { DB_TEMPLATE_DIR } from './test-database-template.ts'

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url))
// The project's own Node (24, with type stripping) when installed; else whatever runs the tests.
const projectNode = fileURLToPath(new URL('../node_modules/.bin/node', import.meta.url))
const node = existsSync(projectNode) ? projectNode : process.execPath

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(node, [cli, ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr })
    })
  })
}


let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'reading-cli-'))
  // Created here from the template, so the CLI process below only reopens it.
  const db = await openReadingDatabase(join(dir, 'data'), { templateDir: DB_TEMPLATE_DIR })
  await upsertFacility(db, { id: 'east', name: 'East Clinic', patientDisplayPolicy: 'named', anonymisedPrefix: '' })
  await db.close()
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('reading server CLI', () => {
  it('imports good files, reports each rejected one on its own line and exits 1', async () => {
    const data = join(dir, 'data')
    const notDicom = join(dir, 'readme.txt')
    await writeFile(notDicom, 'not DICOM')
    const good = join(demoDicomDir(), 'cr-chest')
    const result = await runCli(['import', '--data', data, '--facility', 'east', good, notDicom])
    expect(result.code).toBe(1)
    const lines = result.stdout.trim().split('\n')
    expect(lines.filter((l) => l.startsWith('ok '))).toHaveLength(2)
    expect(lines).toContain(`rejected ${notDicom}: not a DICOM Part-10 file (no "DICM" marker at byte 128) [not-part10]`)
    expect(lines.at(-1)).toBe('2 imported, 1 rejected')
    expect(existsSync(join(data, 'instances'))).toBe(true)
  })

  it('explains bad arguments in one line and exits 2', async () => {
    const result = await runCli(['import', '--facility', 'east', 'x.dcm'])
    expect(result.code).toBe(2)
    expect(result.stderr.trim().split('\n')).toEqual(['error: import needs --data (see "node server/cli.ts help")'])
  })
})
