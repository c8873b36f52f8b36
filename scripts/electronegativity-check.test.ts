import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { JUSTIFICATIONS_FILE, judgeFindings, parseJustifications, scanFolder, scanShell, type Finding } from './electronegativity-check.ts'

const finding = (id: string, file: string, severity: Finding['severity']): Finding => ({ id, file, line: 1, severity, confidence: 'FIRM', description: '' })

describe('Electronegativity verdict', () => {
  it('fails unjustified HIGH and MEDIUM findings, lets LOW ones and justified ones pass, and flags stale justifications', () => {
    const verdict = judgeFindings(
      [
        finding('PRELOAD_JS_CHECK', 'electron/window-factory.ts', 'MEDIUM'),
        finding('NODE_INTEGRATION_JS_CHECK', 'electron/window-factory.ts', 'HIGH'),
        finding('PRELOAD_JS_CHECK', 'electron/other.ts', 'MEDIUM'),
        finding('CSP_GLOBAL_CHECK', 'renderer/index.html', 'LOW'),
      ],
      [
        { id: 'PRELOAD_JS_CHECK', file: 'electron/window-factory.ts', reason: 'the preload exposes only the typed bridge' },
        { id: 'OPEN_EXTERNAL_JS_CHECK', file: 'electron/window-factory.ts', reason: 'gone since the handler was removed' },
      ],
    )
    expect(verdict.justified.map((j) => j.finding.file)).toEqual(['electron/window-factory.ts'])
    expect(verdict.unjustified.map((f) => `${f.id} ${f.file}`)).toEqual(['NODE_INTEGRATION_JS_CHECK electron/window-factory.ts', 'PRELOAD_JS_CHECK electron/other.ts'])
    expect(verdict.stale.map((j) => j.id)).toEqual(['OPEN_EXTERNAL_JS_CHECK'])
  })

  it('requires an id, a file and a real reason in every justification', () => {
    expect(() => parseJustifications('{}')).toThrow(/array/)
    expect(() => parseJustifications('[{"id":"X","file":"electron/a.ts","reason":"ok"}]')).toThrow(/reason/)
    expect(() => parseJustifications('[{"id":"X","reason":"a long enough reason for this"}]')).toThrow(/file/)
  })
})

describe('Electronegativity scan', () => {
  it('finds no unjustified HIGH or MEDIUM problem in the desktop shell, and every justification still applies', async () => {
    const { findings, parseErrors } = await scanShell()
    expect(parseErrors).toEqual([])
    const verdict = judgeFindings(findings, parseJustifications(await readFile(JUSTIFICATIONS_FILE, 'utf8')))
    expect(verdict.unjustified).toEqual([])
    expect(verdict.stale).toEqual([])
    // the scan saw the shell: the window factory's options were read (its preload is a known finding)
    expect(findings.some((f) => f.file === 'electron/window-factory.ts')).toBe(true)
  }, 60_000)

  it('catches a window made without the security defaults (the scanner is not blind)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'electronegativity-canary-'))
    try {
      await writeFile(
        path.join(dir, 'main.ts'),
        [
          "import { BrowserWindow } from 'electron'",
          "const w = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false, webSecurity: false } })",
          "w.loadURL('http://example.com/')",
        ].join('\n'),
      )
      const { findings } = await scanFolder(dir)
      const ids = new Set(findings.filter((f) => f.severity === 'HIGH' || f.severity === 'MEDIUM').map((f) => f.id))
      // (1.10.3 does not flag nodeIntegration: true by itself for Electron ≥ 5; contextIsolation: false stands for it)
      for (const id of ['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'WEB_SECURITY_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK', 'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK']) {
        expect(ids).toContain(id)
      }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }, 60_000)
})
