/**
 * Electronegativity (Doyensec's Electron security linter) over the desktop shell: the main
 * process, the preload and the page it serves, with the Content Security Policy the app
 * really sends. Fails on any HIGH or MEDIUM finding not justified in
 * electron/electronegativity-justifications.json (finding id + file + reason), on a file it
 * could not parse, and on a justification that no longer matches a finding.
 *
 * The programmatic runner is used, not the CLI: the CLI of 1.10.3 reads its options from
 * whatever `commander` happens to be hoisted and sees none of them with commander ≥ 7.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { CONTENT_SECURITY_POLICY_META } from '../shared/content-security-policy.ts'
import { projectRoot } from './workstation-paths.ts'

export interface Finding {
  id: string
  /** Project-relative path of the source file ('N/A' for findings about the app as a whole). */
  file: string
  line: number
  severity: 'HIGH' | 'MEDIUM' | 'LOW' | 'INFORMATIONAL'
  confidence: string
  description: string
}

export interface Justification {
  id: string
  file: string
  reason: string
}

export interface Verdict {
  /** HIGH/MEDIUM findings no justification covers: each one fails the check. */
  unjustified: Finding[]
  justified: { finding: Finding; reason: string }[]
  /** Justifications that match no finding any more: stale, they fail the check too. */
  stale: Justification[]
}

export const JUSTIFICATIONS_FILE = path.join(projectRoot, 'electron', 'electronegativity-justifications.json')

/**
 * The Electron releases check asks GitHub for the release list and cannot run offline; it
 * judges the Electron version in a package.json, which is not part of the scanned shell.
 */
export const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck']

const BLOCKING = new Set(['HIGH', 'MEDIUM'])

/** Reads and validates the justification file: every entry needs an id, a file and a real reason. */
export function parseJustifications(text: string): Justification[] {
  const parsed: unknown = JSON.parse(text)
  if (!Array.isArray(parsed)) throw new Error('justifications: expected an array')
  return parsed.map((entry: unknown, index) => {
    const e = entry as Partial<Record<keyof Justification, unknown>>
    if (typeof e.id !== 'string' || typeof e.file !== 'string' || typeof e.reason !== 'string' || e.reason.trim().length < 20) {
      throw new Error(`justifications[${index}]: needs "id", "file" and a "reason" of at least 20 characters`)
    }
    return { id: e.id, file: e.file, reason: e.reason }
  })
}

/** Splits the findings into justified and unjustified blocking ones, and finds stale justifications. */
export function judgeFindings(findings: readonly Finding[], justifications: readonly Justification[]): Verdict {
  const verdict: Verdict = { unjustified: [], justified: [], stale: [] }
  const used = new Set<Justification>()
  for (const finding of findings) {
    if (!BLOCKING.has(finding.severity)) continue
    const justification = justifications.find((j) => j.id === finding.id && j.file === finding.file)
    if (justification) {
      used.add(justification)
      verdict.justified.push({ finding, reason: justification.reason })
    } else {
      verdict.unjustified.push(finding)
    }
  }
  verdict.stale = justifications.filter((j) => !used.has(j))
  return verdict
}

interface RawIssue {
  id: string
  file: string
  location: { line: number; column: number }
  severity: { name: Finding['severity'] }
  confidence: { name: string }
  description: string
}
interface RunnerResult {
  issues: RawIssue[]
  errors: { file: string; message: string; tolerable: boolean }[]
}
type Runner = (options: Record<string, unknown>, forCli: boolean) => Promise<RunnerResult>

/**
 * Lays out what is scanned in a temporary folder: electron/'s sources (the preload's .cts
 * under a .ts name the scanner reads) and the renderer page with the CSP the build puts in
 * it. Returns the folder and how its files map back to the project's.
 */
