import { describe, expect, it } from 'vitest'
import { DEFAULT_CLI_PORT, parseCli, UsageError } from './cli-args.ts'

describe('command line', () => {
  it('parses serve with defaults and with every option', () => {
    expect(parseCli(['serve'])).toEqual({
      command: 'serve',
      dataDir: null,
      port: DEFAULT_CLI_PORT,
      host: '127.0.0.1',
      seed: true,
      log: false,
    })
    expect(
      parseCli(['serve', '--data', 'd', '--port', '0', '--host', '::1', '--app', 'dist/renderer', '--retention-days', '30', '--no-seed', '--log']),
    ).toEqual({
      command: 'serve',
      dataDir: 'd',
      port: 0,
      host: '::1',
      appDir: 'dist/renderer',
      retentionDays: 30,
      seed: false,
      log: true,
    })
  })

  it('parses import, seed and add-facility', () => {
    expect(parseCli(['import', '--data', 'd', '--facility', 'f', 'a.dcm', 'folder'])).toEqual({
      command: 'import',
      dataDir: 'd',
      facilityId: 'f',
      paths: ['a.dcm', 'folder'],
    })
    expect(parseCli(['seed', '--data', 'd'])).toEqual({ command: 'seed', dataDir: 'd' })
    expect(parseCli(['add-facility', '--data', 'd', '--id', 'x', '--name', 'X', '--anonymised-prefix', 'XX'])).toEqual({
      command: 'add-facility',
      dataDir: 'd',
      id: 'x',
      name: 'X',
      anonymisedPrefix: 'XX',
    })
    expect(parseCli([])).toEqual({ command: 'help' })
    expect(parseCli(['serve', '--help'])).toEqual({ command: 'help' })
  })

  it('refuses bad input with one-line messages', () => {
    const message = (argv: string[]) => {
      try {
        parseCli(argv)
      } catch (error) {
        expect(error).toBeInstanceOf(UsageError)
        return (error as Error).message
      }
      throw new Error(`accepted ${argv.join(' ')}`)
    }
    expect(message(['frob'])).toMatch(/unknown command "frob"/)
    expect(message(['serve', '--bogus'])).toBe('unknown option --bogus')
    expect(message(['serve', '--port', 'eighty'])).toMatch(/--port must be a number/)
    expect(message(['serve', '--port', '70000'])).toMatch(/--port must be a number/)
    expect(message(['serve', 'extra'])).toMatch(/takes no arguments/)
    expect(message(['serve', '--retention-days', '400'])).toMatch(/--retention-days must be a number from 0 to 365/)
    expect(message(['serve', '--retention-days', '-1'])).toMatch(/--retention-days/)
    expect(message(['seed', '--data', 'd', '--retention-days', '3'])).toMatch(/does not take --retention-days/)
    expect(message(['seed', '--facility', 'x', '--data', 'd'])).toMatch(/does not take --facility/)
    expect(message(['import', '--data', 'd', 'a.dcm'])).toBe('import needs --facility')
    expect(message(['import', '--data', 'd', '--facility', 'f'])).toMatch(/at least one file/)
    expect(message(['seed'])).toBe('seed needs --data')
    for (const argv of [['frob'], ['serve', '--bogus'], ['seed']]) expect(message(argv)).not.toContain('\n')
  })
})
