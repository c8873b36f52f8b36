/** The reading server's command line, parsed into one typed command; bad input throws a one-line UsageError. */
import { parseArgs } from 'node:util'

export const DEFAULT_CLI_PORT = 8642

export const USAGE = `Usage: node server/cli.ts <command> [options]

Commands:
  serve [--data DIR] [--port N] [--host H] [--app DIR] [--retention-days N] [--no-seed] [--log]
        Run the server (in memory without --data; port ${DEFAULT_CLI_PORT} unless given; 0 picks a free one).
        Seeds the demo data into an empty database unless --no-seed. --retention-days (0 to 365,
        default 7) is how long workstations may keep submitted studies in their caches.
  import --data DIR --facility ID <files or folders...>
        Import DICOM files into a facility; exits 1 if any file was rejected.
  seed --data DIR
        Create the demo facilities, users, studies and assignments in an empty database.
  add-facility --data DIR --id ID --name NAME [--anonymised-prefix PREFIX]
        Create or update a facility; with a prefix its patients are shown anonymised.
  audit-verify --data DIR
        Walk the operation log's hash chain; exits 1 and names the first broken entry if any
        entry was edited, removed or inserted behind the server's back.`

export class UsageError extends Error {
  override name = 'UsageError'
}

export type CliCommand =
  | { command: 'help' }
  | {
      command: 'serve'
      dataDir: string | null
      port: number
      host: string
      appDir?: string
      /** Absent: the server's default. */
      retentionDays?: number
      seed: boolean
      log: boolean
    }
  | { command: 'import'; dataDir: string; facilityId: string; paths: string[] }
  | { command: 'seed'; dataDir: string }
  | { command: 'add-facility'; dataDir: string; id: string; name: string; anonymisedPrefix?: string }
  | { command: 'audit-verify'; dataDir: string }

const OPTIONS = {
  data: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  app: { type: 'string' },
  'retention-days': { type: 'string' },
  'no-seed': { type: 'boolean' },
  log: { type: 'boolean' },
  facility: { type: 'string' },
  id: { type: 'string' },
  name: { type: 'string' },
  'anonymised-prefix': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

type Values = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'string' ? string : boolean }

/** Which options each command accepts; anything else is a mistake worth reporting. */
const ALLOWED: Record<string, ReadonlyArray<keyof typeof OPTIONS>> = {
  serve: ['data', 'port', 'host', 'app', 'retention-days', 'no-seed', 'log'],
  import: ['data', 'facility'],
  seed: ['data'],
  'add-facility': ['data', 'id', 'name', 'anonymised-prefix'],
  'audit-verify': ['data'],
}

function required(values: Values, name: 'data' | 'facility' | 'id' | 'name', command: string): string {
  const value = values[name]
  if (value === undefined || value === '') throw new UsageError(`${command} needs --${name}`)
  return value
}

function portOf(text: string | undefined): number {
  if (text === undefined) return DEFAULT_CLI_PORT
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) throw new UsageError(`--port must be a number from 0 to 65535, not "${text}"`)
  return Number(text)
}

function retentionDaysOf(text: string): number {
  if (!/^\d{1,3}$/.test(text) || Number(text) > 365) throw new UsageError(`--retention-days must be a number from 0 to 365, not "${text}"`)
  return Number(text)
}

function parseStrict(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true })
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    // node's own message goes on about positional arguments; the first sentence is what matters
    const unknown = /^Unknown option '([^']+)'/.exec(message)
    throw new UsageError(unknown ? `unknown option ${unknown[1]}` : (message.split('. ')[0] ?? message))
  }
}

export function parseCli(argv: readonly string[]): CliCommand {
  const parsed = parseStrict(argv)
  const values = parsed.values as Values
  const [command, ...rest] = parsed.positionals
  if (values.help || command === undefined || command === 'help') return { command: 'help' }
  const allowed = ALLOWED[command]
  if (!allowed) throw new UsageError(`unknown command "${command}" (expected serve, import, seed, add-facility or audit-verify)`)
  for (const key of Object.keys(values) as Array<keyof typeof OPTIONS>) {
    if (!allowed.includes(key)) throw new UsageError(`${command} does not take --${key}`)
  }
  if (command !== 'import' && rest.length > 0) throw new UsageError(`${command} takes no arguments, got "${rest.join(' ')}"`)

  switch (command) {
    case 'serve':
      return {
        command,
        dataDir: values.data ?? null,
        port: portOf(values.port),
        host: values.host ?? '127.0.0.1',
        ...(values.app !== undefined ? { appDir: values.app } : {}),
        ...(values['retention-days'] !== undefined ? { retentionDays: retentionDaysOf(values['retention-days']) } : {}),
        seed: !values['no-seed'],
        log: values.log ?? false,
      }
    case 'import':
      if (rest.length === 0) throw new UsageError('import needs at least one file or folder')
      return { command, dataDir: required(values, 'data', command), facilityId: required(values, 'facility', command), paths: rest }
    case 'seed':
    case 'audit-verify':
      return { command, dataDir: required(values, 'data', command) }
    default:
      return {
        command: 'add-facility',
        dataDir: required(values, 'data', command),
        id: required(values, 'id', command),
        name: required(values, 'name', command),
        ...(values['anonymised-prefix'] !== undefined ? { anonymisedPrefix: values['anonymised-prefix'] } : {}),
      }
  }
}