function stageShell(): { dir: string; sources: Map<string, string> } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'electronegativity-'))
  const sources = new Map<string, string>()
  for (const name of readdirSync(path.join(projectRoot, 'electron'))) {
    if (name.endsWith('.test.ts') || !/\.c?ts$/.test(name)) continue
    const staged = name.endsWith('.cts') ? `${name}.ts` : name
    copyFileSync(path.join(projectRoot, 'electron', name), path.join(dir, staged))
    sources.set(staged, `electron/${name}`)
  }
  // the same substitution renderer/vite.config.ts makes, so the scanner judges the real policy
  const page = readFileSync(path.join(projectRoot, 'renderer', 'index.html'), 'utf8')
  if (!page.includes('%WORKSTATION_CSP%')) throw new Error('renderer/index.html no longer carries the %WORKSTATION_CSP% placeholder')
  writeFileSync(path.join(dir, 'index.html'), page.replace('%WORKSTATION_CSP%', CONTENT_SECURITY_POLICY_META))
  sources.set('index.html', 'renderer/index.html')
  return { dir, sources }
}

/**
 * Loads the scanner offline: its only network uses are a translation download at start
 * (English is bundled) and the excluded releases check, so its HTTP client is replaced by
 * one that fails at once. That keeps the scan deterministic and stops a late retry of the
 * real client from throwing after the scan has finished.
 */
function loadRunner(): Runner {
  const require = createRequire(import.meta.url)
  const scannerDir = path.dirname(require.resolve('@doyensec/electronegativity/package.json'))
  const gotPath = require.resolve('got', { paths: [scannerDir] })
  const offline = () => Promise.reject(new Error('offline: Electronegativity runs without the network here'))
  require.cache[gotPath] ??= { id: gotPath, filename: gotPath, loaded: true, exports: Object.assign(offline, { default: offline }) } as unknown as NodeJS.Module
  return require('@doyensec/electronegativity/dist/runner.js') as Runner
}

/** Runs Electronegativity over `dir`; `sources` maps its file names back to project paths. */
export async function scanFolder(dir: string, sources: ReadonlyMap<string, string> = new Map()): Promise<{ findings: Finding[]; parseErrors: string[] }> {
  const require = createRequire(import.meta.url)
  const electronVersion = (JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')) as { version: string }).version
  const result = await loadRunner()(
    { input: dir, isRelative: true, electronVersionOverride: electronVersion, excludeFromScan: [...EXCLUDED_CHECKS], customScan: [], parserPlugins: [] },
    false,
  )
  const findings = result.issues.map((issue) => ({
    id: issue.id,
    file: sources.get(issue.file) ?? issue.file,
    line: issue.location.line,
    severity: issue.severity.name,
    confidence: issue.confidence.name,
    description: issue.description,
  }))
  const parseErrors = result.errors.filter((e) => !e.tolerable).map((e) => `${sources.get(path.basename(e.file)) ?? e.file}: ${e.message}`)
  return { findings, parseErrors }
}

/** Runs Electronegativity over the desktop shell and returns its findings with project paths. */
export async function scanShell(): Promise<{ findings: Finding[]; parseErrors: string[] }> {
  const { dir, sources } = stageShell()
  try {
    return await scanFolder(dir, sources)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function main(): Promise<number> {
  const { findings, parseErrors } = await scanShell()
  const verdict = judgeFindings(findings, parseJustifications(readFileSync(JUSTIFICATIONS_FILE, 'utf8')))
  const where = (f: Finding) => `${f.id} ${f.severity}/${f.confidence} ${f.file}:${f.line}`
  console.log(`Electronegativity: ${findings.length} findings (${EXCLUDED_CHECKS.join(', ')} not run: needs the network)`)
  for (const f of findings.filter((x) => !BLOCKING.has(x.severity))) console.log(`  low      ${where(f)}`)
  for (const { finding, reason } of verdict.justified) console.log(`  justified ${where(finding)} — ${reason}`)
  for (const f of verdict.unjustified) console.log(`  UNJUSTIFIED ${where(f)}\n      ${f.description}`)
  for (const j of verdict.stale) console.log(`  STALE justification ${j.id} ${j.file}: no such finding any more`)
  for (const e of parseErrors) console.log(`  NOT SCANNED ${e}`)
  const failed = verdict.unjustified.length + verdict.stale.length + parseErrors.length
  console.log(failed ? `Electronegativity: FAILED (${failed} problems)` : 'Electronegativity: ok, no unjustified HIGH or MEDIUM finding')
  return failed ? 1 : 0
}

if (import.meta.main) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error('Electronegativity could not run:', error)
      process.exit(1)
    },
  )
}
