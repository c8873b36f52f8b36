/**
 * `node server/cli.ts audit-verify --data DIR` against a database on disk: intact, then with one
 * entry edited behind the server's back (the append-only trigger disabled), which it must name.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appendAuditEvents } from './audit-log.ts'
import { parseCli } from './cli-args.ts'
import { openReadingDatabase } from './database.ts'
import { DB_TEMPLATE_DIR } from './test-database-template.ts'

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url))
const projectNode = fileURLToPath(new URL('../node_modules/.bin/node', import.meta.url))
const node = existsSync(projectNode) ? projectNode : process.execPath

function runCli(args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(node, [cli, ...args], { timeout: 60_000 }, (error, stdout) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout })
    })
  })
}

let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'audit-cli-'))
  const db = await openReadingDatabase(join(dir, 'data'), { templateDir: DB_TEMPLATE_DIR })
  const at = new Date('2026-11-04T10:00:00.000Z')
  for (const kind of ['login', 'study-opened', 'study-closed', 'logout'] as const) {
    await appendAuditEvents(db, [{ kind, source: 'server', userId: 'u-1', username: 'reader1', detail: { n: 1 } }], at)
  }
  await db.close()
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('audit-verify', () => {
  it('parses with --data only', () => {
    expect(parseCli(['audit-verify', '--data', 'd'])).toEqual({ command: 'audit-verify', dataDir: 'd' })
    expect(() => parseCli(['audit-verify'])).toThrow(/needs --data/)
    expect(() => parseCli(['audit-verify', '--data', 'd', '--port', '1'])).toThrow(/does not take --port/)
  })

  it('passes an intact log and names the first broken entry of an edited one', async () => {
    const data = join(dir, 'data')
    const intact = await runCli(['audit-verify', '--data', data])
    expect(intact).toMatchObject({ code: 0, stdout: 'ok: 4 operation-log entries, hash chain intact\n' })

    const db = await openReadingDatabase(data)
    await db.exec('alter table audit_events disable trigger user')
    await db.query(`update audit_events set detail = '{"n": 2}' where seq = 3`)
    await db.exec('alter table audit_events enable trigger user')
    await db.close()
    const broken = await runCli(['audit-verify', '--data', data])
    expect(broken.code).toBe(1)
    expect(broken.stdout).toMatch(/^BROKEN at entry 3: .*edited/)
  })
})
